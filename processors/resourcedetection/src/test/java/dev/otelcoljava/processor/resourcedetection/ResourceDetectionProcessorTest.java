package dev.otelcoljava.processor.resourcedetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.processor.resourcedetection.TestSupport.CapturingLogger;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.MetricsSink;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.peers.EcsMetadataServer;
import dev.otelcoljava.testing.peers.EcsMetadataServer.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceDetectionProcessorTest {
  private static final Path ECS = SharedFiles.fixtures().resolve("ecs");
  private static final Path ECSUTIL = ECS.resolve("otel-contrib-ecsutiltest");
  private static final Path CONTRIB = ECS.resolve("otel-contrib-awsecscontainermetricsreceiver");

  @TempDir Path root;
  private final CapturingLogger logger = new CapturingLogger();
  private final MetricsSink sink = new MetricsSink();

  private Processor processor(String yaml, Map<String, String> env) throws Exception {
    ConfigProblems problems = new ConfigProblems();
    ResourceDetectionProcessorFactory f = new ResourceDetectionProcessorFactory(env::get, root);
    var node = TestSupport.node(yaml, problems);
    ResourceDetectionConfig c = f.createConfig(node, "resourcedetection");
    node.reportUnknownKeys();
    assertThat(problems.errors()).isEmpty();
    Processor p = f.createProcessor(TestSupport.settings(logger), c, sink);
    p.start(null);
    return p;
  }

  private static MetricsBatch batch(Attributes resource) {
    MetricsBatch b = new MetricsBatch();
    b.addResource(resource).addScope("", "").metrics()
        .add(Metric.gauge("up").addPoint(NumberPoint.ofDouble(new Attributes(), 0, 1, 1)));
    return b;
  }

  private Map<String, Object> process(Processor p, Attributes resource) {
    sink.clear();
    p.consume(batch(resource));
    return sink.batches().get(0).resourceMetrics().get(0).resource().toMap();
  }

  @Test
  void ecs_ec2Fixture_detectsTaskAttributesWithoutClusterName() throws Exception {
    try (EcsMetadataServer ecs = EcsMetadataServer.start()) {
      ecs.task(EcsMetadataServer.read(ECSUTIL.resolve("task_metadata.json")))
          .container(EcsMetadataServer.read(ECSUTIL.resolve("container_metadata.json")));
      Processor p = processor("detectors: [ecs]", Map.of("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl()));
      assertThat(process(p, new Attributes())).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
          Map.entry("cloud.provider", "aws"),
          Map.entry("cloud.platform", "aws_ecs"),
          Map.entry("cloud.account.id", "803860917211"),
          Map.entry("cloud.region", "us-west-2"),
          Map.entry("cloud.availability_zone", "us-west-2a"),
          Map.entry("aws.ecs.cluster.arn", "arn:aws:ecs:us-west-2:803860917211:cluster/test200"),
          Map.entry("aws.ecs.task.arn", "arn:aws:ecs:us-west-2:803860917211:task/test200/d22aaa11bf0e4ab19c2c940a1cbabbee"),
          Map.entry("aws.ecs.task.family", "three-nginx"),
          Map.entry("aws.ecs.task.revision", "1"),
          Map.entry("aws.ecs.task.id", "d22aaa11bf0e4ab19c2c940a1cbabbee"),
          Map.entry("aws.ecs.launchtype", "ec2")));
      assertThat(ecs.hits("/")).isEqualTo(1);
      p.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void ecs_fargateFixture_logGroupsOfOtherRunningAwslogsContainers() throws Exception {
    try (EcsMetadataServer ecs = EcsMetadataServer.start()) {
      ecs.task(EcsMetadataServer.read(CONTRIB.resolve("task_metadata2.json")))
          .container(EcsMetadataServer.read(ECSUTIL.resolve("container_metadata.json")));
      Processor p = processor("detectors: [ecs]", Map.of("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl()));
      Map<String, Object> r = process(p, new Attributes());
      assertThat(r).containsEntry("aws.ecs.cluster.arn", "arn:aws:ecs:us-west-2:641248382826:cluster/default")
          .containsEntry("aws.ecs.launchtype", "fargate")
          .containsEntry("cloud.account.id", "641248382826")
          .containsEntry("aws.log.group.names", List.of("/ecs/tmdsV4"))
          .containsEntry("aws.log.group.arns", List.of("arn:aws:logs:us-west-2:641248382826:log-group:/ecs/tmdsV4"))
          .containsEntry("aws.log.stream.names", List.of("ecs/essential/8b541de6f9184e19a1c6363b663fcaa7"))
          .containsEntry("aws.log.stream.arns", List.of("arn:aws:logs:us-west-2:641248382826:log-group:/ecs/tmdsV4"
              + ":log-stream:ecs/essential/8b541de6f9184e19a1c6363b663fcaa7"))
          .doesNotContainKey("aws.ecs.cluster.name");
      p.shutdown(Duration.ofSeconds(1));

      // Run as the "essential" container itself: its own logs are left out; "non" is STOPPED.
      ecs.container("{\"DockerId\": \"476e366a13b3407882d611ede16001aa-1624567963\"}");
      Processor self = processor("detectors: [ecs]", Map.of("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl()));
      assertThat(process(self, new Attributes())).doesNotContainKeys("aws.log.group.names", "aws.log.stream.arns");
    }
  }

  @Test
  void attributesAllowList_sidecarScenario_keepsOnlyListedDetectedKeys() throws Exception {
    String yaml = """
        detectors: [env, ecs]
        attributes: [cloud.region, aws.ecs.task.arn, aws.ecs.task.family, aws.ecs.task.revision, aws.ecs.launchtype]
        """;
    try (EcsMetadataServer ecs = EcsMetadataServer.start()) {
      ecs.task(EcsMetadataServer.read(CONTRIB.resolve("task_metadata2.json")))
          .container(EcsMetadataServer.read(ECSUTIL.resolve("container_metadata.json")));
      Processor p = processor(yaml, Map.of("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl(),
          "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,cloud.region=env-region"));
      Map<String, Object> r = process(p, Attributes.of("service.name", "spring-app", "service.instance.id", "0.0.0.0:8081"));
      assertThat(r).containsExactlyInAnyOrderEntriesOf(Map.of(
          "service.name", "spring-app",
          "service.instance.id", "0.0.0.0:8081",
          "cloud.region", "env-region", // env is listed first: it wins
          "aws.ecs.task.arn", "arn:aws:ecs:us-west-2:641248382826:task/default/8b541de6f9184e19a1c6363b663fcaa7",
          "aws.ecs.task.family", "tmdsV4",
          "aws.ecs.task.revision", "1",
          "aws.ecs.launchtype", "fargate"));
    }
  }

  @Test
  void override_trueReplacesFalseKeeps() throws Exception {
    Map<String, String> env = Map.of("OTEL_RESOURCE_ATTRIBUTES", "cloud.region=detected,team=core");
    Processor on = processor("detectors: [env]", env);
    assertThat(process(on, Attributes.of("cloud.region", "mine", "job", "spring-app")))
        .isEqualTo(Map.of("cloud.region", "detected", "team", "core", "job", "spring-app"));
    Processor off = processor("detectors: [env]\noverride: false", env);
    assertThat(process(off, Attributes.of("cloud.region", "mine", "job", "spring-app")))
        .isEqualTo(Map.of("cloud.region", "mine", "team", "core", "job", "spring-app"));
    assertThat(process(off, new Attributes())).isEqualTo(Map.of("cloud.region", "detected", "team", "core"));
  }

  @Test
  void detectorOrder_firstDetectorWins() throws Exception {
    try (EcsMetadataServer ecs = EcsMetadataServer.start()) {
      ecs.task(EcsMetadataServer.read(ECSUTIL.resolve("task_metadata.json"))).container("{}");
      Map<String, String> env = Map.of("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl(),
          "OTEL_RESOURCE_ATTRIBUTES", "cloud.region=from-env");
      assertThat(process(processor("detectors: [env, ecs]", env), new Attributes())).containsEntry("cloud.region", "from-env");
      assertThat(process(processor("detectors: [ecs, env]", env), new Attributes())).containsEntry("cloud.region", "us-west-2");
    }
  }

  @Test
  void detectorFailure_loggedAndOthersStillApply() throws Exception {
    try (EcsMetadataServer ecs = EcsMetadataServer.start()) {
      ecs.task(EcsMetadataServer.read(ECSUTIL.resolve("task_metadata.json"))).container("{}");
      ecs.fault(EcsMetadataServer.TASK, Fault.HTTP_500);
      Processor p = processor("detectors: [env, ecs]", Map.of("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl(),
          "OTEL_RESOURCE_ATTRIBUTES", "team=core"));
      assertThat(process(p, new Attributes())).isEqualTo(Map.of("team", "core"));
      assertThat(logger.contains("failed to detect resource: detector \"ecs\"")).as(logger.messages.toString()).isTrue();

      ecs.fault(EcsMetadataServer.TASK, Fault.NONE);
      logger.messages.clear();
      Processor badEnv = processor("detectors: [env, ecs]", Map.of("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl(),
          "OTEL_RESOURCE_ATTRIBUTES", "broken"));
      assertThat(process(badEnv, new Attributes())).containsEntry("aws.ecs.launchtype", "ec2").doesNotContainKey("broken");
      assertThat(logger.contains("failed to detect resource: detector \"env\": invalid resource format: \"broken\"")).isTrue();
    }
  }

  @Test
  void timeout_slowDetectorSkippedWithinBound() throws Exception {
    try (EcsMetadataServer ecs = EcsMetadataServer.start()) {
      ecs.task(EcsMetadataServer.read(ECSUTIL.resolve("task_metadata.json"))).container("{}");
      ecs.fault(EcsMetadataServer.TASK, Fault.SLOW).slowDelay(Duration.ofSeconds(10));
      long t0 = System.nanoTime();
      Processor p = processor("detectors: [ecs, env]\ntimeout: 300ms", Map.of(
          "ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl(), "OTEL_RESOURCE_ATTRIBUTES", "team=core"));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
      assertThat(process(p, new Attributes())).isEqualTo(Map.of("team", "core"));
      assertThat(logger.contains("detector \"ecs\"")).isTrue();
    }
  }

  @Test
  void ecs_notOnEcs_emptyResourceNoError() throws Exception {
    Processor p = processor("detectors: [ecs]", Map.of());
    assertThat(process(p, Attributes.of("a", "b"))).isEqualTo(Map.of("a", "b"));
    assertThat(logger.contains("failed to detect")).isFalse();
  }

  /** A small IMDSv2 server: the token PUT is required, GETs without the token get 401. */
  private static final class Imds implements AutoCloseable {
    final HttpServer server;
    final Map<String, String> paths = new HashMap<>();
    volatile int tokenPuts;

    Imds() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      server.createContext("/", this::handle);
      server.start();
      paths.put("/latest/meta-data/instance-id", "i-0123456789abcdef0");
      paths.put("/latest/meta-data/hostname", "ip-10-0-0-12.us-west-2.compute.internal");
      paths.put("/latest/dynamic/instance-identity/document", """
          {"accountId":"123456789012","architecture":"x86_64","availabilityZone":"us-west-2b",
           "imageId":"ami-0abcdef1234567890","instanceId":"i-0123456789abcdef0",
           "instanceType":"t3.medium","region":"us-west-2"}""");
      paths.put("/latest/meta-data/tags/instance", "Name\nteam-owner\ncost-center");
      paths.put("/latest/meta-data/tags/instance/Name", "web-1");
      paths.put("/latest/meta-data/tags/instance/team-owner", "obs");
      paths.put("/latest/meta-data/tags/instance/cost-center", "42");
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
      try (ex; InputStream ignored = ex.getRequestBody()) {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/latest/api/token") && ex.getRequestMethod().equals("PUT")
            && ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") != null) {
          tokenPuts++;
          send(ex, 200, "TOKEN-abc");
          return;
        }
        if (!"TOKEN-abc".equals(ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
          send(ex, 401, "");
          return;
        }
        String body = paths.get(path);
        send(ex, body == null ? 404 : 200, body == null ? "" : body);
      }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
      if (b.length > 0) {
        ex.getResponseBody().write(b);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void ec2_imdsV2_detectsInstanceAndTags() throws Exception {
    try (Imds imds = new Imds()) {
      Processor p = processor("""
          detectors: [ec2]
          ec2:
            tags: ["^Name$", "^team-"]
            tags_from_imds: true
          """, Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()));
      assertThat(process(p, new Attributes())).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
          Map.entry("cloud.provider", "aws"),
          Map.entry("cloud.platform", "aws_ec2"),
          Map.entry("cloud.account.id", "123456789012"),
          Map.entry("cloud.region", "us-west-2"),
          Map.entry("cloud.availability_zone", "us-west-2b"),
          Map.entry("host.id", "i-0123456789abcdef0"),
          Map.entry("host.image.id", "ami-0abcdef1234567890"),
          Map.entry("host.type", "t3.medium"),
          Map.entry("host.name", "ip-10-0-0-12.us-west-2.compute.internal"),
          Map.entry("ec2.tag.Name", "web-1"),
          Map.entry("ec2.tag.team-owner", "obs")));
      assertThat(imds.tokenPuts).isEqualTo(1);
      Processor off = processor("""
          detectors: [ec2]
          ec2:
            resource_attributes:
              host.name: {enabled: false}
              host.image.id: {enabled: false}
          """, Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()));
      assertThat(process(off, new Attributes())).doesNotContainKeys("host.name", "host.image.id").containsKey("host.id");
    }
  }

  @Test
  void ec2_offAws_emptyQuicklyOrFailureWhenRequired() throws Exception {
    String closed = "http://127.0.0.1:" + FreePorts.find();
    long t0 = System.nanoTime();
    Processor p = processor("detectors: [ec2, env]", Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed,
        "OTEL_RESOURCE_ATTRIBUTES", "a=1"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(process(p, new Attributes())).isEqualTo(Map.of("a", "1"));
    assertThat(logger.contains("failed to detect")).isFalse();
    Processor strict = processor("detectors: [ec2]\nec2: {fail_on_missing_metadata: true}",
        Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed));
    assertThat(process(strict, new Attributes())).isEmpty();
    assertThat(logger.contains("failed to detect resource: detector \"ec2\": EC2 metadata not available")).isTrue();
  }

  @Test
  void system_hostNameOsTypeAndOptInHostId() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    Files.createDirectories(root.resolve("proc/sys/kernel"));
    Files.writeString(root.resolve("proc/sys/kernel/hostname"), "test-host-7\n");
    Processor p = processor("""
        detectors: [system]
        system:
          hostname_sources: [os]
          resource_attributes:
            host.id: {enabled: true}
        """, Map.of());
    Map<String, Object> r = process(p, new Attributes());
    assertThat(r).containsEntry("os.type", "linux").containsEntry("host.id", "0123456789abcdef0123456789abcdef");
    assertThat(r).containsEntry("host.name", "test-host-7").hasSize(3);
    Processor noName = processor("detectors: [system]\nsystem: {resource_attributes: {host.name: {enabled: false}}}", Map.of());
    assertThat(process(noName, new Attributes())).isEqualTo(Map.of("os.type", "linux"));
  }

  @Test
  void eks_onlyWithKubernetesAndEksMarker() throws Exception {
    assertThat(process(processor("detectors: [eks]", Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")), new Attributes()))
        .isEmpty();
    assertThat(process(processor("detectors: [eks]", Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token")), new Attributes()))
        .isEmpty();
    assertThat(process(processor("detectors: [eks]", Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token")), new Attributes()))
        .isEqualTo(Map.of("cloud.provider", "aws", "cloud.platform", "aws_eks"));
  }

  @Test
  void refreshInterval_keepsPreviousSnapshotWhenAllFail() throws Exception {
    try (EcsMetadataServer ecs = EcsMetadataServer.start()) {
      ecs.task(EcsMetadataServer.read(ECSUTIL.resolve("task_metadata.json"))).container("{}");
      ResourceDetectionProcessor p = (ResourceDetectionProcessor) processor("detectors: [ecs]\nrefresh_interval: 50ms",
          Map.of("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl()));
      try {
        ecs.fault(EcsMetadataServer.TASK, Fault.HTTP_500);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ecs.hits(EcsMetadataServer.TASK) < 4 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(ecs.hits(EcsMetadataServer.TASK)).isGreaterThanOrEqualTo(4);
        assertThat(p.detected().toMap()).containsEntry("aws.ecs.launchtype", "ec2");
      } finally {
        p.shutdown(Duration.ofSeconds(1));
      }
    }
  }
}
