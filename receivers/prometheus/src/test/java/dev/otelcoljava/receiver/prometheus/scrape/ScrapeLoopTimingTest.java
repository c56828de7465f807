package dev.otelcoljava.receiver.prometheus.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.receiver.prometheus.PrometheusReceiverConfig;
import dev.otelcoljava.receiver.prometheus.PrometheusReceiverFactory;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.FeatureGates;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.MetricsSink;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the receiver scrapes a real HTTP target on loopback: the early first scrape (gate on; also
 * for a target file discovery adds later) and Prometheus' hashed first slot (gate off, read from a
 * private {@link FeatureGates}), {@code initial_scrape_offset}, and the final scrape of {@code
 * scrape_on_shutdown}.
 */
class ScrapeLoopTimingTest {
  static final String BODY = "# TYPE timing_test gauge\ntiming_test 1\n";

  HttpServer server;
  ExecutorService executor;
  /** Wall-clock milliseconds of each request the target answered. */
  final List<Long> requests = new CopyOnWriteArrayList<>();
  /** The same for /b/metrics (a second target on the same server). */
  final List<Long> requestsB = new CopyOnWriteArrayList<>();
  volatile boolean slowFirstResponse;
  final MetricsSink sink = new MetricsSink();
  final SdkMeterProvider meterProvider = SdkMeterProvider.builder().build();
  Receiver receiver;

