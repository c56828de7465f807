package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.testing.peers.PrometheusServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between the exporter and a real Prometheus (which rejects out-of-order samples, so zero
 * drops plus every sample present proves per-series order held): 5xx, resets and 429 retried; a
 * 400 sent once and counted while later batches flow; an outage and a crash with the WAL lose
 * nothing.
 */
class FaultsTest {
  static final int SERIES = 30;
  @TempDir static Path tmp;
  static PrometheusServer prom;

  @BeforeAll
  static void startPeers() {
    prom = PrometheusServer.start(tmp.resolve("prom"));
  }

  @AfterAll
  static void stopPeers() {
    if (prom != null) {
      prom.close();
    }
  }

  /** One sample per series at time t for metric {@code name}. */
  static MetricsBatch step(String name, long tMillis, double v) {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = Support.resource(b, "faults", "i").addScope("", "");
    for (int i = 0; i < SERIES; i++) {
      Support.gauge(s, name, "", Attributes.of("series", "s" + i), tMillis * 1_000_000L, v);
    }
    return b;
  }

  /** count_over_time per series over the last hour. */
  static Map<String, Integer> counts(String name) {
    JsonNode root = Support.json(prom.query("count_over_time(" + name + "[1h])", null));
    Map<String, Integer> out = new HashMap<>();
    for (JsonNode r : root.path("data").path("result")) {
      out.put(r.path("metric").path("series").asText(), r.path("value").get(1).asInt());
    }
    return out;
  }

  static Map<String, Object> cfg(String url, int consumers) {
    return Map.of("endpoint", url, "remote_write_queue", Map.of("num_consumers", consumers), "max_batch_size_bytes", 2000,
        "retry_on_failure", Map.of("initial_interval", "10ms", "max_interval", "200ms"), "target_info", Map.of("enabled", false));
  }

