package dev.otelcoljava.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.otlp.OtlpReceiverFactory;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.MetricsSink;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our exporters sending to our receiver over both protocols: identical data, the retry rules, self-metrics. */
class RoundTripTest {
  private static final String FAST_RETRY = "retry_on_failure: {initial_interval: 10ms, max_interval: 50ms, max_elapsed_time: 20s}\n";

  /** Counts delivery attempts before the sink. */
  private static final class Counting implements MetricsConsumer {
    final MetricsSink sink = new MetricsSink();
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public void consume(MetricsBatch batch) {
      attempts.incrementAndGet();
      sink.consume(batch);
    }
  }

  private final Counting counting = new Counting();
  private int grpcPort;
  private int httpPort;
  private Receiver receiver;
  private Exporter exporter;

  @BeforeEach
  void startReceiver() throws Exception {
    grpcPort = FreePorts.find();
    httpPort = FreePorts.find();
    OtlpReceiverFactory f = new OtlpReceiverFactory();
    Object tree = Support.YAML.readValue("protocols: {grpc: {endpoint: '127.0.0.1:" + grpcPort + "'}, http: {endpoint: '127.0.0.1:"
        + httpPort + "'}}", Object.class);
    var cfg = f.createConfig(dev.otelcoljava.runtime.api.config.ConfigNode.root(tree, "receivers::otlp",
        new dev.otelcoljava.runtime.api.config.ConfigProblems()), "otlp");
    receiver = f.createReceiver(new CreateSettings(ComponentId.of("otlp"), ComponentKind.RECEIVER,
        io.opentelemetry.api.metrics.MeterProvider.noop().get("t"), System.getLogger("otlp"),
        dev.otelcoljava.runtime.api.MetricsLevel.NONE, new dev.otelcoljava.runtime.api.BuildInfo("c", "d", "v")), cfg, counting);
    receiver.start(Support.host(Map.of()));
  }

  @AfterEach
  void stop() throws Exception {
    if (exporter != null) {
      exporter.shutdown(Duration.ofSeconds(5));
    }
    receiver.shutdown(Duration.ofSeconds(5));
  }

  private <C> Exporter exporter(ExporterFactory<C> f, String id, String yaml, Support.Reader reader) throws Exception {
    Support.Read<C> r = Support.read(f, yaml);
    assertThat(r.problems().errors()).isEmpty();
    CreateSettings s = Support.settings(id, reader);
    exporter = f.createExporter(s, r.config());
    exporter.start(Support.host(Map.of()));
    return exporter;
  }

  private String grpcYaml(String extra) {
    return "endpoint: 127.0.0.1:" + grpcPort + "\ntls: {insecure: true}\n" + extra;
  }

  private String httpYaml(String extra) {
    return "endpoint: http://127.0.0.1:" + httpPort + "\n" + extra;
  }

  private void assertRoundTrip(Exporter e) {
    ExportMetricsServiceRequest sent = Support.everyKind();
    e.consume(OtlpConverter.fromRequest(sent));
    counting.sink.awaitBatches(1, Duration.ofSeconds(20));
    assertThat(OtlpConverter.toRequest(counting.sink.batches().get(0))).isEqualTo(sent);
  }

  @Test
  void grpc_roundTripIsIdentical() throws Exception {
    assertRoundTrip(exporter(new OtlpGrpcExporterFactory(), "otlp", grpcYaml(""), new Support.Reader()));
  }

  @Test
  void grpc_uncompressedWithHttpSchemeRoundTrips() throws Exception {
    assertRoundTrip(exporter(new OtlpGrpcExporterFactory(), "otlp", "endpoint: http://127.0.0.1:" + grpcPort + "\ncompression: none\n",
        new Support.Reader()));
  }

  @Test
  void http_protobufRoundTripIsIdentical() throws Exception {
    assertRoundTrip(exporter(new OtlpHttpExporterFactory(), "otlphttp", httpYaml(""), new Support.Reader()));
  }

  @Test
  void http_jsonRoundTripIsIdentical() throws Exception {
    assertRoundTrip(exporter(new OtlpHttpExporterFactory(), "otlphttp", httpYaml("encoding: json\ncompression: none\n"), new Support.Reader()));
  }

