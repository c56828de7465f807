package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.peers.VictoriaMetrics;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory the exporter holds before it has anything to send. Each of the {@code num_consumers}
 * shards used to allocate a 1 MiB request buffer and a 1.2 MiB snappy buffer up front: 11 MiB of
 * heap for the default 5 consumers, which alone pushed the ECS sidecar (96 MiB task, 40 MiB heap)
 * into the kernel's OOM killer with a 2,000-series target. The buffers now grow with the requests,
 * and large ones are not kept between batches either: kept, they held ~6 MiB of a 2,000-series
 * sidecar's ~18 MiB live heap between scrapes.
 */
class ShardBuffersTest {
  @Test
  void start_defaultFiveConsumers_allocatesNoPerShardRequestBuffers() throws Exception {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<String, Object> tree = Map.of("endpoint", "http://127.0.0.1:" + FreePorts.find() + "/api/v1/write",
        "remote_write_queue", Map.of("num_consumers", 5));
    // A first exporter loads the classes and the HTTP client's; the second is what is measured.
    Support.start("prometheus_remote_write/warmup", tree).shutdown(Duration.ofSeconds(5));

    long before = mx.getCurrentThreadAllocatedBytes();
    PrometheusRemoteWriteExporter e = Support.start("prometheus_remote_write/measured", tree);
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    e.shutdown(Duration.ofSeconds(5));

    // 5 x (1 MiB + 1.2 MiB) before; the rest of a start (HTTP client, queues, self-metrics) is far less.
    assertThat(allocated).as("bytes allocated by create + start").isLessThan(2L << 20);
  }

  @Test
  void afterALargeBatchIsDelivered_noLargeBuffersAreKept(@TempDir Path tmp) throws Exception {
    try (VictoriaMetrics vm = VictoriaMetrics.start(tmp.resolve("vm"))) {
      Map<String, Object> tree = Map.of("endpoint", vm.remoteWriteUrl(),
          "resource_to_telemetry_conversion", Map.of("enabled", true));
      PrometheusRemoteWriteExporter e = Support.start("prometheus_remote_write/large", tree);
      try {
        // 2,000 series with ECS-like resource labels: ~1.2 MB encoded, ~250 KB per shard request.
        MetricsBatch b = new MetricsBatch();
        ScopeMetrics s = b.addResource(Attributes.of("service.name", "spring-app", "service.instance.id", "10.0.1.23:8081",
            "aws.ecs.task.arn", "arn:aws:ecs:us-east-1:123456789012:task/my-cluster/a8585a4c6a9b4e6c9b3b7a2b1e0f7c1d",
            "aws.ecs.task.family", "spring-app-task", "cloud.region", "us-east-1")).addScope("", "");
        long t = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < 2000; i++) {
          Support.gauge(s, "app_pool_" + (i % 40) + "_bytes", "", Attributes.of("uri", "/api/v1/item/" + i,
              "method", "GET", "status", "200"), t, i);
        }
        e.consume(b);
        Support.await("2000 series in VictoriaMetrics", 30_000,
            () -> vm.query("count({__name__=~\"app_pool_.*\"})", null).contains("\"2000\""));
        // Encode buffer (64 KiB) and five idle shard bodies (4 KiB each); before: ~3.3 MiB. Shards
        // drop their grown buffers 1 s after their last request (10 s in heaps of 1 GiB or more, as
        // this test JVM's may be). Payload arrays kept for reuse are not counted here: the pool is
        // off in heaps below 1 GiB (PayloadPoolTest).
        Support.await("shards idle with small buffers", 25_000, () -> e.retainedBytes() < 128 << 10);
        assertThat(e.retainedBytes()).isLessThan(128 << 10);
      } finally {
        e.shutdown(Duration.ofSeconds(5));
      }
    }
  }
}
