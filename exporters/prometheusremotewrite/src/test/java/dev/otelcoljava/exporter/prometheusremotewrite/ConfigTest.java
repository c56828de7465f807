package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ConfigTest {
  static ConfigProblems problems(Map<String, Object> tree) {
    return (ConfigProblems) Support.load(tree, "prometheusremotewrite")[1];
  }

  @Test
  void createConfig_defaults() {
    PrometheusRemoteWriteConfig c = Support.config(Map.of("endpoint", "http://localhost:9090/api/v1/write"));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.retry()).isEqualTo(new PrometheusRemoteWriteConfig.Retry(true, Duration.ofMillis(50), 0.5, 1.5, Duration.ofSeconds(30), Duration.ofMinutes(5)));
    assertThat(c.queue()).isEqualTo(new PrometheusRemoteWriteConfig.Queue(true, 10000, 5));
    assertThat(c.maxBatchSizeBytes()).isEqualTo(3_000_000);
    assertThat(c.targetInfo()).isTrue();
    assertThat(c.addMetricSuffixes()).isTrue();
    assertThat(c.wal()).isNull();
    assertThat(Support.FACTORY.deprecatedTypes()).containsExactly("prometheusremotewrite");
  }

  @Test
  void createConfig_fullConfigLoads() {
    PrometheusRemoteWriteConfig c = Support.config(Map.of("endpoint", "https://aps.example/api/v1/remote_write",
        "auth", Map.of("authenticator", "sigv4auth"), "external_labels", Map.of("cluster.name", "c1"),
        "namespace", "ns", "resource_to_telemetry_conversion", Map.of("enabled", true),
        "wal", Map.of("directory", "/tmp/w", "max_disk_usage", "64MiB", "max_age", "2h")));
    assertThat(c.externalLabels()).containsExactly(Map.entry("cluster_name", "c1"));
    assertThat(Support.FACTORY.extensionReferences(c)).containsExactly(Map.entry("auth::authenticator", ComponentId.parse("sigv4auth")));
    assertThat(c.wal().maxDiskUsage()).isEqualTo(64L << 20);
    assertThat(c.wal().maxAge()).isEqualTo(Duration.ofHours(2));
    assertThat(c.resourceToTelemetry()).isTrue();
  }

  @Test
  void createConfig_invalidValuesNameTheirPath() {
    assertThat(problems(Map.of()).errors()).anyMatch(e -> e.startsWith("exporters::prometheusremotewrite::endpoint: is required"));
    assertThat(problems(Map.of("endpoint", "http://x/", "compression", "gzip")).errors())
        .anyMatch(e -> e.contains("compression type must be snappy"));
    assertThat(problems(Map.of("endpoint", "http://x/", "remote_write_queue", Map.of("queue_size", 0))).errors())
        .containsExactly("exporters::prometheusremotewrite::remote_write_queue::queue_size: a 0 size queue will drop all the data");
    assertThat(problems(Map.of("endpoint", "http://x/", "headers", Map.of("Content-Type", "x"))).errors())
        .anyMatch(e -> e.startsWith("exporters::prometheusremotewrite::headers::Content-Type: cannot override"));
    assertThat(problems(Map.of("endpoint", "http://x/", "external_labels", Map.of("a", ""))).errors())
        .anyMatch(e -> e.contains("empty key or value"));
    assertThat(problems(Map.of("endpoint", "http://x/", "sending_queue", Map.of())).errors())
        .anyMatch(e -> e.startsWith("exporters::prometheusremotewrite::sending_queue: is not supported"));
    ConfigProblems p = problems(Map.of("endpoint", "http://x/", "export_created_metric", Map.of("enabled", true)));
    assertThat(p.errors()).isEmpty();
    assertThat(p.warnings()).anyMatch(w -> w.contains("export_created_metric"));
  }

  /** The collector finds exporters through ServiceLoader; a misplaced services file leaves the type unknown. */
  @Test
  void serviceLoader_findsTheExporterFactory() {
    List<ComponentFactory<?>> found = new ArrayList<>();
    for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
      if (f instanceof PrometheusRemoteWriteExporterFactory) {
        found.add(f);
      }
    }
    assertThat(found).hasSize(1);
    assertThat(found.get(0).deprecatedTypes()).contains("prometheusremotewrite");
    assertThat(found.get(0).kind()).isEqualTo(ComponentKind.EXPORTER);
  }
}