  @Test
  void http_deflateRoundTripIsIdentical() throws Exception {
    assertRoundTrip(exporter(new OtlpHttpExporterFactory(), "otlphttp", httpYaml("compression: deflate\n"), new Support.Reader()));
  }

  private void retriesUntilAccepted(Exporter e, Support.Reader reader, String id) throws Exception {
    counting.sink.failWith(new ConsumerException("data refused due to high memory usage", false, -1));
    ExportMetricsServiceRequest sent = Support.everyKind();
    e.consume(OtlpConverter.fromRequest(sent));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (counting.attempts.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(counting.attempts.get()).isGreaterThanOrEqualTo(3);
    counting.sink.failWith(null);
    counting.sink.awaitBatches(1, Duration.ofSeconds(20));
    assertThat(OtlpConverter.toRequest(counting.sink.batches().get(0))).isEqualTo(sent);
    int points = OtlpConverter.fromRequest(sent).dataPointCount();
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (reader.sum("otelcol_exporter_sent_metric_points") < points && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(reader.sum("otelcol_exporter_sent_metric_points")).isEqualTo(points);
    assertThat(reader.sum("otelcol_exporter_send_failed_metric_points")).isZero();
  }

  @Test
  void grpc_retryableRefusalIsRetriedUntilAccepted() throws Exception {
    Support.Reader reader = new Support.Reader();
    retriesUntilAccepted(exporter(new OtlpGrpcExporterFactory(), "otlp", grpcYaml(FAST_RETRY), reader), reader, "otlp");
  }

  @Test
  void http_retryableRefusalIsRetriedUntilAccepted() throws Exception {
    // The receiver answers 503 with Retry-After: 1, so each retry waits about a second.
    Support.Reader reader = new Support.Reader();
    retriesUntilAccepted(exporter(new OtlpHttpExporterFactory(), "otlphttp", httpYaml(FAST_RETRY), reader), reader, "otlphttp");
  }

  private void permanentIsNotRetried(Exporter e, Support.Reader reader) throws Exception {
    counting.sink.failWith(new ConsumerException("bad data", true, -1));
    MetricsBatch b = OtlpConverter.fromRequest(Support.everyKind());
    int points = b.dataPointCount();
    // Without a queue the final error comes back to the caller, marked permanent.
    ConsumerException ex = org.assertj.core.api.Assertions.catchThrowableOfType(ConsumerException.class, () -> e.consume(b));
    assertThat(ex.permanent()).isTrue();
    assertThat(counting.attempts.get()).isEqualTo(1);
    assertThat(reader.sum("otelcol_exporter_send_failed_metric_points")).isEqualTo(points);
    assertThat(reader.sum("otelcol_exporter_sent_metric_points")).isZero();
  }

  @Test
  void grpc_permanentRefusalIsNotRetried() throws Exception {
    Support.Reader reader = new Support.Reader();
    permanentIsNotRetried(exporter(new OtlpGrpcExporterFactory(), "otlp", grpcYaml(FAST_RETRY + "sending_queue: {enabled: false}\n"), reader),
        reader);
  }

  @Test
  void http_permanentRefusalIsNotRetried() throws Exception {
    Support.Reader reader = new Support.Reader();
    permanentIsNotRetried(exporter(new OtlpHttpExporterFactory(), "otlphttp", httpYaml(FAST_RETRY + "sending_queue: {enabled: false}\n"),
        reader), reader);
  }

  @Test
  void grpc_retriesStopAtMaxElapsedTime() throws Exception {
    counting.sink.failWith(new ConsumerException("refused", false, -1));
    Support.Reader reader = new Support.Reader();
    Exporter e = exporter(new OtlpGrpcExporterFactory(), "otlp", grpcYaml(
        "retry_on_failure: {initial_interval: 10ms, max_interval: 20ms, max_elapsed_time: 200ms}\nsending_queue: {enabled: false}\n"), reader);
    ConsumerException ex = org.assertj.core.api.Assertions.catchThrowableOfType(ConsumerException.class,
        () -> e.consume(OtlpConverter.fromRequest(Support.everyKind())));
    assertThat(ex.permanent()).isFalse();
    assertThat(ex.getMessage()).contains("UNAVAILABLE");
    assertThat(counting.attempts.get()).isGreaterThan(1);
    assertThat(reader.sum("otelcol_exporter_send_failed_metric_points")).isGreaterThan(0);
  }
}
