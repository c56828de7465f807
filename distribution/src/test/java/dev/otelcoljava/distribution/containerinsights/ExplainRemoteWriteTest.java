package dev.otelcoljava.distribution.containerinsights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.explain.Explain;
import dev.otelcoljava.runtime.explain.OfflinePipeline;
import dev.otelcoljava.runtime.internal.service.Service;
import dev.otelcoljava.testing.SharedFiles;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code explain} on the local-compose-amp scenario (prometheus receiver with a static target,
 * batch, then logging and prometheusremotewrite) over two saved Spring Boot actuator pages: the
 * report shows the series remote write would send (with the resource attributes as labels, as
 * resource_to_telemetry_conversion asks) and says that the logging exporter has no preview. The
 * golden pins it.
 */
class ExplainRemoteWriteTest {
  @Test
  void explain_localComposeAmp_showsTheRemoteWriteSeries() throws Exception {
    Map<String, String> env = Map.of("AMP_REMOTE_WRITE_URL",
        "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-example/api/v1/remote_write");
    String yaml = Files.readString(SharedFiles.scenarios().resolve("local-compose-amp.yaml"));
    Service service = Service.builder().yaml(yaml).env(env).registry(ContainerInsightsRun.registry(env)).offline(true)
        .build();
    String text;
    // a fixed version: it is the otel_scope_version label of every series
    BuildInfo info = new BuildInfo("otelcol-java", "otelcol-java", "9.9.9-test");
    try (OfflinePipeline p = OfflinePipeline.open(service.config(), null, Map.of(), true, false, info)) {
      text = Explain.run(p, List.of(
          new Explain.Input("actuator-prometheus-1.txt",
              Files.readAllBytes(SharedFiles.fixtures().resolve("expositions/springboot/actuator-prometheus-1.txt"))),
          new Explain.Input("actuator-prometheus-2.txt",
              Files.readAllBytes(SharedFiles.fixtures().resolve("expositions/springboot/actuator-prometheus-2.txt")))),
          Instant.parse("2026-06-26T10:00:00Z").toEpochMilli(), 4);
    }
    ContainerInsightsRun.assertGolden("explain-local-compose-amp.txt", text);
    assertThat(text).contains("receiver prometheus: job spring-app, target http://app:8081/actuator/prometheus",
        "exporter logging: would get", "(no preview for this exporter type)", "exporter prometheusremotewrite: ",
        " series, ", "job=\"spring-app\"", "instance=\"app:8081\"");
  }

  @Test
  void explain_batchSplitting_showsEachBatchTheExporterWouldGet() throws Exception {
    Map<String, String> env = Map.of("AMP_REMOTE_WRITE_URL", "https://aps.example/api/v1/remote_write");
    String yaml = Files.readString(SharedFiles.scenarios().resolve("local-compose-amp.yaml"));
    // as a user would try it: --config scenario --config override
    String override = "processors:\n  batch:\n    send_batch_size: 40\n    send_batch_max_size: 40\n    timeout: 10s\n"
        + "service:\n  pipelines:\n    metrics:\n      processors: [batch]\n";
    Service service = Service.builder().yaml(yaml).yaml(override).env(env).registry(ContainerInsightsRun.registry(env))
        .offline(true).build();
    String text;
    try (OfflinePipeline p = OfflinePipeline.open(service.config(), null, Map.of(), true, false,
        new BuildInfo("otelcol-java", "otelcol-java", "9.9.9-test"))) {
      text = Explain.run(p, List.of(new Explain.Input("actuator-prometheus-1.txt",
          Files.readAllBytes(SharedFiles.fixtures().resolve("expositions/springboot/actuator-prometheus-1.txt")))),
          Instant.parse("2026-06-26T10:00:00Z").toEpochMilli(), 1);
    }
    // 91 points in batches of at most 40: 40 + 40 sent when full, the 11 left held (timeout 10 s) until shutdown
    assertThat(text).contains("processor batch: 52 -> ", "91 -> 80 points, 1 -> 2 batches",
        "exporter prometheusremotewrite: batch 1 of 2: ", "  batch 2 of 2: ",
        "== shutdown: processors release what they hold", "processor batch: released 1 batch, ", " 11 points");
  }
}

