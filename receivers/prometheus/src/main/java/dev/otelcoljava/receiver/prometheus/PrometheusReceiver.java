package dev.otelcoljava.receiver.prometheus;

import dev.otelcoljava.receiver.prometheus.scrape.ReceiverMetrics;
import dev.otelcoljava.receiver.prometheus.scrape.ScrapeManager;
import dev.otelcoljava.receiver.prometheus.scrape.ScrapeOptions;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Receiver;
import java.time.Duration;

/** The running receiver: owns the scrape manager between start and shutdown. */
final class PrometheusReceiver implements Receiver {
  private final CreateSettings settings;
  private final PrometheusReceiverConfig config;
  private final MetricsConsumer next;
  private final ScrapeOptions options;
  private ScrapeManager manager;

  PrometheusReceiver(CreateSettings settings, PrometheusReceiverConfig config, MetricsConsumer next,
      ScrapeOptions options) {
    this.settings = settings;
    this.config = config;
    this.next = next;
    this.options = options;
  }

  @Override
  public synchronized void start(Host host) throws Exception {
    if (manager != null) {
      return;
    }
    ReceiverMetrics metrics = new ReceiverMetrics(settings.meter(), settings.id().toString());
    manager = new ScrapeManager(config.config(), next, metrics, settings.logger(),
        settings.buildInfo().userAgent(), settings.buildInfo().version(), config.trimMetricSuffixes(), options);
    manager.start();
  }

  /** The scrape manager while started (tests). */
  synchronized ScrapeManager manager() {
    return manager;
  }

  /**
   * Stops scraping; with {@code scrape_on_shutdown}, returns once every target's final scrape has
   * been handed to the next consumer (or the timeout has passed).
   */
  @Override
  public synchronized void shutdown(Duration timeout) throws Exception {
    if (manager != null) {
      manager.shutdown(timeout);
      manager = null;
    }
  }
}
