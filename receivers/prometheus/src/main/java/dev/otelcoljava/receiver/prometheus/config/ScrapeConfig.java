package dev.otelcoljava.receiver.prometheus.config;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code scrape_configs}, with the global defaults already applied (interval, timeout
 * = min(global timeout, interval), limits, protocols). Immutable.
 *
 * @param bodySizeLimit bytes of uncompressed body; 0 = no limit
 * @param sampleLimit 0 = no limit (likewise the other limits)
 * @param params the {@code params} map: URL query parameters, each with one or more values
 */
public record ScrapeConfig(
    String jobName,
    Duration scrapeInterval,
    Duration scrapeTimeout,
    String metricsPath,
    Map<String, List<String>> params,
    String scheme,
    boolean honorLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    long bodySizeLimit,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long targetLimit,
    long keepDroppedTargets,
    List<String> scrapeProtocols,
    String fallbackScrapeProtocol,
    boolean enableCompression,
    HttpClientConfig http,
    List<StaticConfig> staticConfigs,
    List<FileSdConfig> fileSdConfigs,
    List<KubernetesSdConfig> kubernetesSdConfigs,
    List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> metricRelabelConfigs) {

  /** {@code static_configs[i]}: target addresses and the labels every one of them gets. */
  public record StaticConfig(List<String> targets, Labels labels) {}

  /** {@code file_sd_configs[i]}: file patterns (glob in the last path element) and refresh interval. */
  public record FileSdConfig(List<String> files, Duration refreshInterval) {}
}
