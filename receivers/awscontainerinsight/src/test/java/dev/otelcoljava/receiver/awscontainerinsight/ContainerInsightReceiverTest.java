package dev.otelcoljava.receiver.awscontainerinsight;

import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.instance;
import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.names;
import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.resources;
import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.testing.MetricsSink;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver on this machine's real /proc and /sys, with the ECS agent introspection API and
 * EC2 instance metadata played by {@link AgentAndImdsServer} on 127.0.0.1 and the fixture tasks'
 * cgroups added to a HOST_SYS tree that links the real host-level cgroup files.
 */
class ContainerInsightReceiverTest {
  private AgentAndImdsServer server;
  private Path sys;
  private SdkMeterProvider provider;
  private Reader reader;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    server = new AgentAndImdsServer();
    sys = TestSupport.sysWithEcsTasks(Files.createTempDirectory("ci-sys"), true);
    reader = new Reader();
    provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    env.put("ECS_AGENT_INTROSPECTION_ENDPOINT", server.baseUrl());
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.baseUrl());
    env.put("HOST_SYS", sys.toString());
    env.put("HOST_PROC", "/proc");
    env.put("HOST_ROOT", "/");
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    provider.close();
    TestSupport.deleteTree(sys);
  }

  private ContainerInsightReceiver receiver(MetricsSink sink, Duration interval) {
    AwsContainerInsightReceiverFactory f = new AwsContainerInsightReceiverFactory(env::get);
    return (ContainerInsightReceiver) f.createReceiver(TestSupport.settings(provider.get("test")),
        new AwsContainerInsightConfig(interval, "ecs", false, 0, ""), sink);
  }

  private long errors(String source, String reason) {
    long n = 0;
    for (MetricData d : reader.collect()) {
      if (d.getName().equals("otelcol_receiver_awscontainerinsight_errors")) {
        for (LongPointData p : d.getLongSumData().getPoints()) {
          Map<String, String> a = new HashMap<>();
          p.getAttributes().forEach((k, v) -> a.put(k.getKey(), v.toString()));
          if (source.equals(a.get("source")) && reason.equals(a.get("reason"))) {
            n += p.getValue();
          }
        }
      }
    }
    return n;
  }

  @Test
  void twoCollections_realHostFigures_decoratedFromAgentAndImds() throws Exception {
    MetricsSink sink = new MetricsSink();
    ContainerInsightReceiver r = receiver(sink, Duration.ofHours(1));
    MetricsBatch first = r.collect();
    ResourceMetrics i1 = instance(first);
    assertThat(names(i1)).doesNotContain("instance_cpu_utilization", "instance_network_total_bytes");
    Thread.sleep(300);
    MetricsBatch second = r.collect();
    assertThat(sink.batches()).hasSize(2);
    ResourceMetrics i = instance(second);
    assertThat(i.resource().toMap())
        .containsEntry("ClusterName", "otelcol-java-ci")
        .containsEntry("ContainerInstanceId", "5c3b0f7e9a2d4e61b8f4a7c2d1e0f9ab")
        .containsEntry("InstanceId", "i-0abc123def4567890")
        .containsEntry("InstanceType", "m5.large");
    HostStats host = new HostStats(HostPaths.local());
    long cores = host.numCores();
    long memTotal = host.memoryCapacity();
    assertThat(value(i, "instance_cpu_utilization")).isBetween(0.0, 100.0);
    assertThat(value(i, "instance_cpu_usage_total")).isBetween(0.0, cores * 1000.0);
    assertThat(value(i, "instance_cpu_limit")).isEqualTo(cores * 1000.0);
    assertThat(value(i, "instance_memory_utilization")).isGreaterThan(0.0).isLessThanOrEqualTo(100.0);
    assertThat(value(i, "instance_memory_limit")).isEqualTo((double) memTotal);
    assertThat(value(i, "instance_memory_working_set")).isGreaterThan(0.0).isLessThanOrEqualTo(memTotal);
    assertThat(value(i, "instance_network_total_bytes")).isGreaterThanOrEqualTo(0.0);
    assertThat(value(i, "instance_cpu_reserved_capacity"))
        .isCloseTo(TestSupport.FIXTURE_CPU_UNITS / (cores * 1024.0) * 100, within(1e-9));
    assertThat(value(i, "instance_memory_reserved_capacity"))
        .isCloseTo((double) TestSupport.FIXTURE_MEMORY_BYTES / memTotal * 100, within(1e-9));
    assertThat(value(i, "instance_number_of_running_tasks")).isEqualTo(2.0);
    assertThat(resources(second, "InstanceFS")).isNotEmpty().allSatisfy(fs ->
        assertThat(value(fs, "instance_filesystem_utilization")).isBetween(0.0, 100.0));
    // IMDSv2 token once, identity and agent metadata once, tasks at every collection
    assertThat(server.hits(AgentAndImdsServer.TOKEN)).isEqualTo(1);
    assertThat(server.hits(AgentAndImdsServer.DOCUMENT)).isEqualTo(1);
    assertThat(server.hits(AgentAndImdsServer.METADATA)).isEqualTo(1);
    assertThat(server.hits(AgentAndImdsServer.TASKS)).isEqualTo(2);
    assertThat(r.failures()).isZero();
  }

  @Test
  void agentDown_noAgentMetrics_counted_andBackAtTheNextCollection() throws Exception {
    MetricsSink sink = new MetricsSink();
    ContainerInsightReceiver r = receiver(sink, Duration.ofHours(1));
    server.status(AgentAndImdsServer.METADATA, 500);
    ResourceMetrics i = instance(r.collect());
    assertThat(names(i)).doesNotContain("instance_cpu_reserved_capacity", "instance_memory_reserved_capacity",
        "instance_number_of_running_tasks");
    assertThat(i.resource().toMap()).doesNotContainKeys("ClusterName", "ContainerInstanceId")
        .containsEntry("InstanceId", "i-0abc123def4567890");
    assertThat(names(i)).contains("instance_memory_utilization");
    assertThat(errors("ecs_agent", "http_status")).isEqualTo(1);

    server.status(AgentAndImdsServer.METADATA, 200);
    server.status(AgentAndImdsServer.TASKS, -1); // connection dropped
    i = instance(r.collect());
    assertThat(i.resource().toMap()).containsEntry("ClusterName", "otelcol-java-ci");
    assertThat(names(i)).doesNotContain("instance_number_of_running_tasks");
    assertThat(errors("ecs_agent", "connection")).isEqualTo(1);

    server.status(AgentAndImdsServer.TASKS, 200);
    i = instance(r.collect());
    assertThat(names(i)).contains("instance_cpu_reserved_capacity", "instance_memory_reserved_capacity",
        "instance_number_of_running_tasks");
    assertThat(sink.batches()).hasSize(3);
    assertThat(r.failures()).isEqualTo(2);
  }

  @Test
  void imdsDown_thenUp_imdsV1Fallback() throws Exception {
    ContainerInsightReceiver r = receiver(new MetricsSink(), Duration.ofHours(1));
    server.status(AgentAndImdsServer.DOCUMENT, 503);
    assertThat(instance(r.collect()).resource().toMap()).doesNotContainKeys("InstanceId", "InstanceType");
    assertThat(errors("ec2_metadata", "http_status")).isEqualTo(1);
    server.status(AgentAndImdsServer.DOCUMENT, 200);
    server.imdsV1Only(true);
    assertThat(instance(r.collect()).resource().toMap()).containsEntry("InstanceId", "i-0abc123def4567890");
  }

  @Test
  void localMode_neverAsksImds() throws Exception {
    AwsContainerInsightReceiverFactory f = new AwsContainerInsightReceiverFactory(env::get);
    ContainerInsightReceiver r = (ContainerInsightReceiver) f.createReceiver(TestSupport.settings(),
        new AwsContainerInsightConfig(Duration.ofHours(1), "ecs", true, 0, "node-1"), new MetricsSink());
    Map<String, Object> res = instance(r.collect()).resource().toMap();
    assertThat(res).doesNotContainKey("InstanceId").containsEntry("NodeName", "node-1")
        .containsEntry("ClusterName", "otelcol-java-ci");
    assertThat(server.hits(AgentAndImdsServer.DOCUMENT) + server.hits(AgentAndImdsServer.TOKEN)).isZero();
  }

  @Test
  void unreadableHost_emitsNothing_counted() throws Exception {
    env.put("HOST_PROC", sys.resolve("no-such-proc").toString());
    MetricsSink sink = new MetricsSink();
    ContainerInsightReceiver r = receiver(sink, Duration.ofHours(1));
    assertThat(r.collect()).isNull();
    assertThat(sink.batches()).isEmpty();
    assertThat(errors("host", "io")).isEqualTo(1);
  }

  @Test
  void agentDownForManyCollections_logsOneWarning_countsEach() throws Exception {
    RecordingLogger log = new RecordingLogger();
    AwsContainerInsightReceiverFactory f = new AwsContainerInsightReceiverFactory(env::get);
    dev.otelcoljava.runtime.api.CreateSettings s = TestSupport.settings(provider.get("test"));
    s = new dev.otelcoljava.runtime.api.CreateSettings(s.id(), s.kind(), s.meter(), log, s.metricsLevel(), s.buildInfo());
    ContainerInsightReceiver r = (ContainerInsightReceiver) f.createReceiver(s,
        new AwsContainerInsightConfig(Duration.ofHours(1), "ecs", false, 0, ""), new MetricsSink());
    server.status(AgentAndImdsServer.TASKS, 500);
    for (int i = 0; i < 5; i++) {
      assertThat(r.collect()).isNotNull();
    }
    assertThat(errors("ecs_agent", "http_status")).isEqualTo(5);
    assertThat(log.messages).filteredOn(m -> m.contains("ECS agent")).hasSize(1);
  }

  @Test
  void networkAndMountsUnreadable_cpuAndMemoryStillEmitted_eachProblemCounted() throws Exception {
    Path proc = sys.resolve("fake-proc");
    TestSupport.write(proc.resolve("stat"), "cpu  100 0 50 1000 0 0 0 0 0 0\n");
    TestSupport.write(proc.resolve("cpuinfo"), "processor\t: 0\n\nprocessor\t: 1\n");
    TestSupport.write(proc.resolve("meminfo"), "MemTotal: 1000 kB\nMemFree: 250 kB\nInactive(file): 250 kB\n");
    env.put("HOST_PROC", proc.toString());
    env.put("HOST_SYS", sys.resolve("fake-sys").toString());
    MetricsSink sink = new MetricsSink();
    ResourceMetrics i = instance(receiver(sink, Duration.ofHours(1)).collect());
    assertThat(value(i, "instance_memory_utilization")).isCloseTo(50.0, within(1e-9));
    assertThat(value(i, "instance_cpu_limit")).isEqualTo(2000.0);
    assertThat(errors("host", "io")).isEqualTo(2); // net/dev and mountinfo
  }

  static final class RecordingLogger implements System.Logger {
    final java.util.List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
      messages.add(msg);
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
      messages.add(format);
    }
  }

  @Test
  void scheduled_firstCollectionAfterOneInterval_shutdownStops() throws Exception {
    MetricsSink sink = new MetricsSink();
    ContainerInsightReceiver r = receiver(sink, Duration.ofMillis(300));
    r.start(new Host() {
      @Override
      public Optional<dev.otelcoljava.runtime.api.Extension> extension(dev.otelcoljava.runtime.api.ComponentId id) {
        return Optional.empty();
      }

      @Override
      public Map<dev.otelcoljava.runtime.api.ComponentId, dev.otelcoljava.runtime.api.Extension> extensions() {
        return Map.of();
      }
    });
    assertThat(sink.batches()).isEmpty();
    sink.awaitBatches(2, Duration.ofSeconds(10));
    r.shutdown(Duration.ofSeconds(5));
    int n = sink.batches().size();
    Thread.sleep(700);
    assertThat(sink.batches()).hasSize(n);
    assertThat(names(instance(sink.batches().get(1)))).contains("instance_cpu_utilization");
  }

  static final class Reader implements MetricReader {
    private CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    java.util.Collection<MetricData> collect() {
      return registration.collectAllMetrics();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
