package dev.otelcoljava.receiver.prometheus;

import dev.otelcoljava.receiver.prometheus.config.PromConfig;
import dev.otelcoljava.receiver.prometheus.config.PromConfigReader;
import dev.otelcoljava.receiver.prometheus.scrape.ScrapeOptions;
import dev.otelcoljava.receiver.prometheus.scrape.ScrapeReplay;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.FeatureGates;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.api.ReceiverReplay;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;

/**
 * The {@code prometheus} receiver: scrapes targets with Prometheus' semantics (the embedded {@code
 * config}) and emits OTLP metrics exactly as otelcol's prometheus receiver. Stateless. Registers the
 * feature gate {@value #EARLY_FIRST_SCRAPE_GATE} in the process-wide {@link FeatureGates} when the
 * class is initialised, and reads it when a receiver is created.
 */
public final class PrometheusReceiverFactory
    implements ReceiverFactory<PrometheusReceiverConfig>, ReceiverReplay<PrometheusReceiverConfig> {
  public static final String TYPE = "prometheus";

  /** On (default): a new target's first scrape within min(interval, 1 s); off: Prometheus' timing. */
  public static final String EARLY_FIRST_SCRAPE_GATE = "receiver.prometheusreceiver.EarlyFirstScrape";

  static {
    registerGates(FeatureGates.global());
  }

  private final FeatureGates gates;

  /** The factory the runtime loads: reads the process-wide feature gates. */
  public PrometheusReceiverFactory() {
    this(FeatureGates.global());
  }

  /** A factory reading the given feature gates (tests); register ours in them with {@link #registerGates}. */
  public PrometheusReceiverFactory(FeatureGates gates) {
    this.gates = gates;
  }

  /** Registers this receiver's feature gates in {@code gates}. */
  public static void registerGates(FeatureGates gates) {
    gates.register(new FeatureGates.Gate(EARLY_FIRST_SCRAPE_GATE, true, "beta",
        "Scrapes each new target (at start-up or discovered later) within min(scrape_interval, 1s) of its "
            + "discovery, spread by the target's hashed offset, then on Prometheus' usual schedule. Turn it off "
            + "for upstream's timing: the first scrape waits for the target's hashed slot within the interval."));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public String transport() {
    return "http";
  }

  @Override
  public PrometheusReceiverConfig createConfig(ConfigNode node, String typeUsed) {
    if (!node.present()) {
      node.error("no Prometheus scrape_configs or target_allocator set");
      return PrometheusReceiverConfig.DEFAULT;
    }
    ConfigNode ta = node.get("target_allocator");
    ta.acceptAnyKey();
    boolean allocator = ta.present();
    if (allocator) {
      node.error("target_allocator", "target_allocator is not supported by this collector; list the targets under "
          + "config::scrape_configs (static_configs, file_sd_configs) instead");
    }
    PromConfig config = PromConfigReader.read(node.get("config"), !allocator);
    for (String removed : new String[] {"use_start_time_metric", "start_time_metric_regex",
      "report_extra_scrape_metrics"}) {
      if (node.has(removed)) {
        node.get(removed).acceptAnyKey();
        node.warn(removed + " was removed from otelcol's prometheus receiver and is ignored; start times come from "
            + "_created or the first observation of each series");
      }
    }
    ConfigNode api = node.get("api_server");
    PrometheusReceiverConfig.ApiServer apiServer = PrometheusReceiverConfig.ApiServer.DEFAULT;
    if (api.present()) {
      ConfigNode server = api.get("server_config");
      apiServer = new PrometheusReceiverConfig.ApiServer(api.bool("enabled", false),
          api.integer("max_connections", 512), server.string("endpoint", "127.0.0.1:9090"));
      server.acceptAnyKey();
      if (apiServer.enabled()) {
        api.warn("api_server is not served by this collector yet; the setting is ignored");
      }
    }
    boolean scrapeOnShutdown = node.bool("scrape_on_shutdown", false);
    Duration offset = node.duration("initial_scrape_offset", Duration.ZERO);
    if (offset.isNegative()) {
      node.error("initial_scrape_offset", "must not be negative, got " + node.get("initial_scrape_offset").raw()
          + "; use 0s (the default) or a positive delay such as 5s");
      offset = Duration.ZERO;
    }
    return new PrometheusReceiverConfig(config, node.bool("trim_metric_suffixes", false), apiServer,
        scrapeOnShutdown, node.bool("discovery_reload_on_startup", false), offset);
  }

  @Override
  public Receiver createReceiver(CreateSettings settings, PrometheusReceiverConfig config, MetricsConsumer next) {
    ScrapeOptions options = new ScrapeOptions(gates.isEnabled(EARLY_FIRST_SCRAPE_GATE),
        config.initialScrapeOffset(), config.scrapeOnShutdown());
    return new PrometheusReceiver(settings, config, next, options);
  }

  /**
   * Replays saved exposition bodies as scrapes of one target of the first job (see {@link
   * ScrapeReplay}); nothing is scraped.
   */
  @Override
  public ReceiverReplay.Replayer replayer(CreateSettings settings, PrometheusReceiverConfig config,
      java.util.Map<String, String> source) {
    return ScrapeReplay.open(config.config(), source, settings.buildInfo().version(), config.trimMetricSuffixes());
  }
}
