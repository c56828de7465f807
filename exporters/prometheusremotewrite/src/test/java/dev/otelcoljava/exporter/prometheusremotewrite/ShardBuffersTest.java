package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.FreePorts;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Memory the exporter holds before it has anything to send. Each of the {@code num_consumers}
 * shards used to allocate a 1 MiB request buffer and a 1.2 MiB snappy buffer up front: 11 MiB of
 * heap for the default 5 consumers, which alone pushed the ECS sidecar (96 MiB task, 40 MiB heap)
 * into the kernel's OOM killer with a 2,000-series target. The buffers now grow with the requests.
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
}
