package dev.otelcoljava.receiver.prometheus.scrape;

import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.discovery.TargetGroup;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.otlp.MapperSettings;
import dev.otelcoljava.receiver.prometheus.otlp.TargetMapper;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The targets of one scrape config (job): merges the target groups of its discoverers, builds
 * targets, and starts or stops one {@link ScrapeLoop} per target without touching the others.
 * {@code target_limit}: when the job has more targets, every target's scrape fails with
 * {@code target_limit exceeded} (up=0), as in Prometheus. Thread-safe (updates are serialised).
 */
final class ScrapePool {
  private final ScrapeConfig cfg;
  private final HttpScraper scraper;
  private final MetricsConsumer next;
  private final ScheduledExecutorService timer;
  private final ReceiverMetrics metrics;
  private final RateLimitedLogger log;
  private final Settings settings;
  private final Map<String, List<Target>> bySource = new HashMap<>();
  private final Map<Labels, ScrapeLoop> loops = new LinkedHashMap<>();
  private volatile String forcedError;
  private boolean closed;

  /** What every target of the receiver shares. */
  record Settings(Labels externalLabels, String scopeVersion, boolean trimMetricSuffixes, long offsetSeed,
      ScrapeOptions options) {}

  ScrapePool(ScrapeConfig cfg, HttpScraper scraper, MetricsConsumer next, ScheduledExecutorService timer,
      ReceiverMetrics metrics, RateLimitedLogger log, Settings settings) {
    this.cfg = cfg;
    this.scraper = scraper;
    this.next = next;
    this.timer = timer;
    this.metrics = metrics;
    this.log = log;
    this.settings = settings;
  }

  HttpScraper scraper() {
    return scraper;
  }

  RateLimitedLogger log() {
    return log;
  }

  String forcedError() {
    return forcedError;
  }

  ScrapeConfig config() {
    return cfg;
  }

  /** The active targets (a copy). */
  synchronized List<Target> targets() {
    List<Target> out = new ArrayList<>(loops.size());
    for (ScrapeLoop l : loops.values()) {
      out.add(l.target());
    }
    return out;
  }

  /** Applies groups from a discoverer; {@code discoverer} prefixes their sources. */
  synchronized void update(String discoverer, List<TargetGroup> groups) {
    if (closed) {
      return;
    }
    for (TargetGroup g : groups) {
      List<Target> targets = new ArrayList<>(g.targets().size());
      for (Labels t : g.targets()) {
        try {
          targets.add(TargetBuilder.build(cfg, t, g.labels()));
        } catch (TargetBuilder.TargetException e) {
          metrics.targetsDropped.add(1, metrics.withReason(metrics.job(cfg.jobName()),
              e.dropped() ? "relabeling" : "invalid"));
          if (!e.dropped()) {
            log.log(System.Logger.Level.WARNING, "target " + cfg.jobName() + " " + t,
                "job " + cfg.jobName() + ": invalid target " + t + ": " + e.getMessage());
          }
        }
      }
      String key = discoverer + "/" + g.source();
      if (targets.isEmpty()) {
        bySource.remove(key);
      } else {
        bySource.put(key, targets);
      }
    }
    sync();
  }

  private void sync() {
    Map<Labels, Target> desired = new LinkedHashMap<>();
    for (List<Target> ts : bySource.values()) {
      for (Target t : ts) {
        desired.putIfAbsent(t.labels(), t);
      }
    }
    long limit = cfg.targetLimit();
    forcedError = limit > 0 && desired.size() > limit
        ? "target_limit exceeded (number of targets: " + desired.size() + ", limit: " + limit + ")"
        : null;
    List<Labels> gone = new ArrayList<>();
    for (Labels k : loops.keySet()) {
      if (!desired.containsKey(k)) {
        gone.add(k);
      }
    }
    for (Labels k : gone) {
      ScrapeLoop l = loops.remove(k);
      l.stop(true);
      metrics.targets.add(-1, metrics.job(cfg.jobName()));
    }
    for (Map.Entry<Labels, Target> e : desired.entrySet()) {
      if (!loops.containsKey(e.getKey())) {
        Target t = e.getValue();
        TargetMapper mapper = new TargetMapper(new MapperSettings(t.publicLabels(), t.discoveredLabels(),
            cfg.honorLabels(), cfg.honorTimestamps(), cfg.trackTimestampsStaleness(), cfg.metricRelabelConfigs(), cfg.sampleLimit(),
            cfg.labelLimit(), cfg.labelNameLengthLimit(), cfg.labelValueLengthLimit(), settings.externalLabels(),
            fallbackContentType(cfg.fallbackScrapeProtocol()), settings.scopeVersion(),
            settings.trimMetricSuffixes(), t.interval()));
        ScrapeLoop l = new ScrapeLoop(t, this, mapper, next, timer, metrics, settings.offsetSeed(),
            settings.options());
        loops.put(e.getKey(), l);
        metrics.targets.add(1, metrics.job(cfg.jobName()));
        l.start();
      }
    }
  }

  static String fallbackContentType(String protocol) {
    return switch (protocol) {
      case "OpenMetricsText1.0.0" -> "application/openmetrics-text; version=1.0.0";
      case "OpenMetricsText0.0.1" -> "application/openmetrics-text; version=0.0.1";
      case "PrometheusText1.0.0" -> "text/plain; version=1.0.0";
      default -> "text/plain; version=0.0.4";
    };
  }

  /**
   * Stops every loop without staleness markers (collector shutdown, as Prometheus) and waits; with
   * {@code scrape_on_shutdown} each loop first makes its final scrape and hands it on, so the
   * batches have reached the next consumer when this returns (unless the deadline passes).
   */
  void close(long deadlineNanos) throws InterruptedException {
    List<ScrapeLoop> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(loops.values());
      loops.clear();
    }
    for (ScrapeLoop l : all) {
      l.stop(false, settings.options().scrapeOnShutdown());
    }
    for (ScrapeLoop l : all) {
      long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
      l.join(Math.max(1, left));
      metrics.targets.add(-1, metrics.job(cfg.jobName()));
    }
    scraper.close();
  }
}
