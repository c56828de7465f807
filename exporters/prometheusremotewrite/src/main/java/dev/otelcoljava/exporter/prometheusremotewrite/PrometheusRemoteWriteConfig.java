package dev.otelcoljava.exporter.prometheusremotewrite;

import dev.otelcoljava.runtime.api.ComponentId;
import java.time.Duration;
import java.util.Map;

/**
 * The validated config of the {@code prometheus_remote_write} exporter (deprecated type {@code
 * prometheusremotewrite}). Defaults are those of otelcol-contrib; see {@link
 * PrometheusRemoteWriteExporterFactory#createConfig}. Immutable.
 *
 * @param wal null when {@code wal} is absent (no WAL)
 * @param authenticator null without {@code auth}
 */
public record PrometheusRemoteWriteConfig(
    String endpoint,
    Duration timeout,
    Map<String, String> headers,
    Tls tls,
    ComponentId authenticator,
    Retry retry,
    Queue queue,
    int maxBatchSizeBytes,
    int maxBatchRequestParallelism,
    Map<String, String> externalLabels,
    String namespace,
    boolean resourceToTelemetry,
    boolean excludeServiceAttributes,
    boolean targetInfo,
    boolean disableScopeInfo,
    boolean addMetricSuffixes,
    String translationStrategy,
    boolean sendMetadata,
    Wal wal) {

  /** {@code tls}: PEM files and options for an https endpoint. */
  public record Tls(String caFile, String certFile, String keyFile, boolean insecureSkipVerify, String serverName, String minVersion) {}

  /** {@code retry_on_failure}. */
  public record Retry(boolean enabled, Duration initialInterval, double randomizationFactor, double multiplier,
      Duration maxInterval, Duration maxElapsedTime) {}

  /** {@code remote_write_queue}. */
  public record Queue(boolean enabled, int queueSize, int numConsumers) {}

  /**
   * {@code wal}: {@code directory}, {@code buffer_size} (records read ahead of the senders),
   * {@code truncate_frequency}, {@code lag_record_frequency}, {@code max_disk_usage} (bytes, default
   * 1GiB) and {@code max_age} (default 24h, 0 = unlimited).
   */
  public record Wal(String directory, int bufferSize, Duration truncateFrequency, Duration lagRecordFrequency,
      long maxDiskUsage, Duration maxAge) {}
}
