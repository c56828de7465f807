package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelcoljava.runtime.api.ConsumerException;
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
 * The in-memory sending queue (no WAL) keeps batches that wait behind a down back end
 * snappy-compressed and counts that size against its byte bound: with the same bound it holds
 * several times more cAdvisor-like batches before refusing one as queue_full than when it kept them
 * as encoded, and everything it accepted reaches a real Prometheus (which rejects out-of-order
 * samples) in order once the back end is back.
 */
class MemoryQueueCompressionTest {
  /** Series per batch: 4 cAdvisor metrics x 60 containers, 10 labels each. */
  static final int CONTAINERS = 60;
  static final String[] NAMES = {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
      "container_network_receive_bytes_total", "container_fs_reads_bytes_total"};
  static final int SERIES = CONTAINERS * NAMES.length;
  static final long BOUND = 400 << 10;
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

  /** One scrape of a node's cAdvisor: every series one sample at time t, values varying by series and step. */
  static MetricsBatch scrape(String prefix, long tMillis, int step) {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = Support.resource(b, "kubernetes-cadvisor", "ip-10-0-12-34.us-west-2.compute.internal:10250").addScope("", "");
    for (int m = 0; m < NAMES.length; m++) {
      for (int i = 0; i < CONTAINERS; i++) {
        String pod = "checkout-7d9f8b6c5-" + Integer.toString(100000 + i, 36);
        Attributes a = Attributes.of("container", "app-" + (i % 7), "cpu", "total",
            "id", "/kubepods/burstable/pod" + Integer.toHexString(0x5a3c0000 + i) + "-2b1e-4c1f-9d7e-3f5a0e1c2b4d/" + pod,
            "image", "123456789012.dkr.ecr.us-west-2.amazonaws.com/checkout:v1." + i % 13,
            "name", "k8s_app_" + pod, "namespace", "shop", "pod", pod, "series", "s" + i);
        Support.gauge(s, prefix + NAMES[m], "", a, tMillis * 1_000_000L, step * 1000.0 + i * 7.25 + m);
      }
    }
    return b;
  }

  /** The number of samples per series over the last hour, for the series of {@code prefix}. */
  static Map<String, Integer> counts(String prefix) {
    Map<String, Integer> out = new HashMap<>();
    for (String name : NAMES) {
      JsonNode root = Support.json(prom.query("count_over_time(" + prefix + name + "[1h])", null));
      for (JsonNode r : root.path("data").path("result")) {
        out.put(name + "/" + r.path("metric").path("series").asText(), r.path("value").get(1).asInt());
      }
    }
    return out;
  }

  record Outcome(int accepted, long heldBytes) {}

  /**
   * Takes scrapes while the back end is down until the first is refused as queue_full; then brings
   * the back end up and checks that every accepted scrape is stored, in order, and the queue is empty.
   */
  Outcome outageUntilFull(String prefix, boolean compress) throws Exception {
    Map<String, Object> c = new HashMap<>();
    c.put("max_batch_size_bytes", 16_000); // several requests per chunk: partly sent chunks included
    c.put("retry_on_failure", Map.of("initial_interval", "50ms", "max_interval", "500ms"));
    c.put("remote_write_queue", Map.of("num_consumers", 2, "queue_size", 10_000));
    c.put("target_info", Map.of("enabled", false));
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      c.put("endpoint", proxy.url());
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/" + prefix, c);
      e.memQueueBytesForTest(BOUND);
      e.compressQueuedForTest(compress);
      long t0 = System.currentTimeMillis() - 300_000;
      proxy.down();
      int accepted = 0;
      long held = 0;
      for (int k = 0; k < 500; k++) {
        try {
          e.consume(scrape(prefix, t0 + k * 1000L, k));
        } catch (ConsumerException ex) {
          assertThat(ex.getMessage()).contains("sending queue is full");
          break;
        }
        accepted++;
        held = e.queuedBytesForTest();
        if (k == 0) {
          // scrapes come seconds apart: the first one's request has failed by the next
          Support.await("the first request retried", 10_000, () -> e.retriesTotal() > 0);
        }
      }
      assertThat(accepted).as("a batch is refused within 500").isLessThan(500);
      assertThat(held).as("bytes held within the bound").isLessThanOrEqualTo(BOUND);
      assertThat(e.queueSizeForTest()).isEqualTo(accepted);
      assertThat(e.droppedByReason()).containsOnlyKeys("queue_full");
      assertThat(e.droppedByReason().get("queue_full")).isEqualTo((long) SERIES);
      assertThat(proxy.forwarded.get()).isZero();
      proxy.up();
      int expected = accepted;
      Support.await("the " + expected + " accepted scrapes delivered", 60_000, () -> {
        Map<String, Integer> m = counts(prefix);
        return m.size() == SERIES && m.values().stream().allMatch(v -> v == expected);
      });
      Support.await("the queue empty", 10_000, () -> e.queueSizeForTest() == 0 && e.queuedBytesForTest() == 0);
      e.shutdown(Duration.ofSeconds(10));
      // Prometheus refuses out-of-order samples: nothing but the one refusal was dropped
      assertThat(e.droppedByReason()).containsOnlyKeys("queue_full");
      assertThat(e.droppedByReason().get("queue_full")).isEqualTo((long) SERIES);
      JsonNode last = Support.json(prom.query("max(max_over_time(" + prefix + NAMES[0] + "[1h]))", null));
      assertThat(last.path("data").path("result").get(0).path("value").get(1).asDouble())
          .isEqualTo((accepted - 1) * 1000.0 + (CONTAINERS - 1) * 7.25);
      return new Outcome(accepted, held);
    }
  }

  @Test
  void outage_compressedQueueHoldsSeveralTimesMoreBatchesWithinTheSameBytes_allDeliveredInOrder() throws Exception {
    Outcome plain = outageUntilFull("cq_plain_", false);
    Outcome packed = outageUntilFull("cq_snappy_", true);
    System.out.printf("in-memory queue, %d-byte bound, %d series per batch: %d batches held as encoded (%d bytes), %d compressed"
        + " (%d bytes, %.1f bytes per sample)%n", BOUND, SERIES, plain.accepted(), plain.heldBytes(), packed.accepted(),
        packed.heldBytes(), (double) packed.heldBytes() / (packed.accepted() * (long) SERIES));
    assertThat(plain.accepted()).as("batches held as encoded").isGreaterThan(1);
    assertThat(packed.accepted()).as("batches held compressed, vs " + plain.accepted() + " as encoded")
        .isGreaterThanOrEqualTo(4 * plain.accepted());
  }
}
