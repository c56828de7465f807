package dev.otelcoljava.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.data.Exemplar;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import dev.otelcoljava.testing.MetricsSink;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OTLP/HTTP protocol details (JSON, gzip, statuses, CORS) and the gRPC services not served. */
class HttpProtocolTest {
  private static final String JSON_BODY = """
      {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json"}}]},
       "scopeMetrics":[{"scope":{"name":"s"},"metrics":[{"name":"hits","unit":"1","sum":{"aggregationTemporality":2,
       "isMonotonic":true,"dataPoints":[{"asInt":"17","startTimeUnixNano":"1000","timeUnixNano":"2000",
       "attributes":[{"key":"k","value":{"intValue":"3"}}],
       "exemplars":[{"asDouble":1.5,"timeUnixNano":"1500","traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"}]}]}}]}]}]}
      """;

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MetricsSink sink;
  private OtlpReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    sink = new MetricsSink();
    receiver = TestSupport.start(sink);
  }

  @AfterEach
  void stop() throws Exception {
    receiver.shutdown(Duration.ofSeconds(5));
  }

  private HttpResponse<byte[]> post(String path, String contentType, String encoding, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(bos)) {
      g.write(b);
    }
    return bos.toByteArray();
  }

  private static ExportMetricsServiceRequest sample() throws Exception {
    return OtlpJsonReader.parse(JSON_BODY.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void post_jsonWithHexIdsIsDecoded() throws Exception {
    HttpResponse<byte[]> r = post("/v1/metrics", "application/json", null, JSON_BODY.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    Metric m = sink.allMetrics().get(0);
    assertThat(m.name()).isEqualTo("hits");
    NumberPoint p = m.numberPoints().get(0);
    assertThat(p.longValue()).isEqualTo(17);
    assertThat(p.startTimeNanos()).isEqualTo(1000);
    Exemplar e = p.exemplars().get(0);
    assertThat(HexFormat.of().formatHex(e.traceId())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(HexFormat.of().formatHex(e.spanId())).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void post_gzipProtobufIsDecoded() throws Exception {
    ExportMetricsServiceRequest req = sample();
    HttpResponse<byte[]> r = post("/v1/metrics", "application/x-protobuf", "gzip", gzip(req.toByteArray()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ExportMetricsServiceResponse.parseFrom(r.body())).isEqualTo(ExportMetricsServiceResponse.getDefaultInstance());
    assertThat(OtlpConverter.toRequest(sink.batches().get(0))).isEqualTo(req);
  }

  @Test
  void post_retryableRefusalAnswers503WithRetryAfter() throws Exception {
    sink.failWith(new ConsumerException("data refused due to high memory usage", false, -1));
    HttpResponse<byte[]> r = post("/v1/metrics", "application/x-protobuf", null, sample().toByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("1");
    com.google.rpc.Status st = com.google.rpc.Status.parseFrom(r.body());
    assertThat(st.getCode()).isEqualTo(14);
    assertThat(st.getMessage()).isEqualTo("data refused due to high memory usage");
  }

  @Test
  void post_permanentRefusalAnswers400() throws Exception {
    sink.failWith(new ConsumerException("bad data", true, -1));
    assertThat(post("/v1/metrics", "application/x-protobuf", null, sample().toByteArray()).statusCode()).isEqualTo(400);
  }

  @Test
  void post_partialRefusalReportsPartialSuccess() throws Exception {
    ExportMetricsServiceRequest two = sample().toBuilder().addResourceMetrics(sample().getResourceMetrics(0)).build();
    sink.failWith(new ConsumerException("one point had no name", true, 1));
    HttpResponse<byte[]> r = post("/v1/metrics", "application/x-protobuf", null, two.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
    assertThat(resp.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
    assertThat(resp.getPartialSuccess().getErrorMessage()).isEqualTo("one point had no name");
  }

  @Test
  void post_badRequestsGetTheirStatus() throws Exception {
    byte[] body = sample().toByteArray();
    assertThat(post("/v1/traces", "application/x-protobuf", null, body).statusCode()).isEqualTo(404);
    assertThat(post("/v1/logs", "application/x-protobuf", null, body).statusCode()).isEqualTo(404);
    assertThat(post("/v1/metrics", "text/plain", null, body).statusCode()).isEqualTo(415);
    assertThat(post("/v1/metrics", "application/x-protobuf", null, new byte[] {(byte) 0xff, 0x01}).statusCode()).isEqualTo(400);
    assertThat(post("/v1/metrics", "application/json", null, "{not json".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
    assertThat(post("/v1/metrics", "application/x-protobuf", "br", body).statusCode()).isEqualTo(400);
    HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + "/v1/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(sink.batches()).isEmpty();
  }

  @Test
  void post_decompressedSizeIsCapped() throws Exception {
    receiver.shutdown(Duration.ofSeconds(5));
    OtlpReceiverConfig cfg = TestSupport.readYaml("protocols: {http: {endpoint: '127.0.0.1:0', max_request_body_size: 2000}}").config();
    receiver = (OtlpReceiver) new OtlpReceiverFactory().createReceiver(TestSupport.settings(), cfg, sink);
    receiver.start(TestSupport.HOST);
    byte[] bomb = gzip(new byte[1_000_000]);
    assertThat(bomb.length).isLessThan(2000);
    assertThat(post("/v1/metrics", "application/x-protobuf", "gzip", bomb).statusCode()).isEqualTo(413);
    assertThat(sink.batches()).isEmpty();
  }

  @Test
  void options_corsPreflightAllowsConfiguredOrigins() throws Exception {
    receiver.shutdown(Duration.ofSeconds(5));
    OtlpReceiverConfig cfg = TestSupport.readYaml("protocols: {http: {endpoint: '127.0.0.1:0', cors: "
        + "{allowed_origins: ['https://*.example.com'], allowed_headers: ['X-Custom'], max_age: 600}}}").config();
    receiver = (OtlpReceiver) new OtlpReceiverFactory().createReceiver(TestSupport.settings(), cfg, sink);
    receiver.start(TestSupport.HOST);
    URI uri = URI.create("http://127.0.0.1:" + receiver.httpPort() + "/v1/metrics");
    HttpResponse<Void> ok = client.send(HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "x-custom, content-type").build(), HttpResponse.BodyHandlers.discarding());
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
    assertThat(ok.headers().firstValue("Access-Control-Allow-Headers")).contains("x-custom, content-type");
    assertThat(ok.headers().firstValue("Access-Control-Max-Age")).contains("600");
    HttpResponse<Void> other = client.send(HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.test").header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.discarding());
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void grpc_traceServiceIsUnimplemented() throws Exception {
    MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse> traces =
        MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .setRequestMarshaller(ProtoUtils.marshaller(ExportTraceServiceRequest.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance())).build();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", receiver.grpcPort()).usePlaintext().build();
    try {
      StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(ch, traces, io.grpc.CallOptions.DEFAULT, ExportTraceServiceRequest.getDefaultInstance()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    } finally {
      ch.shutdownNow();
    }
  }
}
