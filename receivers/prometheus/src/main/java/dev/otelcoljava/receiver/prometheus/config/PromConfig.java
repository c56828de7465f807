package dev.otelcoljava.receiver.prometheus.config;

import java.util.List;

/**
 * The embedded Prometheus config of the receiver's {@code config} key: the global block and the
 * scrape configs (those of {@code scrape_config_files} appended). Immutable.
 */
public record PromConfig(GlobalConfig global, List<ScrapeConfig> scrapeConfigs, List<String> scrapeConfigFiles) {
  public static final PromConfig DEFAULT = new PromConfig(GlobalConfig.DEFAULT, List.of(), List.of());
}
