package dev.otelcoljava.processor.resourcedetection;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.PlainHttp;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Detects once at start (all detectors concurrently, the whole detection bounded by {@code
 * timeout}), then adds the snapshot to every resource it sees. A detector that fails or does not
 * finish in time is logged ({@code failed to detect resource}) and skipped; the others still apply
 * (the behaviour of contrib up to v0.131). With {@code refresh_interval} > 0 detection runs again in
 * the background; a refresh in which every detector failed keeps the previous snapshot.
 *
 * <p>{@link #consume} is thread-safe: the snapshot is an immutable copy swapped atomically.
 */
final class ResourceDetectionProcessor implements Processor {
  private final ResourceDetectionConfig config;
  private final MetricsConsumer next;
  private final System.Logger logger;
  private final Map<String, Detector> detectors;
  private final Function<String, String> env;
  private volatile Attributes detected = new Attributes();
  private HttpClient http;
  private ScheduledExecutorService refresher;

  ResourceDetectionProcessor(CreateSettings settings, ResourceDetectionConfig config,
      Map<String, Detector> detectors, Function<String, String> env, MetricsConsumer next) {
    this.config = config;
    this.next = next;
    this.logger = settings.logger();
    this.detectors = detectors;
    this.env = env;
  }

  @Override
  public synchronized void start(Host host) throws InterruptedException {
    if (http != null) {
      return;
    }
    Duration connect = config.timeout().compareTo(Duration.ofSeconds(2)) < 0 ? config.timeout() : Duration.ofSeconds(2);
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connect).version(HttpClient.Version.HTTP_1_1);
    if (!httpsEndpoint()) {
      // IMDS and the ECS task metadata endpoint are plain http: no TLS set-up (the JDK's CA bundle
      // alone is ~100 ms of CPU, 0.8 s of wall time under the ECS sidecar's 0.125 vCPU).
      PlainHttp.configure(b);
    }
    http = b.build();
    Result r = detect();
    detected = r.attributes;
    if (!config.refreshInterval().isZero() && !config.refreshInterval().isNegative()) {
      refresher = Executors.newSingleThreadScheduledExecutor(t -> {
        Thread th = new Thread(t, "resourcedetection-refresh");
        th.setDaemon(true);
        return th;
      });
      long p = config.refreshInterval().toNanos();
      refresher.scheduleWithFixedDelay(this::refresh, p, p, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Whether an endpoint the shared client is sent to is set to https in the environment (IMDS's
   * override or the ECS task metadata URIs): then the client gets the JDK's default TLS.
   */
  private boolean httpsEndpoint() {
    for (String k : List.of(Imds.ENDPOINT_ENV, EcsDetector.V4, EcsDetector.V3)) {
      String v = env.apply(k);
      if (v != null && v.trim().regionMatches(true, 0, "https:", 0, 6)) {
        return true;
      }
    }
    return false;
  }

  private void refresh() {
    try {
      Result r = detect();
      if (r.succeeded > 0 || r.failed == 0) {
        detected = r.attributes;
      } else {
        logger.log(System.Logger.Level.WARNING,
            "resource detection refresh failed for every detector; keeping the previous resource");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      logger.log(System.Logger.Level.WARNING, "resource detection refresh failed", e);
    }
  }

  record Result(Attributes attributes, int succeeded, int failed) {}

  /** Runs every configured detector concurrently and merges their results in list order. */
  Result detect() throws InterruptedException {
    long deadline = System.nanoTime() + config.timeout().toNanos();
    Detector.Context ctx = new Detector.Context(env, http, deadline, logger);
    Map<String, Future<Attributes>> futures = new LinkedHashMap<>();
    ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("resourcedetection-", 0).factory());
    try {
      for (Map.Entry<String, Detector> e : detectors.entrySet()) {
        Detector d = e.getValue();
        futures.put(e.getKey(), pool.submit(() -> d.detect(ctx)));
      }
      Attributes merged = new Attributes();
      int ok = 0;
      int failed = 0;
      for (Map.Entry<String, Future<Attributes>> e : futures.entrySet()) {
        String name = e.getKey();
        try {
          long left = Math.max(0, deadline - System.nanoTime());
          Attributes a = e.getValue().get(left, TimeUnit.NANOSECONDS);
          filterDisabled(name, a);
          for (int i = 0; i < a.size(); i++) {
            merged.putIfAbsent(a.key(i), a.value(i)); // the first detector in the list wins
          }
          ok++;
        } catch (ExecutionException ex) {
          failed++;
          Throwable cause = ex.getCause() == null ? ex : ex.getCause();
          logger.log(System.Logger.Level.WARNING, "failed to detect resource: detector \"" + name
              + "\": " + cause.getMessage());
        } catch (TimeoutException ex) {
          failed++;
          e.getValue().cancel(true);
          logger.log(System.Logger.Level.WARNING, "failed to detect resource: detector \"" + name
              + "\": context deadline exceeded (timeout " + config.timeout().toMillis() + "ms);"
              + " raise processors::resourcedetection::timeout if the platform is slow to answer");
        }
      }
      if (!config.attributes().isEmpty()) {
        // The removed allow-list: keep only the listed detected keys (the data's own stay).
        for (int i = merged.size() - 1; i >= 0; i--) {
          if (!config.attributes().contains(merged.key(i))) {
            merged.removeAt(i);
          }
        }
      }
      if (ok == 0 && failed > 0) {
        logger.log(System.Logger.Level.WARNING, "resource detection failed: no detectors succeeded");
      } else {
        logger.log(System.Logger.Level.INFO, "detected resource information: " + merged);
      }
      return new Result(merged, ok, failed);
    } finally {
      pool.shutdownNow();
    }
  }

  private void filterDisabled(String detector, Attributes a) {
    Map<String, Boolean> known = DetectorSpec.ATTRIBUTES.get(detector);
    if (known == null) {
      return;
    }
    for (int i = a.size() - 1; i >= 0; i--) {
      Boolean byDefault = known.get(a.key(i));
      if (byDefault != null && !config.enabled(detector, a.key(i), byDefault)) {
        a.removeAt(i);
      }
    }
  }

  /** The detected attributes currently applied (a copy). */
  Attributes detected() {
    return detected.copy();
  }

  @Override
  public void consume(MetricsBatch batch) throws ConsumerException {
    Attributes d = detected;
    if (!d.isEmpty()) {
      boolean override = config.override();
      for (ResourceMetrics rm : batch.resourceMetrics()) {
        Attributes r = rm.resource();
        for (int i = 0; i < d.size(); i++) {
          if (override) {
            r.put(d.key(i), copyValue(d.value(i)));
          } else {
            r.putIfAbsent(d.key(i), copyValue(d.value(i)));
          }
        }
      }
    }
    next.consume(batch);
  }

  private static Object copyValue(Object v) {
    return v instanceof List<?> l ? new ArrayList<>(l) : v;
  }

  @Override
  public boolean mutatesData() {
    return true;
  }

  @Override
  public synchronized void shutdown(Duration timeout) {
    if (refresher != null) {
      refresher.shutdownNow();
      refresher = null;
    }
    if (http != null) {
      http.shutdownNow();
      http = null;
    }
  }
}
