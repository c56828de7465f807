package dev.otelcoljava.exporter.awsemf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.testing.peers.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** The exporter against moto server's CloudWatch Logs on 127.0.0.1. */
class AwsEmfExporterMotoTest {
  @TempDir static Path work;
  static MotoServer moto;
  static CloudWatchLogsClient reader;
  static final Host HOST = new Host() {
    @Override
    public Optional<dev.otelcoljava.runtime.api.Extension> extension(dev.otelcoljava.runtime.api.ComponentId id) {
      return Optional.empty();
    }

    @Override
    public Map<dev.otelcoljava.runtime.api.ComponentId, dev.otelcoljava.runtime.api.Extension> extensions() {
      return Map.of();
    }
  };

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start(work);
    System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
    reader = CloudWatchLogsClient.builder().region(Region.US_EAST_1).endpointOverride(moto.endpointUri())
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
        .build();
  }

  @AfterAll
  static void stopMoto() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (reader != null) {
      reader.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void reset() {
    moto.reset();
  }

  static List<OutputLogEvent> readBack(String group, String stream) {
    List<OutputLogEvent> out = new ArrayList<>();
    String token = null;
    while (true) {
      String t = token;
      GetLogEventsResponse r = reader.getLogEvents(b -> {
        b.logGroupName(group).logStreamName(stream).startFromHead(true);
        if (t != null) {
          b.nextToken(t);
        }
      });
      out.addAll(r.events());
      if (r.events().isEmpty() || r.nextForwardToken() == null || r.nextForwardToken().equals(token)) {
        return out;
      }
      token = r.nextForwardToken();
    }
  }

  static AwsEmfExporter exporter(TestData.Telemetry tel, String yaml, String endpoint) throws Exception {
    AwsEmfConfig c = TestData.config("region: us-east-1\nendpoint: " + endpoint + "\n" + yaml);
    AwsEmfExporter e = new AwsEmfExporter(tel.settings(), c, Clock.systemUTC(), System.out);
    e.start(HOST);
    return e;
  }

  @Test
  void consume_eksFargate_createsGroupAndStreamAndEventsReadBackEqualGolden() throws Exception {
    String yaml = """
        namespace: ContainerInsights
        log_group_name: /aws/containerinsights/{ClusterName}/performance
        log_stream_name: "{PodName}"
        log_retention: 7
        tags: {team: observability}
        eks_fargate_container_insights_enabled: true
        parse_json_encoded_attr_values: [kubernetes, Sources]
        dimension_rollup_option: NoDimensionRollup
        metric_declarations:
          - dimensions: [[ClusterName, Namespace, PodName]]
            metric_name_selectors: [^pod_]
        """;
    TestData.Telemetry tel = new TestData.Telemetry();
    AwsEmfExporter exporter = exporter(tel, yaml, moto.endpoint());
    long nowMs = System.currentTimeMillis();
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of("ClusterName", "fargate-cluster")).addScope("", "");
    Metric m = Metric.gauge("pod_cpu_usage_total");
    m.addPoint(NumberPoint.ofDouble(Attributes.of("Type", "Pod", "ClusterName", "fargate-cluster",
        "Namespace", "default", "PodName", "web-1", "NodeName", "fargate-ip-1", "PodId", "uid-1",
        "app", "web", "Sources", "[\"cadvisor\",\"calculated\"]"), 0, nowMs * 1_000_000L, 12.5));
    s.metrics().add(m);
    try {
      exporter.consume(b);
      exporter.consume(b.deepCopy()); // the second export reuses the created stream
    } finally {
      exporter.shutdown(Duration.ofSeconds(5));
    }

    String golden = TestData.resource("golden/eks_fargate.txt").split("\n")[1].replace("1700000000123", Long.toString(nowMs));
    List<OutputLogEvent> events = readBack("/aws/containerinsights/fargate-cluster/performance", "web-1");
    assertThat(events).extracting(OutputLogEvent::message).containsExactly(golden, golden);
    assertThat(events).extracting(OutputLogEvent::timestamp).containsOnly(nowMs);
    LogGroup group = reader.describeLogGroups(r -> r.logGroupNamePrefix("/aws/containerinsights/")).logGroups().get(0);
    assertThat(group.retentionInDays()).isEqualTo(7);
    assertThat(reader.listTagsForResource(r -> r.resourceArn(group.arn().replaceAll(":\\*$", ""))).tags())
        .containsEntry("team", "observability");
    assertThat(tel.reader.sum("otelcol_exporter_sent_metric_points", Map.of())).isEqualTo(2);
    assertThat(tel.reader.sum("otelcol_exporter_awsemf_batches_sent", Map.of())).isEqualTo(2);
  }

  @Test
  void consume_over10000Events_splitIntoTwoPutLogEvents() throws Exception {
    TestData.Telemetry tel = new TestData.Telemetry();
    AwsEmfExporter exporter = exporter(tel,
        // small events (no metric directive) so that the 10,000-event limit, not the byte limit, splits
        "namespace: big\nlog_stream_name: s1\ndisable_metric_extraction: true", moto.endpoint());
    long nowMs = System.currentTimeMillis();
    MetricsBatch b = new MetricsBatch();
    Metric m = Metric.gauge("g");
    for (int i = 0; i < 10_050; i++) {
      m.addPoint(NumberPoint.ofDouble(Attributes.of("series", "s" + i), 0, (nowMs - 10_050 + i) * 1_000_000L, i));
    }
    b.addResource(Attributes.of()).addScope("", "").metrics().add(m);
    try {
      exporter.consume(b);
    } finally {
      exporter.shutdown(Duration.ofSeconds(5));
    }
    assertThat(tel.reader.sum("otelcol_exporter_awsemf_batches_sent", Map.of())).isEqualTo(2);
    assertThat(tel.reader.sum("otelcol_exporter_awsemf_events_sent", Map.of())).isEqualTo(10_050);
    List<OutputLogEvent> events = readBack("/metrics/big", "s1");
    assertThat(events).hasSize(10_050);
    assertThat(events.get(0).message()).contains("\"series\":\"s0\"");
    assertThat(events.get(10_049).message()).contains("\"series\":\"s10049\"");
  }

  @Test
  void consume_over1MiB_splitByBytesAndOversizedEventTruncated() throws Exception {
    TestData.Telemetry tel = new TestData.Telemetry();
    AwsEmfExporter exporter = exporter(tel, "namespace: bytes\nlog_stream_name: s1\ndimension_rollup_option: NoDimensionRollup", moto.endpoint());
    long nowMs = System.currentTimeMillis();
    MetricsBatch b = new MetricsBatch();
    Metric m = Metric.gauge("g");
    String pad = "x".repeat(8000);
    for (int i = 0; i < 200; i++) { // ~1.6 MB in all
      m.addPoint(NumberPoint.ofDouble(Attributes.of("series", "s" + i, "pad", pad), 0, (nowMs - 200 + i) * 1_000_000L, i));
    }
    m.addPoint(NumberPoint.ofDouble(Attributes.of("series", "huge", "pad", "y".repeat(300_000)), 0, nowMs * 1_000_000L, 1));
    b.addResource(Attributes.of()).addScope("", "").metrics().add(m);
    try {
      exporter.consume(b);
    } finally {
      exporter.shutdown(Duration.ofSeconds(5));
    }
    assertThat(tel.reader.sum("otelcol_exporter_awsemf_batches_sent", Map.of())).isEqualTo(2);
    assertThat(tel.reader.sum("otelcol_exporter_awsemf_events_truncated", Map.of())).isEqualTo(1);
    List<OutputLogEvent> events = readBack("/metrics/bytes", "s1");
    assertThat(events).hasSize(201);
    OutputLogEvent huge = events.get(200);
    assertThat(huge.message()).endsWith("[Truncated...]");
    assertThat(huge.message().getBytes(StandardCharsets.UTF_8).length).isEqualTo(256 * 1024 - 26);
  }

  @Test
  void consume_throttledTwice_retriedWithBackoffAndDelivered() throws Exception {
    AtomicInteger throttles = new AtomicInteger(2);
    HttpClient forward = HttpClient.newHttpClient();
    HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    proxy.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      if (target != null && target.endsWith("PutLogEvents") && throttles.getAndDecrement() > 0) {
        byte[] err = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().set("x-amzn-ErrorType", "ThrottlingException");
        ex.sendResponseHeaders(400, err.length);
        ex.getResponseBody().write(err);
        ex.close();
        return;
      }
      HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(moto.endpoint() + ex.getRequestURI()))
          .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders().forEach((k, vs) -> {
        if (!List.of("host", "content-length", "connection", "expect").contains(k.toLowerCase(java.util.Locale.ROOT))) {
          vs.forEach(v -> rb.header(k, v));
        }
      });
      try {
        HttpResponse<byte[]> r = forward.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        r.headers().map().forEach((k, vs) -> {
          if (!List.of("content-length", "transfer-encoding", "connection", ":status").contains(k.toLowerCase(java.util.Locale.ROOT))) {
            vs.forEach(v -> ex.getResponseHeaders().add(k, v));
          }
        });
        ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        ex.getResponseBody().write(r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    proxy.start();
    TestData.Telemetry tel = new TestData.Telemetry();
    AwsEmfExporter exporter = exporter(tel, "namespace: thr\nlog_stream_name: s1",
        "http://127.0.0.1:" + proxy.getAddress().getPort());
    try {
      MetricsBatch b = new MetricsBatch();
      Metric m = Metric.gauge("g");
      m.addPoint(NumberPoint.ofDouble(Attributes.of("k", "v"), 0, System.currentTimeMillis() * 1_000_000L, 3));
      b.addResource(Attributes.of()).addScope("", "").metrics().add(m);
      exporter.consume(b);
    } finally {
      exporter.shutdown(Duration.ofSeconds(5));
      proxy.stop(0);
    }
    assertThat(throttles.get()).isLessThan(0);
    assertThat(tel.reader.sum("otelcol_exporter_awsemf_retries", Map.of())).isGreaterThanOrEqualTo(2);
    assertThat(readBack("/metrics/thr", "s1")).hasSize(1);
    assertThat(tel.reader.sum("otelcol_exporter_sent_metric_points", Map.of())).isEqualTo(1);
  }

  @Test
  void consume_endpointDown_failsAndCountsPoints() throws Exception {
    TestData.Telemetry tel = new TestData.Telemetry();
    int dead = dev.otelcoljava.testing.FreePorts.find();
    AwsEmfExporter exporter = exporter(tel, "namespace: down\nmax_retries: 0\nrequest_timeout_seconds: 2",
        "http://127.0.0.1:" + dead);
    try {
      MetricsBatch b = new MetricsBatch();
      Metric m = Metric.gauge("g");
      m.addPoint(NumberPoint.ofDouble(Attributes.of(), 0, System.currentTimeMillis() * 1_000_000L, 3));
      b.addResource(Attributes.of()).addScope("", "").metrics().add(m);
      assertThatThrownBy(() -> exporter.consume(b)).isInstanceOf(ConsumerException.class)
          .satisfies(e -> assertThat(((ConsumerException) e).permanent()).isFalse());
    } finally {
      exporter.shutdown(Duration.ofSeconds(5));
    }
    assertThat(tel.reader.sum("otelcol_exporter_send_failed_metric_points", Map.of())).isEqualTo(1);
  }

  @Test
  void consume_roleArn_assumesRoleThroughStsAndDelivers() throws Exception {
    System.setProperty("aws.endpointUrlSts", moto.endpoint());
    TestData.Telemetry tel = new TestData.Telemetry();
    try {
      AwsEmfExporter exporter = exporter(tel, "namespace: role\nlog_stream_name: s1\n"
          + "role_arn: arn:aws:iam::123456789012:role/emf-writer\nexternal_id: ext-1", moto.endpoint());
      try {
        MetricsBatch b = new MetricsBatch();
        Metric m = Metric.gauge("g");
        m.addPoint(NumberPoint.ofDouble(Attributes.of("k", "v"), 0, System.currentTimeMillis() * 1_000_000L, 3));
        b.addResource(Attributes.of()).addScope("", "").metrics().add(m);
        exporter.consume(b);
      } finally {
        exporter.shutdown(Duration.ofSeconds(5));
      }
    } finally {
      System.clearProperty("aws.endpointUrlSts");
    }
    assertThat(readBack("/metrics/role", "s1")).hasSize(1);
  }

  @Test
  void consume_stdout_printsOneLinePerEvent() throws Exception {
    TestData.Telemetry tel = new TestData.Telemetry();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    AwsEmfExporter exporter = new AwsEmfExporter(tel.settings(), TestData.config("namespace: ns\noutput_destination: StdOut"),
        Clock.systemUTC(), new PrintStream(buf, true, StandardCharsets.UTF_8));
    exporter.start(HOST);
    MetricsBatch b = new MetricsBatch();
    Metric m = Metric.gauge("g");
    m.addPoint(NumberPoint.ofDouble(Attributes.of("k", "a"), 0, 1_000_000L, 1));
    m.addPoint(NumberPoint.ofDouble(Attributes.of("k", "b"), 0, 1_000_000L, 2));
    b.addResource(Attributes.of()).addScope("", "").metrics().add(m);
    exporter.consume(b);
    exporter.shutdown(Duration.ofSeconds(1));
    assertThat(buf.toString(StandardCharsets.UTF_8).split("\n")).hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith("{\"Version\":\"1\",\"_aws\""));
  }
}
