package dev.otelcoljava.receiver.prometheus;

import dev.otelcoljava.receiver.prometheus.config.PromConfig;
import java.time.Duration;

/**
 * The config of the {@code prometheus} receiver. Immutable.
 *
 * @param config the embedded Prometheus config (global, scrape_configs, scrape_config_files)
 * @param trimMetricSuffixes strip {@code _total} from monotonic sums, then the unit suffix (default false)
 * @param apiServer the agent-mode API server settings (parsed; not served yet)
 * @param scrapeOnShutdown one final scrape of every target when the receiver shuts down (default false)
 * @param discoveryReloadOnStartup accepted for compatibility; discovery always delivers its first
 *     targets at once on start-up (there is no batching delay to skip)
 * @param initialScrapeOffset a fixed delay before each new target's first scrape, on top of its
 *     hashed offset (default 0s: none; non-negative)
 */
public record PrometheusReceiverConfig(
    PromConfig config,
    boolean trimMetricSuffixes,
    ApiServer apiServer,
    boolean scrapeOnShutdown,
    boolean discoveryReloadOnStartup,
    Duration initialScrapeOffset) {

  /** {@code api_server}: enabled (false), max_connections (512), server_config.endpoint (127.0.0.1:9090). */
  public record ApiServer(boolean enabled, int maxConnections, String endpoint) {
    public static final ApiServer DEFAULT = new ApiServer(false, 512, "127.0.0.1:9090");
  }

  /** Defaults: no scrape configs (invalid until some are given, as upstream), no suffix trimming. */
  public static final PrometheusReceiverConfig DEFAULT = new PrometheusReceiverConfig(PromConfig.DEFAULT, false,
      ApiServer.DEFAULT, false, false, Duration.ZERO);
}
