package dev.otelcoljava.receiver.awscontainerinsight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.internal.config.ComponentRegistry;
import dev.otelcoljava.runtime.internal.service.Service;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.peers.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * ADOT's shipped ecs/otel-instance-metrics-config.yaml, unchanged (a second config source only
 * points awsemf at moto and health_check at a free port, as a user would with a second
 * {@code --config}), run by the real service: awscontainerinsightreceiver on this machine's
 * /proc and /sys (the ECS agent and EC2 metadata played by {@link AgentAndImdsServer}, the fixture
 * tasks' cgroups added to a HOST_SYS tree that links the real host cgroup files) -> batch/metrics
 * -> awsemf into moto's CloudWatch Logs (and debug). The config's 10 s interval means two
 * collections take ~20 s; shutdown flushes the 60 s batch. The EMF events read back carry the
 * selected instance metrics under exactly the declared dimension sets with sane values.
 */
class EcsInstanceMetricsMotoTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLUSTER = "otelcol-java-ci";
  private static final String CONTAINER_INSTANCE = "5c3b0f7e9a2d4e61b8f4a7c2d1e0f9ab";
  private static final List<String> FULL_DIMS = List.of("ClusterName", "ContainerInstanceId", "InstanceId"); // awsemf sorts a declared set
  private static final Set<String> SELECTED_FULL = Set.of("instance_cpu_utilization",
      "instance_memory_utilization", "instance_network_total_bytes", "instance_cpu_reserved_capacity",
      "instance_memory_reserved_capacity", "instance_number_of_running_tasks", "instance_filesystem_utilization");
  private static final Set<String> SELECTED_CLUSTER = Set.of("instance_cpu_utilization",
      "instance_memory_utilization", "instance_network_total_bytes", "instance_cpu_reserved_capacity",
      "instance_memory_reserved_capacity", "instance_number_of_running_tasks", "instance_cpu_usage_total",
      "instance_cpu_limit", "instance_memory_working_set", "instance_memory_limit");

  @TempDir
  Path work;

  @Test
  void adotConfigUnchanged_emfEventsCarryTheSelectedInstanceMetrics() throws Exception {
    String adot = Files.readString(SharedFiles.fixtures().resolve("adot/config/ecs/otel-instance-metrics-config.yaml"));
    Path sys = TestSupport.sysWithEcsTasks(Files.createTempDirectory("ci-sys"), true);
    try (MotoServer moto = MotoServer.start(work);
         AgentAndImdsServer standIns = new AgentAndImdsServer()) {
      System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
      System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
      System.setProperty("aws.region", "us-west-2");
      Map<String, String> env = new HashMap<>();
      env.put("ECS_AGENT_INTROSPECTION_ENDPOINT", standIns.baseUrl());
      env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", standIns.baseUrl());
      env.put("HOST_SYS", sys.toString());
      ComponentRegistry.Builder rb = ComponentRegistry.builder();
      for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
        if (!(f instanceof AwsContainerInsightReceiverFactory)) {
          rb.add(f);
        }
      }
      rb.add(new AwsContainerInsightReceiverFactory(env::get));
      String override = "exporters:\n  awsemf:\n    endpoint: " + moto.endpoint() + "\n"
          + "extensions:\n  health_check:\n    endpoint: 127.0.0.1:" + FreePorts.find() + "\n";
      Service service = Service.builder().yaml(adot).yaml(override).env(Map.of()).registry(rb.build())
          .metricsOnLoopback().configureLogging(false).build();
      service.start();
      String selfMetrics;
      try {
        // two collections handed on: the receiver's accepted points grow twice
        double first = awaitAccepted(service, 0);
        awaitAccepted(service, first);
        assertThat(standIns.hits(AgentAndImdsServer.TASKS)).as("collections").isGreaterThanOrEqualTo(2);
        selfMetrics = service.scrapeMetrics();
      } finally {
        service.shutdown();
      }
      assertThat(selfMetrics).contains("otelcol_receiver_accepted_metric_points")
          .doesNotContain("otelcol_receiver_awscontainerinsight_errors");

      List<JsonNode> events = read(moto, "/aws/ecs/containerinsights/" + CLUSTER + "/performance",
          "instanceTelemetry/" + CONTAINER_INSTANCE);
      List<JsonNode> instance = new ArrayList<>();
      List<JsonNode> fs = new ArrayList<>();
      for (JsonNode e : events) {
        assertThat(e.path("ClusterName").asText()).isEqualTo(CLUSTER);
        assertThat(e.path("ContainerInstanceId").asText()).isEqualTo(CONTAINER_INSTANCE);
        assertThat(e.path("InstanceId").asText()).isEqualTo("i-0abc123def4567890");
        assertThat(e.path("Sources").isArray()).as("Sources parsed as JSON: %s", e).isTrue();
        switch (e.path("Type").asText()) {
          case "Instance" -> instance.add(e);
          case "InstanceFS" -> fs.add(e);
          default -> { }
        }
      }
      assertThat(instance).as("one Instance event per collection").hasSizeGreaterThanOrEqualTo(2);
      JsonNode last = instance.get(instance.size() - 1);
      Map<List<String>, Set<String>> declared = declared(last);
      assertThat(declared).containsOnlyKeys(FULL_DIMS, List.of("ClusterName"));
      assertThat(declared.get(FULL_DIMS)).isEqualTo(minus(SELECTED_FULL, "instance_filesystem_utilization"));
      assertThat(declared.get(List.of("ClusterName"))).isEqualTo(SELECTED_CLUSTER);
      assertThat(last.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText())
          .isEqualTo("ECS/ContainerInsights");

      HostStats host = new HostStats(HostPaths.local());
      long cores = host.numCores();
      long memTotal = host.memoryCapacity();
      assertThat(last.path("instance_cpu_utilization").asDouble()).isBetween(0.0, 100.0);
      assertThat(last.path("instance_memory_utilization").asDouble()).isGreaterThan(0.0).isLessThanOrEqualTo(100.0);
      assertThat(last.path("instance_network_total_bytes").asDouble()).isGreaterThanOrEqualTo(0.0);
      assertThat(last.path("instance_cpu_usage_total").asDouble()).isBetween(0.0, cores * 1000.0);
      assertThat(last.path("instance_cpu_limit").asLong()).isEqualTo(cores * 1000);
      assertThat(last.path("instance_memory_limit").asLong()).isEqualTo(memTotal);
      assertThat(last.path("instance_memory_working_set").asDouble()).isGreaterThan(0.0).isLessThan(memTotal);
      assertThat(last.path("instance_cpu_reserved_capacity").asDouble())
          .isCloseTo(TestSupport.FIXTURE_CPU_UNITS / (cores * 1024.0) * 100, within(1e-6));
      assertThat(last.path("instance_memory_reserved_capacity").asDouble())
          .isCloseTo((double) TestSupport.FIXTURE_MEMORY_BYTES / memTotal * 100, within(1e-6));
      assertThat(last.path("instance_number_of_running_tasks").asLong()).isEqualTo(2);
      assertThat(last.path("Sources").toString()).isEqualTo("[\"cadvisor\",\"/proc\",\"ecsagent\",\"calculated\"]");

      assertThat(fs).isNotEmpty();
      for (JsonNode f : fs) {
        assertThat(declared(f)).isEqualTo(Map.of(FULL_DIMS, Set.of("instance_filesystem_utilization")));
        assertThat(f.path("instance_filesystem_utilization").asDouble()).isBetween(0.0, 100.0);
        assertThat(f.path("device").asText()).startsWith("/dev/");
      }
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
      System.clearProperty("aws.region");
      TestSupport.deleteTree(sys);
    }
  }

  /** Waits (up to 40 s) until the receiver's accepted points exceed {@code above}; returns them. */
  private static double awaitAccepted(Service service, double above) throws InterruptedException {
    long deadline = System.nanoTime() + 40_000_000_000L;
    double v = 0;
    while (System.nanoTime() < deadline) {
      v = dev.otelcoljava.testing.SelfMetrics.parse(service.scrapeMetrics())
          .sum("otelcol_receiver_accepted_metric_points", "receiver", "awscontainerinsightreceiver");
      if (v > above) {
        return v;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("accepted points stayed at " + v + " (expected more than " + above + ")");
  }

  private static Set<String> minus(Set<String> s, String x) {
    Set<String> out = new TreeSet<>(s);
    out.remove(x);
    return out;
  }

  /** Dimension set -> metric names, from an event's _aws.CloudWatchMetrics. */
  private static Map<List<String>, Set<String>> declared(JsonNode event) {
    Map<List<String>, Set<String>> out = new HashMap<>();
    for (JsonNode d : event.path("_aws").path("CloudWatchMetrics")) {
      Set<String> metrics = new TreeSet<>();
      for (JsonNode m : d.path("Metrics")) {
        metrics.add(m.path("Name").asText());
      }
      for (JsonNode set : d.path("Dimensions")) {
        List<String> dims = new ArrayList<>();
        set.forEach(n -> dims.add(n.asText()));
        out.computeIfAbsent(dims, k -> new TreeSet<>()).addAll(metrics);
      }
    }
    return out;
  }

  private static List<JsonNode> read(MotoServer moto, String group, String stream) throws Exception {
    try (CloudWatchLogsClient logs = CloudWatchLogsClient.builder().region(Region.US_WEST_2)
        .endpointOverride(moto.endpointUri()).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
        .build()) {
      assertThat(logs.describeLogStreams(r -> r.logGroupName(group)).logStreams())
          .extracting(s -> s.logStreamName()).containsExactly(stream);
      List<JsonNode> out = new ArrayList<>();
      for (OutputLogEvent e : logs.getLogEvents(r -> r.logGroupName(group).logStreamName(stream)
          .startFromHead(true)).events()) {
        out.add(JSON.readTree(e.message()));
      }
      return out;
    }
  }
}