  @BeforeEach
  void startTarget() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> {
      requests.add(System.currentTimeMillis());
      if (requests.size() == 1 && slowFirstResponse) {
        try {
          Thread.sleep(3000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] b = BODY.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    });
    server.createContext("/b/metrics", ex -> {
      requestsB.add(System.currentTimeMillis());
      byte[] b = BODY.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (receiver != null) {
      receiver.shutdown(Duration.ofSeconds(5));
    }
    server.stop(0);
    executor.shutdownNow();
    meterProvider.close();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  static FeatureGates gates(String spec) {
    FeatureGates g = FeatureGates.withDefaults();
    PrometheusReceiverFactory.registerGates(g);
    if (spec != null) {
      g.apply(spec);
    }
    return g;
  }

  static PrometheusReceiverConfig config(PrometheusReceiverFactory f, String yaml) throws Exception {
    ConfigProblems problems = new ConfigProblems();
    Object parsed = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    PrometheusReceiverConfig c = f.createConfig(ConfigNode.root(parsed, "receivers::prometheus", problems), "prometheus");
    assertThat(problems.errors()).isEmpty();
    return c;
  }

  String yaml(String interval, String clusterLabel, String receiverKeys) {
    return receiverKeys + """
        config:
          global:
            external_labels: {cluster: "%s"}
          scrape_configs:
            - job_name: timing
              scrape_interval: %s
              static_configs: [{targets: ["%s"]}]
        """.formatted(clusterLabel, interval, address());
  }

  /** Creates and starts the receiver; returns the wall-clock millisecond just before start. */
  long start(FeatureGates gates, String yaml) throws Exception {
    PrometheusReceiverFactory f = new PrometheusReceiverFactory(gates);
    CreateSettings settings = new CreateSettings(ComponentId.of("prometheus"), ComponentKind.RECEIVER,
        meterProvider.get("test"), System.getLogger("receiver.prometheus"), MetricsLevel.NORMAL,
        new BuildInfo("otelcol-java", "otelcol-java", "0.1.0-test"));
    receiver = f.createReceiver(settings, config(f, yaml), sink);
    long t0 = System.currentTimeMillis();
    receiver.start(new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return Optional.empty();
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of();
      }
    });
    return t0;
  }

  /**
   * The target's hash and this process' offset seed for a given external label, exactly as the
   * receiver computes them (static discovery, TargetBuilder, ScrapeManager's seed).
   */
  long[] hashAndSeed(String interval, String clusterLabel) throws Exception {
    PrometheusReceiverFactory f = new PrometheusReceiverFactory(gates(null));
    PrometheusReceiverConfig c = config(f, yaml(interval, clusterLabel, ""));
    ScrapeConfig sc = c.config().scrapeConfigs().get(0);
    Target t = TargetBuilder.build(sc, Labels.of("__address__", address()), sc.staticConfigs().get(0).labels());
    return new long[] {t.hash(), ScrapeManager.offsetSeed(c.config().global().externalLabels())};
  }

  /**
   * An external label value for which Prometheus' first slot of the target (30 s interval) is more
   * than 5 s away now, so more than 4 s away when the receiver starts within the next second.
   */
  String clusterWithLateSlot() throws Exception {
    for (int i = 0; i < 1000; i++) {
      String cluster = "c" + i;
      long[] hs = hashAndSeed("30s", cluster);
      long delay = ScrapeLoop.initialDelay(System.currentTimeMillis(), 30_000, hs[0], hs[1]);
      if (delay > 5_000) {
        return cluster;
      }
    }
    throw new AssertionError("no external label gives a hashed slot more than 5 s away");
  }

  @Test
  void gateOn_firstScrapeOfA30sTargetWithinASecondAndAHalf_evenWhenItsHashedSlotIsLate() throws Exception {
    String cluster = clusterWithLateSlot();
    long[] hs = hashAndSeed("30s", cluster);
    long early = ScrapeLoop.earlyDelay(30_000, hs[0], hs[1]);
    long t0 = start(gates(null), yaml("30s", cluster, ""));
    sink.awaitBatches(1, Duration.ofMillis(1500));
    long first = requests.get(0) - t0;
    assertThat(first).isLessThanOrEqualTo(1500).isGreaterThanOrEqualTo(early - 50);
    assertThat(requests).hasSize(1);
  }

  @Test
  void gateOff_waitsForTheHashedSlotAsUpstream() throws Exception {
    String cluster = clusterWithLateSlot();
    start(gates("-" + PrometheusReceiverFactory.EARLY_FIRST_SCRAPE_GATE), yaml("30s", cluster, ""));
    Thread.sleep(3000);
    assertThat(requests).as("scrapes within 3 s with the gate off").isEmpty();
    assertThat(sink.batches()).isEmpty();
  }

  @Test
  void gateOn_secondScrapeJoinsTheHashedGridAtLeastHalfAnIntervalLater() throws Exception {
    long[] hs = hashAndSeed("2s", "grid");
    long offset = ScrapeLoop.hashedOffset(2000, hs[0], hs[1]);
    start(gates(null), yaml("2s", "grid", ""));
    sink.awaitBatches(2, Duration.ofMillis(4500));
    long first = requests.get(0);
    long second = requests.get(1);
    assertThat(second - first).isBetween(1000L - 200, 3000L + 200);
    long phase = Math.floorMod(second - offset, 2000);
    assertThat(Math.min(phase, 2000 - phase)).as("distance of the second scrape from the grid (ms)")
        .isLessThan(300);
  }

  @Test
  void initialScrapeOffset_delaysTheFirstScrapeByTheOffsetPlusTheHashedDelay() throws Exception {
    long[] hs = hashAndSeed("1s", "offset");
    long offset = ScrapeLoop.hashedOffset(1000, hs[0], hs[1]);
    long t0 = start(gates(null), yaml("1s", "offset", "initial_scrape_offset: 2s\n"));
    // the loop starts a little after t0: its first scrape is 2 s after the target's next slot of the 1 s grid
    sink.awaitBatches(1, Duration.ofMillis(4500));
    long first = requests.get(0);
    assertThat(first - t0).as("ms from start to the first scrape").isBetween(2000L - 50, 3000L + 500);
    long phase = Math.floorMod(first - 2000 - offset, 1000);
    assertThat(Math.min(phase, 1000 - phase)).as("distance of (first scrape - 2 s) from the grid (ms)")
        .isLessThan(250);
  }

  @Test
  void scrapeOnShutdown_handsAFinalScrapeToTheConsumerBeforeShutdownReturns() throws Exception {
    start(gates(null), yaml("60s", "shutdown", "scrape_on_shutdown: true\n"));
    sink.awaitBatches(1, Duration.ofMillis(1500));
    assertThat(sink.batches()).hasSize(1);
    receiver.shutdown(Duration.ofSeconds(5));
    receiver = null;
    assertThat(requests).hasSize(2);
    assertThat(sink.batches()).as("batches when shutdown returned").hasSize(2);
    assertThat(sink.batches().get(1).dataPointCount()).isEqualTo(sink.batches().get(0).dataPointCount());
  }

  @Test
  void scrapeOnShutdown_abandonsAScrapeInFlightAndMakesTheFinalOne() throws Exception {
    slowFirstResponse = true;
    start(gates(null), yaml("60s", "inflight", "scrape_on_shutdown: true\n"));
    ScrapeLoopTimingTest.await("the first (slow) request", () -> requests.size() == 1);
    long t = System.nanoTime();
    receiver.shutdown(Duration.ofSeconds(5));
    receiver = null;
    assertThat((System.nanoTime() - t) / 1_000_000).as("shutdown ms").isLessThan(2500);
    assertThat(requests).hasSize(2);
    assertThat(sink.batches()).as("only the final scrape's batch").hasSize(1);
    assertThat(sink.batches().get(0).dataPointCount()).isGreaterThan(1);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void gateOn_aTargetDiscoveredLaterIsScrapedEarly_andKeptLoopsAreNotRescheduled(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("targets.json");
    String a = "{\"targets\": [\"" + address() + "\"]}";
    String b = "{\"targets\": [\"" + address() + "\"], \"labels\": {\"__metrics_path__\": \"/b/metrics\"}}";
    Files.writeString(file, "[" + a + "]");
    start(gates(null), """
        config:
          scrape_configs:
            - job_name: later
              scrape_interval: 30s
              file_sd_configs: [{files: ["%s"], refresh_interval: 200ms}]
        """.formatted(file));
    sink.awaitBatches(1, Duration.ofMillis(1500));
    assertThat(requests).hasSize(1);
    long added = System.currentTimeMillis();
    Files.writeString(file, "[" + a + ", " + b + "]");
    sink.awaitBatches(2, Duration.ofMillis(2000));
    // the new target: within the 200 ms file poll plus the early window of 1 s
    assertThat(requestsB).hasSize(1);
    assertThat(requestsB.get(0) - added).isLessThan(1700);
    Thread.sleep(300);
    // the first target's loop was kept (same labels): not scraped again
    assertThat(requests).hasSize(1);
  }

  @Test
  void withoutScrapeOnShutdown_noFinalScrape() throws Exception {
    start(gates(null), yaml("60s", "shutdown", ""));
    sink.awaitBatches(1, Duration.ofMillis(1500));
    receiver.shutdown(Duration.ofSeconds(5));
    receiver = null;
    Thread.sleep(200);
    assertThat(requests).hasSize(1);
    assertThat(sink.batches()).hasSize(1);
  }
}
