package dev.otelcoljava.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.otlp.OtlpReceiverFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.MetricsSink;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collectors chained over OTLP: this JVM's otlp_grpc exporter sends to a second collector process
 * (the real CLI: otlp receiver over gRPC, otlphttp exporter), which sends back to this JVM's otlp
 * receiver over HTTP. The data arrives identical. The exporter starts before the collector listens,
 * so connection failures are retried until it is up.
 */
class SecondCollectorTest {
  @TempDir
  Path dir;

  @Test
  void chain_throughSecondCollectorProcessIsIdentical() throws Exception {
    int collectorGrpc = FreePorts.find();
    int backHttp = FreePorts.find();
    MetricsSink sink = new MetricsSink();
    OtlpReceiverFactory rf = new OtlpReceiverFactory();
    ConfigProblems problems = new ConfigProblems();
    var rcfg = rf.createConfig(ConfigNode.root(Support.YAML.readValue("protocols: {http: {endpoint: '127.0.0.1:" + backHttp + "'}}",
        Object.class), "receivers::otlp", problems), "otlp");
    Receiver back = rf.createReceiver(new CreateSettings(ComponentId.of("otlp"), ComponentKind.RECEIVER, MeterProvider.noop().get("t"),
        System.getLogger("otlp"), MetricsLevel.NONE, new BuildInfo("c", "d", "v")), rcfg, sink);
    back.start(Support.host(Map.of()));
    Path config = dir.resolve("collector.yaml");
    Files.writeString(config, """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
        exporters:
          otlphttp:
            endpoint: http://127.0.0.1:%d
            retry_on_failure: {initial_interval: 100ms, max_interval: 500ms}
        service:
          telemetry:
            metrics:
              level: none
          pipelines:
            metrics:
              receivers: [otlp]
              exporters: [otlphttp]
        """.formatted(collectorGrpc, backHttp));
    String java = ProcessHandle.current().info().command().orElse("java");
    Support.Read<OtlpGrpcExporterConfig> ecfg = Support.read(new OtlpGrpcExporterFactory(), "endpoint: 127.0.0.1:" + collectorGrpc
        + "\ntls: {insecure: true}\nsending_queue: {enabled: false}\nretry_on_failure: {initial_interval: 100ms, max_interval: 500ms, max_elapsed_time: 60s}\n");
    Exporter exporter = new OtlpGrpcExporterFactory().createExporter(Support.settings("otlp", new Support.Reader()), ecfg.config());
    exporter.start(Support.host(Map.of()));
    try (ExternalProcess collector = ExternalProcess.start("collector", List.of(java, "-cp", System.getProperty("java.class.path"),
        "dev.otelcoljava.runtime.cli.Main", "--config", config.toString()), dir, Map.of())) {
      ExportMetricsServiceRequest sent = Support.everyKind();
      exporter.consume(OtlpConverter.fromRequest(sent));
      sink.awaitBatches(1, Duration.ofSeconds(60));
      assertThat(OtlpConverter.toRequest(sink.batches().get(0))).as(collector.tail()).isEqualTo(sent);
      collector.terminate();
      assertThat(collector.waitFor(Duration.ofSeconds(30))).as(collector.tail()).isZero();
      assertThat(collector.logText()).contains("\"otlphttp\" alias is deprecated; use \"otlp_http\" instead");
    } finally {
      exporter.shutdown(Duration.ofSeconds(5));
      back.shutdown(Duration.ofSeconds(5));
    }
  }
}