  @Test
  void consume_retriesServerErrorsResetsAnd429InOrder() throws Exception {
    int[] faults = {500, 502, 503, FaultProxy.RESET, FaultProxy.RETRY_AFTER, 504};
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> n <= faults.length ? faults[n - 1] : (n % 7 == 0 ? 503 : FaultProxy.FORWARD))) {
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/retry", cfg(proxy.url(), 3));
      long t0 = System.currentTimeMillis() - 120_000;
      for (int k = 0; k < 20; k++) {
        e.consume(step("retry_gauge", t0 + k * 1000, k));
      }
      e.shutdown(Duration.ofSeconds(30));
      assertThat(e.droppedSamples()).isZero();
      assertThat(e.retriesTotal()).isGreaterThanOrEqualTo(faults.length);
    }
    Map<String, Integer> c = counts("retry_gauge");
    assertThat(c).hasSize(SERIES);
    assertThat(c.values()).containsOnly(20);
  }

  @Test
  void consume_4xxAreSentOnceCountedLoggedAndLaterBatchesFlow() throws Exception {
    // Requests 2, 4, ... 12 get one of the non-retryable statuses; the rest are forwarded.
    int[] statuses = {400, 401, 403, 404, 409, 413};
    long dropped;
    Support.CapturingLogger log = new Support.CapturingLogger();
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(),
        n -> n % 2 == 0 && n / 2 <= statuses.length ? statuses[n / 2 - 1] : FaultProxy.FORWARD)) {
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/bad", cfg(proxy.url(), 1), log, Support.NO_EXTENSIONS);
      long t0 = System.currentTimeMillis() - 120_000;
      for (int k = 0; k < 10; k++) {
        e.consume(step("bad_gauge", t0 + k * 1000, k));
      }
      e.shutdown(Duration.ofSeconds(30));
      assertThat(e.retriesTotal()).isZero();
      dropped = e.droppedSamples();
      assertThat(dropped).isPositive().isLessThan(SERIES * 10);
      assertThat(proxy.requests.get()).isEqualTo(proxy.forwarded.get() + statuses.length);
    }
    // each rejection logged once with the receiver's body
    for (int st : statuses) {
      assertThat(log.count("remote write returned HTTP " + st + ": injected " + st)).as("log for " + st).isEqualTo(1);
    }
    Map<String, Integer> c = counts("bad_gauge");
    int total = c.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(total).isEqualTo(SERIES * 10 - dropped);
    // the last step arrived for every series
    JsonNode last = Support.json(prom.query("bad_gauge", null));
    assertThat(last.path("data").path("result").size()).isEqualTo(SERIES);
  }

  /** The values of label {@code series} in a remote write request body (snappy, protobuf). */
  static java.util.Set<String> seriesIn(byte[] snappyBody) {
    java.util.Set<String> out = new java.util.HashSet<>();
    try {
      var req = dev.otelcoljava.exporter.prometheusremotewrite.internal.proto.Remote.WriteRequest.parseFrom(
          org.xerial.snappy.Snappy.uncompress(snappyBody));
      for (var ts : req.getTimeseriesList()) {
        for (var l : ts.getLabelsList()) {
          if (l.getName().equals("series")) {
            out.add(l.getValue());
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new AssertionError("undecodable remote write body", e);
    }
    return out;
  }

  /**
   * RELIABILITY case 3: every request that carries series s0 is answered 429 with Retry-After: 1
   * (capped by max_interval) until the retry budget (max_elapsed_time) is spent. The batches of
   * that shard are dropped, counted with reason throttled and logged once; the other shards keep
   * delivering meanwhile, every step in order; when the 429s stop, that shard delivers again.
   */
  @Test
  void consume_429UntilBudgetSpent_droppedAsThrottledLoggedOnce_otherShardsKeepDelivering() throws Exception {
    java.util.Set<String> throttledSeries = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.List<Long> throttledAt = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<Long> forwardedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean throttle = new java.util.concurrent.atomic.AtomicBoolean(true);
    Support.CapturingLogger log = new Support.CapturingLogger();
    String metric = "throttled_gauge";
    int steps = 10;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      proxy.bodyPlan = body -> {
        java.util.Set<String> names = seriesIn(body);
        if (throttle.get() && names.contains("s0")) {
          throttledSeries.addAll(names);
          throttledAt.add(System.nanoTime());
          return FaultProxy.RETRY_AFTER;
        }
        forwardedAt.add(System.nanoTime());
        return null;
      };
      Map<String, Object> c = new HashMap<>(cfg(proxy.url(), 4));
      c.put("max_batch_size_bytes", 3_000_000);
      c.put("retry_on_failure", Map.of("initial_interval", "10ms", "max_interval", "200ms", "max_elapsed_time", "1s"));
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/throttle", c, log, Support.NO_EXTENSIONS);
      long t0 = System.currentTimeMillis() - 120_000;
      for (int k = 0; k < steps; k++) {
        e.consume(step(metric, t0 + k * 1000L, k));
        Thread.sleep(100);
      }
      Support.await("the throttled shard's batches dropped", 20_000,
          () -> e.droppedByReason().getOrDefault("throttled", 0L) == (long) throttledSeries.size() * steps);
      assertThat(throttledSeries).contains("s0").hasSizeLessThan(SERIES);
      assertThat(e.droppedByReason()).containsOnlyKeys("throttled");
      long firstThrottle = throttledAt.get(0);
      long lastThrottle = throttledAt.get(throttledAt.size() - 1);
      assertThat(forwardedAt).as("other shards delivered while one got 429s")
          .anyMatch(t -> t > firstThrottle && t < lastThrottle);
      Map<String, Integer> got = counts(metric);
      for (int i = 0; i < SERIES; i++) {
        String name = "s" + i;
        if (throttledSeries.contains(name)) {
          assertThat(got).doesNotContainKey(name);
        } else {
          assertThat(got.get(name)).as("every step of %s, in order", name).isEqualTo(steps);
        }
      }
      assertThat(log.count("max_elapsed_time is reached")).as("logged once, not per batch").isEqualTo(1);
      assertThat(log.lines).filteredOn(l -> l.contains("max_elapsed_time is reached"))
          .allMatch(l -> l.contains("HTTP 429") && l.contains("reason=\"throttled\""));

      throttle.set(false);
      for (int k = steps; k < steps + 2; k++) {
        e.consume(step(metric, t0 + k * 1000L, k));
      }
      Support.await("every shard delivers again", 20_000, () -> {
        Map<String, Integer> m = counts(metric);
        return m.size() == SERIES && m.entrySet().stream()
            .allMatch(en -> en.getValue() == (throttledSeries.contains(en.getKey()) ? 2 : steps + 2));
      });
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isEqualTo((long) throttledSeries.size() * steps);
    }
  }

  /**
   * Without a WAL, the in-memory sending queue is bounded in bytes as well as in batches: during an
   * outage the batches beyond the bound are refused and counted as queue_full (never an
   * OutOfMemoryError), and everything accepted arrives, in order, when the receiver is back.
   */
  @Test
  void memoryQueueOutage_boundedInBytes_refusedCountedAsQueueFull_acceptedDeliveredInOrder() throws Exception {
    String metric = "memqueue_gauge";
    Map<String, Object> c = new HashMap<>(cfg("", 2));
    c.put("retry_on_failure", Map.of("initial_interval", "50ms", "max_interval", "500ms"));
    c.put("remote_write_queue", Map.of("num_consumers", 2, "queue_size", 10_000));
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/memqueue", c);
      e.memQueueBytesForTest(8 << 10);
      long t0 = System.currentTimeMillis() - 300_000;
      proxy.down();
      int steps = 40;
      int accepted = 0;
      int refused = 0;
      for (int k = 0; k < steps; k++) {
        try {
          e.consume(step(metric, t0 + k * 1000L, k));
          accepted++;
        } catch (dev.otelcoljava.runtime.api.ConsumerException ex) {
          assertThat(ex.getMessage()).contains("sending queue is full");
          refused++;
        }
      }
      assertThat(refused).as("batches refused beyond the byte bound").isPositive();
      assertThat(accepted).as("batches taken within 8 KiB").isPositive().isLessThan(steps);
      assertThat(e.queueSizeForTest()).isEqualTo(accepted);
      assertThat(e.droppedByReason()).containsOnlyKeys("queue_full");
      assertThat(e.droppedByReason().get("queue_full")).isEqualTo((long) refused * SERIES);
      proxy.up();
      int expected = accepted;
      Support.await("the " + expected + " accepted steps delivered", 30_000, () -> {
        Map<String, Integer> m = counts(metric);
        return m.size() == SERIES && m.values().stream().allMatch(v -> v == expected);
      });
      // and the queue takes batches again once it has drained
      e.consume(step(metric, t0 + steps * 1000L, steps));
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedByReason().get("queue_full")).isEqualTo((long) refused * SERIES);
    }
    JsonNode last = Support.json(prom.query("max(" + metric + ")", null));
    assertThat(last.path("data").path("result").get(0).path("value").get(1).asInt()).isEqualTo(40);
  }

  /**
   * During an outage the WAL reader holds what it has read in memory until it is sent: at most
   * buffer_size records and at most the read-ahead byte bound; the rest of the backlog waits on
   * disk, and all of it arrives, in order, when the receiver is back.
   */
  @Test
  void walOutage_readAheadBoundedInBytes_backlogStaysOnDisk_allDeliveredInOrder() throws Exception {
    String metric = "readahead_gauge";
    Map<String, Object> c = new HashMap<>(cfg("", 2));
    c.put("retry_on_failure", Map.of("initial_interval", "50ms", "max_interval", "500ms"));
    c.put("wal", Map.of("directory", tmp.resolve("wal-readahead").toString(), "truncate_frequency", "200ms"));
    long cap = 8 << 10;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/readahead", c);
      e.walReadAheadBytesForTest(cap);
      long t0 = System.currentTimeMillis() - 300_000;
      proxy.down();
      int steps = 60;
      long maxQueued = 0;
      for (int k = 0; k < steps; k++) {
        e.consume(step(metric, t0 + k * 1000L, k));
        maxQueued = Math.max(maxQueued, e.queueSizeForTest());
        Thread.sleep(20);
      }
      Thread.sleep(500);
      maxQueued = Math.max(maxQueued, e.queueSizeForTest());
      long held = e.maxInflightBytesForTest();
      long perRecord = held / Math.max(1, maxQueued);
      assertThat(perRecord).as("a record's payload").isPositive();
      assertThat(held).as("bytes of WAL records held in memory during the outage").isLessThan(cap + perRecord + 1);
      assertThat(maxQueued).as("records read ahead (of %d in the WAL)", steps).isLessThan(steps / 2);
      proxy.up();
      Support.await("all " + steps + " steps delivered", 30_000, () -> {
        Map<String, Integer> m = counts(metric);
        return m.size() == SERIES && m.values().stream().allMatch(v -> v == steps);
      });
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isZero();
    }
    JsonNode last = Support.json(prom.query("max(" + metric + ")", null));
    assertThat(last.path("data").path("result").get(0).path("value").get(1).asInt()).isEqualTo(59);
  }

  @Test
  void consume_hangingReceiverTimesOutAndIsRetried() throws Exception {
    Map<String, Object> c = new HashMap<>(cfg("", 2));
    c.put("timeout", "300ms");
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> n <= 2 ? FaultProxy.HANG : FaultProxy.FORWARD)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/hang", c);
      long t0 = System.currentTimeMillis() - 120_000;
      for (int k = 0; k < 5; k++) {
        e.consume(step("hang_gauge", t0 + k * 1000, k));
      }
      long start = System.nanoTime();
      e.shutdown(Duration.ofSeconds(20));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
      assertThat(e.droppedSamples()).isZero();
      assertThat(e.retriesTotal()).isGreaterThanOrEqualTo(2);
    }
    assertThat(counts("hang_gauge").values()).hasSize(SERIES).containsOnly(5);
  }

  @Test
  void consume_orderHoldsUnderRandomLatencyAnd500sAcrossShards() throws Exception {
    java.util.Random rnd = new java.util.Random(42);
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> rnd.nextInt(4) == 0 ? 500 : FaultProxy.FORWARD)) {
      proxy.maxLatencyMillis = 200;
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/chaos", cfg(proxy.url(), 4));
      long t0 = System.currentTimeMillis() - 120_000;
      for (int k = 0; k < 15; k++) {
        e.consume(step("chaos_gauge", t0 + k * 1000, k));
      }
      e.shutdown(Duration.ofSeconds(60));
      assertThat(e.droppedSamples()).isZero();
      assertThat(e.retriesTotal()).isPositive();
    }
    // Prometheus rejects out-of-order samples: every sample present means per-series order held.
    assertThat(counts("chaos_gauge").values()).hasSize(SERIES).containsOnly(15);
    JsonNode last = Support.json(prom.query("chaos_gauge", null));
    for (JsonNode r : last.path("data").path("result")) {
      assertThat(r.path("value").get(1).asText()).isEqualTo("14");
    }
  }

  /**
   * Steady load (a batch every 200 ms) while the receiver is down (connections refused) for 15 s
   * (WAL) or 8 s (in-memory queue) and after; everything arrives, in order, once it is back.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void sustainedOutageAtSteadyLoad_thenBack_zeroLossInOrder(boolean withWal) throws Exception {
    String metric = withWal ? "outage_wal_gauge" : "outage_mem_gauge";
    Map<String, Object> c = new HashMap<>(cfg("", 2));
    c.put("retry_on_failure", Map.of("initial_interval", "50ms", "max_interval", "1s"));
    if (withWal) {
      c.put("wal", Map.of("directory", tmp.resolve("wal-outage").toString(), "truncate_frequency", "200ms"));
    } else {
      c.put("remote_write_queue", Map.of("num_consumers", 2, "queue_size", 10_000));
    }
    int steps = 0;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/outage", c);
      long t0 = System.currentTimeMillis() - 300_000;
      long phaseEnd = System.currentTimeMillis() + 2_000;
      while (System.currentTimeMillis() < phaseEnd) {
        e.consume(step(metric, t0 + steps * 1000L, steps));
        steps++;
        Thread.sleep(200);
      }
      proxy.down();
      int forwardedAtDown = proxy.forwarded.get();
      phaseEnd = System.currentTimeMillis() + (withWal ? 15_000 : 8_000);
      long maxQueued = 0;
      while (System.currentTimeMillis() < phaseEnd) {
        e.consume(step(metric, t0 + steps * 1000L, steps)); // accepted: never throws during the outage
        steps++;
        maxQueued = Math.max(maxQueued, e.queueSizeForTest());
        Thread.sleep(200);
      }
      assertThat(proxy.forwarded.get()).isEqualTo(forwardedAtDown);
      assertThat(e.retriesTotal()).isPositive();
      assertThat(maxQueued).as("queue grows during the outage").isGreaterThan(5);
      proxy.up();
      phaseEnd = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < phaseEnd) {
        e.consume(step(metric, t0 + steps * 1000L, steps));
        steps++;
        Thread.sleep(200);
      }
      int expected = steps;
      Support.await("all " + expected + " steps delivered", 30_000, () -> {
        Map<String, Integer> m = counts(metric);
        return m.size() == SERIES && m.values().stream().allMatch(v -> v == expected);
      });
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isZero();
    }
    JsonNode last = Support.json(prom.query("max(" + metric + ")", null));
    assertThat(last.path("data").path("result").get(0).path("value").get(1).asInt()).isEqualTo(steps - 1);
  }

  @Test
  void gracefulStopDuringOutage_keepsUnsentInWalForNextStart() throws Exception {
    Path wal = tmp.resolve("wal-stop");
    Support.CapturingLogger log = new Support.CapturingLogger();
    Map<String, Object> c = new HashMap<>(cfg("", 2));
    c.put("wal", Map.of("directory", wal.toString(), "truncate_frequency", "100ms"));
    long t0 = System.currentTimeMillis() - 120_000;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> 503)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/stop", c, log, Support.NO_EXTENSIONS);
      for (int k = 0; k < 8; k++) {
        e.consume(step("stop_gauge", t0 + k * 1000, k));
      }
      Support.await("retries during the outage", 10_000, () -> e.retriesTotal() > 2);
      long start = System.nanoTime();
      e.shutdown(Duration.ofSeconds(2));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(e.droppedSamples()).as("nothing counted lost: it stays in the WAL").isZero();
    }
    assertThat(log.lines).as("a stop during an outage is not an error").noneMatch(l -> l.startsWith("ERROR"));
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/stop", c);
      Support.await("replayed after restart", 30_000, () -> {
        Map<String, Integer> m = counts("stop_gauge");
        return m.size() == SERIES && m.values().stream().allMatch(v -> v == 8);
      });
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isZero();
    }
  }

  @Test
  void gracefulStopDuringOutage_withoutWal_logsAndCountsWhatIsLost() throws Exception {
    Support.CapturingLogger log = new Support.CapturingLogger();
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> 503)) {
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/memstop", cfg(proxy.url(), 2), log, Support.NO_EXTENSIONS);
      long t0 = System.currentTimeMillis() - 120_000;
      for (int k = 0; k < 3; k++) {
        e.consume(step("memstop_gauge", t0 + k * 1000, k));
      }
      Support.await("retries during the outage", 10_000, () -> e.retriesTotal() > 2);
      long start = System.nanoTime();
      e.shutdown(Duration.ofSeconds(1));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
      assertThat(e.droppedSamples()).isEqualTo(3L * SERIES);
    }
    assertThat(log.count("shut down with " + 3 * SERIES + " samples unsent (no WAL configured); they are lost")).isEqualTo(1);
  }

  /** Offsets of the record frames in a WAL segment (8-byte magic, then [u32 len][u32 crc][body]). */
  static java.util.List<Integer> frames(byte[] seg) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    int pos = 8;
    while (pos + 8 <= seg.length) {
      int len = java.nio.ByteBuffer.wrap(seg, pos, 4).getInt();
      out.add(pos);
      pos += 8 + len;
    }
    return out;
  }

  /**
   * A WAL segment damaged while the collector was down: garbage bytes inside record 6 of 10, or the
   * file cut off in the middle of record 6. Start-up recovers, logs once, counts the damage, and
   * every intact record is delivered (after garbage, records 7..9 are intact too).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"garbage", "truncated"})
  void corruptWalSegment_startUpRecoversLogsOnceCountsAndSendsWhatIsIntact(String damage) throws Exception {
    Path wal = tmp.resolve("wal-corrupt-" + damage);
    String metric = "corrupt_" + damage + "_gauge";
    Map<String, Object> c = new HashMap<>(cfg("", 2));
    c.put("wal", Map.of("directory", wal.toString(), "truncate_frequency", "100ms"));
    long t0 = System.currentTimeMillis() - 120_000;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> 503)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/corrupt", c);
      for (int k = 0; k < 10; k++) {
        e.consume(step(metric, t0 + k * 1000, k)); // one WAL record per step
      }
      e.crashForTest();
    }
    Path seg;
    try (var files = java.nio.file.Files.walk(wal)) {
      seg = files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(seg);
    java.util.List<Integer> f = frames(bytes);
    assertThat(f).hasSize(10);
    if (damage.equals("garbage")) {
      for (int i = 0; i < 16; i++) {
        bytes[f.get(6) + 40 + i] = (byte) 0xA5;
      }
      java.nio.file.Files.write(seg, bytes);
    } else {
      java.nio.file.Files.write(seg, java.util.Arrays.copyOf(bytes, f.get(6) + 40));
    }
    java.util.List<Integer> intact = damage.equals("garbage")
        ? java.util.List.of(0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11) : java.util.List.of(0, 1, 2, 3, 4, 5, 10, 11);
    Support.CapturingLogger log = new Support.CapturingLogger();
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/corrupt", c, log, Support.NO_EXTENSIONS);
      assertThat(e.corruptTotal()).isEqualTo(1);
      for (int k = 10; k < 12; k++) {
        e.consume(step(metric, t0 + k * 1000, k));
      }
      Support.await("intact records and new ones delivered", 30_000, () -> {
        Map<String, Integer> m = counts(metric);
        return m.size() == SERIES && m.values().stream().allMatch(v -> v == intact.size());
      });
      e.shutdown(Duration.ofSeconds(10));
    }
    assertThat(log.count("had corrupt or torn data {torn_or_corrupt_record=1}")).isEqualTo(1);
    // Exactly the intact steps and the two consumed after the restart arrived, in order.
    JsonNode raw = Support.json(prom.query(metric + "{series=\"s0\"}[1h]", null));
    java.util.List<Integer> values = new java.util.ArrayList<>();
    for (JsonNode v : raw.path("data").path("result").get(0).path("values")) {
      values.add(v.get(1).asInt());
    }
    assertThat(values).isEqualTo(intact);
    // Replay after a restart counts no corruption when the WAL is intact.
    PrometheusRemoteWriteExporter again = Support.start("prometheusremotewrite/corrupt", c);
    assertThat(again.corruptTotal()).isZero();
    again.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void walOutageThenCrashAndRestart_losesNothing() throws Exception {
    Path wal = tmp.resolve("wal");
    Map<String, Object> cfg = new HashMap<>(cfg("", 2));
    cfg.put("wal", Map.of("directory", wal.toString(), "truncate_frequency", "100ms"));
    long t0 = System.currentTimeMillis() - 120_000;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> 503)) {
      cfg.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/wal", cfg);
      for (int k = 0; k < 10; k++) {
        e.consume(step("wal_gauge", t0 + k * 1000, k));
      }
      Support.await("retries during the outage", 10_000, () -> e.retriesTotal() > 2);
      e.crashForTest(); // no shutdown: what a SIGKILL leaves behind
    }
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      cfg.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/wal", cfg);
      for (int k = 10; k < 15; k++) {
        e.consume(step("wal_gauge", t0 + k * 1000, k));
      }
      Support.await("all samples delivered", 30_000, () -> {
        Map<String, Integer> c = counts("wal_gauge");
        return c.size() == SERIES && c.values().stream().allMatch(v -> v == 15);
      });
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isZero();
    }
  }
}
