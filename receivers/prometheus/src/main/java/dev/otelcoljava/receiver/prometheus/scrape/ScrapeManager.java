package dev.otelcoljava.receiver.prometheus.scrape;

import dev.otelcoljava.receiver.prometheus.config.PromConfig;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.discovery.Discoverer;
import dev.otelcoljava.receiver.prometheus.discovery.DiscovererProvider;
import dev.otelcoljava.receiver.prometheus.discovery.FileSdDiscoverer;
import dev.otelcoljava.receiver.prometheus.discovery.StaticDiscoverer;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the whole embedded Prometheus config: one {@link ScrapePool} per job, fed by that job's
 * discoverers.
 *
 * <p><b>Threads.</b> Each target's loop is a virtual thread (blocking HTTP on a virtual thread
 * parks it, not a carrier), so thousands of targets cost a few carrier threads; one shared
 * platform timer thread handles scrape deadlines and file discovery polls; each job's JDK HTTP
 * client has one selector thread. The HTTP clients' async work runs on virtual threads too.
 */
public final class ScrapeManager {
  private final PromConfig config;
  private final MetricsConsumer next;
  private final ReceiverMetrics metrics;
  private final RateLimitedLogger log;
  private final String userAgent;
  private final ScrapePool.Settings settings;
  private final Map<String, ScrapePool> pools = new ConcurrentHashMap<>();
  private final List<Discoverer> discoverers = new ArrayList<>();
  private ScheduledThreadPoolExecutor timer;
  private ExecutorService httpExecutor;

  public ScrapeManager(PromConfig config, MetricsConsumer next, ReceiverMetrics metrics, System.Logger logger,
      String userAgent, String scopeVersion, boolean trimMetricSuffixes, ScrapeOptions options) {
    this.config = config;
    this.next = next;
    this.metrics = metrics;
    this.log = new RateLimitedLogger(logger, Duration.ofMinutes(1));
    this.userAgent = userAgent;
    this.settings = new ScrapePool.Settings(config.global().externalLabels(), scopeVersion, trimMetricSuffixes,
        offsetSeed(config.global().externalLabels()), options);
  }

  /** Hostname and external labels hashed, as Prometheus seeds its target offsets. */
  static long offsetSeed(Labels external) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return TargetBuilder.hash(external, host);
  }

  public void start() throws Exception {
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "prometheus-receiver-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    httpExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("prometheus-http-", 0).factory());
    for (ScrapeConfig sc : config.scrapeConfigs()) {
      ScrapePool pool = new ScrapePool(sc, new HttpScraper(sc, userAgent, httpExecutor), next, timer, metrics, log,
          settings);
      pools.put(sc.jobName(), pool);
    }
    List<DiscovererProvider> providers = DiscovererProvider.all();
    for (ScrapeConfig sc : config.scrapeConfigs()) {
      ScrapePool pool = pools.get(sc.jobName());
      for (DiscovererProvider provider : providers) {
        List<Discoverer> ds = provider.create(sc, timer, log);
        for (int i = 0; i < ds.size(); i++) {
          Discoverer d = ds.get(i);
          discoverers.add(d);
          String name = provider.key() + "/" + i;
          d.start(groups -> pool.update(name, groups));
        }
      }
      if (!sc.staticConfigs().isEmpty()) {
        StaticDiscoverer d = new StaticDiscoverer(sc.staticConfigs());
        discoverers.add(d);
        d.start(groups -> pool.update("static", groups));
      }
      for (int i = 0; i < sc.fileSdConfigs().size(); i++) {
        FileSdDiscoverer d = new FileSdDiscoverer(sc.fileSdConfigs().get(i), timer, log);
        discoverers.add(d);
        String name = "file/" + i;
        d.start(groups -> pool.update(name, groups));
      }
    }
  }

  /** The active targets of a job (for tests and status pages). */
  public List<Target> targets(String job) {
    ScrapePool p = pools.get(job);
    return p == null ? List.of() : p.targets();
  }

  public void shutdown(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Discoverer d : discoverers) {
      d.close();
    }
    discoverers.clear();
    for (ScrapePool p : pools.values()) {
      p.close(deadline);
    }
    pools.clear();
    if (timer != null) {
      timer.shutdownNow();
      timer.awaitTermination(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    }
    if (httpExecutor != null) {
      httpExecutor.shutdownNow();
    }
  }
}
