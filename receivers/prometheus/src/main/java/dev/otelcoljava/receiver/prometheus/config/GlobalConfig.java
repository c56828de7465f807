package dev.otelcoljava.receiver.prometheus.config;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.time.Duration;
import java.util.List;

/**
 * The Prometheus {@code global} block: defaults every scrape config inherits, and the external
 * labels added to every sample. Immutable.
 */
public record GlobalConfig(
    Duration scrapeInterval,
    Duration scrapeTimeout,
    Labels externalLabels,
    List<String> scrapeProtocols,
    long bodySizeLimit,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long targetLimit,
    long keepDroppedTargets) {

  /** Prometheus' default protocol preference (OpenMetrics first). */
  public static final List<String> DEFAULT_PROTOCOLS =
      List.of("OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4");

  /** The defaults: interval 1m, timeout 10s, no external labels, no limits. */
  public static final GlobalConfig DEFAULT = new GlobalConfig(Duration.ofMinutes(1), Duration.ofSeconds(10),
      Labels.EMPTY, DEFAULT_PROTOCOLS, 0, 0, 0, 0, 0, 0, 0);
}
