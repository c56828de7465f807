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
  void consume_400IsSentOnceCountedAndLaterBatchesFlow() throws Exception {
    long dropped;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> n == 2 ? 400 : FaultProxy.FORWARD)) {
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/bad", cfg(proxy.url(), 1));
      long t0 = System.currentTimeMillis() - 120_000;
      for (int k = 0; k < 10; k++) {
        e.consume(step("bad_gauge", t0 + k * 1000, k));
      }
      e.shutdown(Duration.ofSeconds(30));
      assertThat(e.retriesTotal()).isZero();
      dropped = e.droppedSamples();
      assertThat(dropped).isPositive().isLessThan(SERIES * 10);
      assertThat(proxy.requests.get()).isEqualTo(proxy.forwarded.get() + 1);
    }
    Map<String, Integer> c = counts("bad_gauge");
    int total = c.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(total).isEqualTo(SERIES * 10 - dropped);
    // the last step arrived for every series
    JsonNode last = Support.json(prom.query("bad_gauge", null));
    assertThat(last.path("data").path("result").size()).isEqualTo(SERIES);
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
