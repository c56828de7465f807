package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.testing.peers.VictoriaMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large payload arrays are reused from batch to batch (PayloadPool), given back when the shards
 * have copied every series out of them: batches consumed back to back, each written into an array
 * an earlier batch used, all reach a real VictoriaMetrics with every sample's own value. A payload
 * array reused while a shard still read it would send another batch's values (or garbled series).
 */
class PayloadReuseTest {
  static final int SERIES = 4000;
  static final int BATCHES = 12;

  static MetricsBatch batch(long tMillis, int step) {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = Support.resource(b, "kube-state-metrics", "10.0.3.17:8080").addScope("", "");
    for (int i = 0; i < SERIES; i++) {
      String pod = "payments-api-6c9f7d8b5-" + Integer.toString(200000 + i, 36);
      Attributes a = Attributes.of("namespace", "payments", "pod", pod, "series", "s" + i,
          "uid", "3f9a2c1e-7b4d-4e8f-a1c2-" + String.format("%012x", 0x5a3c0000L + i),
          "node", "ip-10-0-" + (i % 200) + "-" + (i % 250) + ".eu-west-1.compute.internal",
          "created_by_name", "payments-api-6c9f7d8b5", "container", "app", "image", "registry.example.com/payments/api:v2." + i % 17);
      Support.gauge(s, "kube_pod_reuse_check", "", a, tMillis * 1_000_000L, step * 100_000.0 + i);
    }
    return b;
  }

  @Test
  void batchesWrittenIntoReusedArrays_allArrive_eachWithItsOwnValues(@TempDir Path tmp) throws Exception {
    try (VictoriaMetrics vm = VictoriaMetrics.start(tmp.resolve("vm"))) {
      Map<String, Object> tree = Map.of("endpoint", vm.remoteWriteUrl(), "max_batch_size_bytes", 200_000,
          "remote_write_queue", Map.of("num_consumers", 3));
      PrometheusRemoteWriteExporter e = (PrometheusRemoteWriteExporter) Support.FACTORY.createExporter(
          Support.settings("prometheus_remote_write/reuse"), Support.config(tree));
      e.payloadPoolForTest(64L << 20);
      e.start(Support.NO_EXTENSIONS);
      long t0 = System.currentTimeMillis() - 600_000;
      try {
        long maxPooled = 0;
        for (int step = 0; step < BATCHES; step++) {
          e.consume(batch(t0 + step * 15_000L, step));
          maxPooled = Math.max(maxPooled, e.pooledBytes());
        }
        Support.await("every sample in VictoriaMetrics", 60_000,
            () -> vm.query("sum(count_over_time(kube_pod_reuse_check[1h]))", null).contains("\"" + SERIES * BATCHES + "\""));
        Support.await("payload arrays back in the pool", 10_000, () -> e.pooledBytes() > 0);
        assertThat(Math.max(maxPooled, e.pooledBytes())).as("bytes of payload arrays kept for reuse").isGreaterThan(1 << 20);
      } finally {
        e.shutdown(Duration.ofSeconds(5));
      }
      Map<String, Integer> checked = new HashMap<>();
      for (String line : vm.export("kube_pod_reuse_check").split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = Support.json(line);
        int i = Integer.parseInt(n.path("metric").path("series").asText().substring(1));
        assertThat(n.path("metric").path("pod").asText()).isEqualTo("payments-api-6c9f7d8b5-" + Integer.toString(200000 + i, 36));
        JsonNode values = n.path("values");
        JsonNode ts = n.path("timestamps");
        assertThat(values.size()).as("samples of s%d", i).isEqualTo(BATCHES);
        for (int k = 0; k < values.size(); k++) {
          int step = (int) ((ts.get(k).asLong() - t0) / 15_000L);
          assertThat(values.get(k).asDouble()).as("s%d at step %d", i, step).isEqualTo(step * 100_000.0 + i);
        }
        checked.put("s" + i, values.size());
      }
      assertThat(checked).hasSize(SERIES);
    }
  }
}
