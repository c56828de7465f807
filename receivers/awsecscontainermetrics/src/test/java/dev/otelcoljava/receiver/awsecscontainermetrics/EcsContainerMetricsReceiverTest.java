package dev.otelcoljava.receiver.awsecscontainermetrics;

import static dev.otelcoljava.receiver.awsecscontainermetrics.TestSupport.doubleValue;
import static dev.otelcoljava.receiver.awsecscontainermetrics.TestSupport.longValue;
import static dev.otelcoljava.receiver.awsecscontainermetrics.TestSupport.metric;
import static dev.otelcoljava.receiver.awsecscontainermetrics.TestSupport.names;
import static dev.otelcoljava.receiver.awsecscontainermetrics.TestSupport.resource;
import static dev.otelcoljava.receiver.awsecscontainermetrics.TestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.Temporality;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.MetricsSink;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.peers.EcsMetadataServer;
import dev.otelcoljava.testing.peers.EcsMetadataServer.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EcsContainerMetricsReceiverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CONTRIB = SharedFiles.fixtures().resolve("ecs/otel-contrib-awsecscontainermetricsreceiver");
  private static final Path MANAGED = SharedFiles.fixtures().resolve("ecs/aws-docs-v4-managed-instances");
  private static final String NGINX100 = "5302b3fac16c62951717f444030cb1b8f233f40c03fe5507fc127ca1a70597da";
  private static final String NGINX300 = "4a984770705c4f4f95e1267af3623ab0923c602b7cd4ed7d77b7f8356537337f";
  private static final String NGINX200 = "fffb51bc2ca1f0205be9579b893372e728cd3bf6823c006f417323565b8cb7d1";
  private static final String ESSENTIAL = "476e366a13b3407882d611ede16001aa-1624567963";

  @TempDir Path tmp;

  /** The 26 per-container / per-task metric suffixes, in upstream's order. */
  private static final List<String> SUFFIXES = List.of(
      "memory.usage", "memory.usage.max", "memory.usage.limit", "memory.utilized", "memory.reserved",
      "cpu.usage.total", "cpu.usage.kernelmode", "cpu.usage.usermode", "cpu.cores", "cpu.onlines",
      "cpu.usage.system", "cpu.utilized", "cpu.reserved", "cpu.usage.vcpu",
      "network.rate.rx", "network.rate.tx",
      "network.io.usage.rx_bytes", "network.io.usage.rx_packets", "network.io.usage.rx_errors",
      "network.io.usage.rx_dropped", "network.io.usage.tx_bytes", "network.io.usage.tx_packets",
      "network.io.usage.tx_errors", "network.io.usage.tx_dropped",
      "storage.read_bytes", "storage.write_bytes");

  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("memory.usage", "Bytes"), Map.entry("memory.usage.max", "Bytes"),
      Map.entry("memory.usage.limit", "Bytes"), Map.entry("memory.utilized", "MiB"),
      Map.entry("memory.reserved", "MiB"), Map.entry("cpu.usage.total", "Nanoseconds"),
      Map.entry("cpu.usage.kernelmode", "Nanoseconds"), Map.entry("cpu.usage.usermode", "Nanoseconds"),
      Map.entry("cpu.cores", "Count"), Map.entry("cpu.onlines", "Count"),
      Map.entry("cpu.usage.system", "Nanoseconds"), Map.entry("cpu.utilized", "None"),
      Map.entry("cpu.reserved", "None"), Map.entry("cpu.usage.vcpu", "vCPU"),
      Map.entry("network.rate.rx", "Bytes/Second"), Map.entry("network.rate.tx", "Bytes/Second"),
      Map.entry("network.io.usage.rx_bytes", "Bytes"), Map.entry("network.io.usage.rx_packets", "Count"),
      Map.entry("network.io.usage.rx_errors", "Count"), Map.entry("network.io.usage.rx_dropped", "Count"),
      Map.entry("network.io.usage.tx_bytes", "Bytes"), Map.entry("network.io.usage.tx_packets", "Count"),
      Map.entry("network.io.usage.tx_errors", "Count"), Map.entry("network.io.usage.tx_dropped", "Count"),
      Map.entry("storage.read_bytes", "Bytes"), Map.entry("storage.write_bytes", "Bytes"));

  private static ObjectNode readTree(Path p) throws IOException {
    return (ObjectNode) JSON.readTree(p.toFile());
  }

  /** Sets a container's sample window and advances its CPU counter by {@code cpuNanos} over it. */
  private static void advanceCpu(ObjectNode stats, String dockerId, String preread, String read, long cpuNanos) {
    ObjectNode c = (ObjectNode) stats.get(dockerId);
    c.put("preread", preread);
    c.put("read", read);
    long pre = c.path("precpu_stats").path("cpu_usage").path("total_usage").longValue();
    ((ObjectNode) c.path("cpu_stats").path("cpu_usage")).put("total_usage", pre + cpuNanos);
  }

  /** Writes a derived copy to the temp dir (kept for inspection) and returns its text. */
  private String write(String name, ObjectNode node) throws IOException {
    Path p = tmp.resolve(name);
    JSON.writerWithDefaultPrettyPrinter().writeValue(p.toFile(), node);
    return Files.readString(p);
  }

  private EcsContainerMetricsReceiver receiver(String endpoint, Duration interval, MetricsSink sink) throws Exception {
    AwsEcsContainerMetricsReceiverFactory f = new AwsEcsContainerMetricsReceiverFactory(
        k -> k.equals("ECS_CONTAINER_METADATA_URI_V4") ? endpoint : null);
    Receiver r = f.createReceiver(TestSupport.settings(), new AwsEcsContainerMetricsConfig(interval), sink);
    return (EcsContainerMetricsReceiver) r;
  }

  private static void assertShape(ResourceMetrics r, String prefix, boolean ephemeral) {
    List<String> expected = new java.util.ArrayList<>();
    for (String s : SUFFIXES) {
      expected.add(prefix + s);
    }
    if (ephemeral) {
      expected.add("ecs.task.ephemeral_storage.utilized");
      expected.add("ecs.task.ephemeral_storage.reserved");
    }
    assertThat(names(r)).containsExactlyElementsOf(expected);
    assertThat(r.schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.6.1");
    for (ScopeMetrics s : r.scopeMetrics()) {
      assertThat(s.name()).isEmpty();
      assertThat(s.version()).isEmpty();
      assertThat(s.metrics()).hasSize(1);
      Metric m = s.metrics().get(0);
      String suffix = m.name().startsWith("ecs.task.ephemeral") ? "memory.utilized" : m.name().substring(prefix.length());
      assertThat(m.unit()).as(m.name()).isEqualTo(UNITS.get(suffix));
      NumberPoint p = m.numberPoints().get(0);
      assertThat(p.startTimeNanos()).isZero();
      assertThat(p.attributes().isEmpty()).isTrue();
      boolean isSum = suffix.startsWith("cpu.usage.") && !suffix.equals("cpu.usage.vcpu")
          || suffix.startsWith("network.io.") || suffix.startsWith("storage.");
      boolean isDouble = suffix.equals("cpu.utilized") || suffix.equals("cpu.reserved")
          || suffix.equals("cpu.usage.vcpu") || suffix.startsWith("network.rate.");
      assertThat(m.type()).as(m.name()).isEqualTo(isSum ? MetricType.SUM : MetricType.GAUGE);
      if (isSum) {
        assertThat(m.temporality()).isEqualTo(Temporality.CUMULATIVE);
        assertThat(m.monotonic()).as(m.name() + " is non-monotonic upstream").isFalse();
      }
      assertThat(p.isDouble()).as(m.name()).isEqualTo(isDouble);
    }
  }

  private static void assertNoNegativeValues(MetricsBatch b) {
    long ts = -1;
    for (ResourceMetrics r : b.resourceMetrics()) {
      for (ScopeMetrics s : r.scopeMetrics()) {
        for (Metric m : s.metrics()) {
          for (NumberPoint p : m.numberPoints()) {
            assertThat(p.value()).as(m.name() + " of " + r.resource().getString("container.name")).isGreaterThanOrEqualTo(0);
            assertThat(Double.isFinite(p.value())).isTrue();
            if (ts < 0) {
              ts = p.timeNanos();
            }
            assertThat(p.timeNanos()).as("one timestamp for all points").isEqualTo(ts);
          }
        }
      }
    }
  }

  @Test
  void collect_ec2Fixture_matchesContribComputation() throws Exception {
    ObjectNode stats = readTree(CONTRIB.resolve("task_stats.json"));
    // nginx300: 1.0 s of CPU in a 2 s window = 0.5 vCPU; nginx100: 0.25 s in 1 s = 0.25 vCPU.
    advanceCpu(stats, NGINX300, "2020-07-31T06:47:35Z", "2020-07-31T06:47:37.000000000Z", 1_000_000_000L);
    advanceCpu(stats, NGINX100, "2020-07-31T06:47:33.5Z", "2020-07-31T06:47:34.5Z", 250_000_000L);
    try (EcsMetadataServer server = EcsMetadataServer.start()) {
      server.task(EcsMetadataServer.read(CONTRIB.resolve("task_metadata.json")));
      server.stats(write("task_stats_sample2.json", stats));
      MetricsSink sink = new MetricsSink();
      EcsContainerMetricsReceiver r = receiver(server.baseUrl(), Duration.ofHours(1), sink);
      MetricsBatch b = r.collect();

      assertThat(sink.batches()).hasSize(1);
      assertThat(b.resourceMetrics()).hasSize(4); // 3 containers + the task
      assertNoNegativeValues(b);
      ResourceMetrics t = task(b);
      assertShape(t, "ecs.task.", false);
      ResourceMetrics n300 = resource(b, "container.id", NGINX300, "container.memory.usage");
      ResourceMetrics n100 = resource(b, "container.id", NGINX100, "container.memory.usage");
      ResourceMetrics n200 = resource(b, "container.id", NGINX200, "container.memory.usage");
      assertShape(n300, "container.", false);

      // Memory: utilized = (usage - stats.cache) / MiB, integer division.
      assertThat(longValue(n300, "container.memory.utilized")).isEqualTo((2658304L - 65536L) / 1048576L).isEqualTo(2);
      assertThat(longValue(n100, "container.memory.utilized")).isEqualTo(2);
      assertThat(longValue(n200, "container.memory.utilized")).isEqualTo(3);
      assertThat(longValue(n300, "container.memory.reserved")).isEqualTo(128);
      assertThat(longValue(n300, "container.memory.usage.limit")).isEqualTo(134217728L);
      assertThat(longValue(t, "ecs.task.memory.utilized")).isEqualTo(7);
      assertThat(longValue(t, "ecs.task.memory.usage")).isEqualTo(2658304L + 2568192L + 3305472L);
      assertThat(longValue(t, "ecs.task.memory.usage.max")).isEqualTo(6320128L + 6242304L + 6369280L);
      // The task limit (512 MiB) overrides the sum of the container reservations (3 x 128).
      assertThat(longValue(t, "ecs.task.memory.reserved")).isEqualTo(512);

      // CPU: vCPU = delta total_usage / (read - preread); container CPU limit 0 leaves percent as is.
      assertThat(doubleValue(n300, "container.cpu.usage.vcpu")).isEqualTo(0.5);
      assertThat(doubleValue(n300, "container.cpu.utilized")).isEqualTo(50.0);
      assertThat(doubleValue(n100, "container.cpu.usage.vcpu")).isEqualTo(0.25);
      assertThat(doubleValue(n100, "container.cpu.utilized")).isEqualTo(25.0);
      assertThat(doubleValue(n200, "container.cpu.usage.vcpu")).isEqualTo(0.0);
      assertThat(longValue(n300, "container.cpu.usage.total")).isEqualTo(276034312L + 1_000_000_000L);
      assertThat(longValue(n300, "container.cpu.cores")).isEqualTo(2);
      assertThat(longValue(n300, "container.cpu.onlines")).isEqualTo(2);
      assertThat(longValue(n300, "container.cpu.usage.system")).isEqualTo(61978880000000L);
      // Task: reserved = task Limits.CPU (0.5) x 1024; utilized = sum of vCPU x 1024 (CPU units).
      assertThat(doubleValue(t, "ecs.task.cpu.reserved")).isEqualTo(512.0);
      assertThat(doubleValue(t, "ecs.task.cpu.usage.vcpu")).isEqualTo(0.75);
      assertThat(doubleValue(t, "ecs.task.cpu.utilized")).isEqualTo(768.0);
      assertThat(longValue(t, "ecs.task.cpu.cores")).isEqualTo(6);
      assertThat(longValue(t, "ecs.task.cpu.usage.kernelmode")).isEqualTo(10000000L + 40000000L + 40000000L);

      // Network: rates summed over containers (in task order), io counters over interfaces.
      assertThat(doubleValue(n300, "container.network.rate.rx")).isEqualTo(101.091);
      assertThat(doubleValue(t, "ecs.task.network.rate.rx")).isEqualTo(0.0 + 10 + 101.091 + 10);
      assertThat(doubleValue(t, "ecs.task.network.rate.tx")).isEqualTo(0.0 + 55 + 55.322 + 55);
      assertThat(longValue(n300, "container.network.io.usage.rx_bytes")).isEqualTo(2156L + 100L);
      assertThat(longValue(n300, "container.network.io.usage.rx_packets")).isEqualTo(128);
      assertThat(longValue(t, "ecs.task.network.io.usage.rx_bytes")).isEqualTo(2256L + 2066L + 2156L);
      // Storage: only op "Read"/"Write" entries.
      assertThat(longValue(n300, "container.storage.read_bytes")).isEqualTo(3452928L);
      assertThat(longValue(t, "ecs.task.storage.read_bytes")).isEqualTo(3452928L);
      assertThat(longValue(t, "ecs.task.storage.write_bytes")).isZero();

      // Resource attributes.
      assertThat(t.resource().toMap()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
          Map.entry("aws.ecs.cluster.name", "test200"),
          Map.entry("aws.ecs.task.arn", "arn:aws:ecs:us-west-2:803860917211:task/test200/d22aaa11bf0e4ab19c2c940a1cbabbee"),
          Map.entry("aws.ecs.task.id", "d22aaa11bf0e4ab19c2c940a1cbabbee"),
          Map.entry("aws.ecs.task.family", "three-nginx"),
          Map.entry("aws.ecs.task.version", "1"),
          Map.entry("aws.ecs.task.revision", "1"),
          Map.entry("aws.ecs.service.name", ""),
          Map.entry("cloud.availability_zone", "us-west-2a"),
          Map.entry("aws.ecs.task.pull_started_at", "2020-07-30T22:12:25.705983342Z"),
          Map.entry("aws.ecs.task.pull_stopped_at", "2020-07-30T22:12:29.827677602Z"),
          Map.entry("aws.ecs.task.known_status", "RUNNING"),
          Map.entry("aws.ecs.task.launch_type", ""),
          Map.entry("cloud.region", "us-west-2"),
          Map.entry("cloud.account.id", "803860917211")));
      Map<String, Object> c = n300.resource().toMap();
      assertThat(c).containsAllEntriesOf(t.resource().toMap());
      assertThat(c).containsEntry("container.name", "nginx300")
          .containsEntry("aws.ecs.docker.name", "ecs-three-nginx-1-nginx300-88d6f5ddacff93ad1d00")
          .containsEntry("container.image.name", "nginx")
          .containsEntry("container.image.tag", "latest")
          .containsEntry("aws.ecs.container.image.id", "sha256:8cf1bfb43ff5d9b05af9b6b63983440f137c6a08320fa7592197c1474ef30241")
          .containsEntry("aws.ecs.container.created_at", "2020-07-30T22:12:29.825124697Z")
          .containsEntry("aws.ecs.container.started_at", "2020-07-30T22:12:31.153459485Z")
          .containsEntry("aws.ecs.container.know_status", "RUNNING")
          .doesNotContainKeys("aws.ecs.container.finished_at", "aws.ecs.container.exit_code", "aws.ecs.launchtype");
      assertThat(c).hasSize(t.resource().size() + 9);
    }
  }

  @Test
  void collect_fargateFixture_stoppedContainerAndHugeLimit() throws Exception {
    ObjectNode stats = readTree(CONTRIB.resolve("task_stats2.json"));
    // 2 s of CPU over a 10 s window = 0.2 vCPU; the container's CPU limit is 2 units.
    advanceCpu(stats, ESSENTIAL, "2021-01-28T19:17:47Z", "2021-01-28T19:17:57Z", 2_000_000_000L);
    try (EcsMetadataServer server = EcsMetadataServer.start()) {
      server.task(EcsMetadataServer.read(CONTRIB.resolve("task_metadata2.json")));
      server.stats(write("task_stats2_sample2.json", stats));
      MetricsSink sink = new MetricsSink();
      MetricsBatch b = receiver(server.baseUrl(), Duration.ofHours(1), sink).collect();

      assertThat(b.resourceMetrics()).hasSize(3);
      assertNoNegativeValues(b);
      ResourceMetrics t = task(b);
      ResourceMetrics ess = resource(b, "container.name", "essential", "container.memory.usage");
      ResourceMetrics stopped = resource(b, "container.name", "non", "container.duration");
      assertShape(ess, "container.", false);

      double vcpu = 2_000_000_000d / 10_000_000_000d;
      assertThat(doubleValue(ess, "container.cpu.usage.vcpu")).isEqualTo(vcpu);
      assertThat(doubleValue(ess, "container.cpu.utilized")).isEqualTo(vcpu * 100 / 2);
      assertThat(doubleValue(ess, "container.cpu.reserved")).isEqualTo(2.0);
      assertThat(doubleValue(t, "ecs.task.cpu.reserved")).isEqualTo(0.25 * 1024);
      assertThat(doubleValue(t, "ecs.task.cpu.utilized")).isEqualTo(vcpu * 1024);
      assertThat(longValue(ess, "container.memory.usage.limit")).isEqualTo(9223372036854771712L);
      assertThat(longValue(t, "ecs.task.memory.usage.limit")).isEqualTo(9223372036854771712L);
      assertThat(longValue(ess, "container.memory.reserved")).isZero();
      assertThat(longValue(t, "ecs.task.memory.reserved")).isEqualTo(512);
      assertThat(longValue(ess, "container.memory.utilized")).isEqualTo(974848L / 1048576L);
      assertThat(doubleValue(t, "ecs.task.network.rate.tx")).isEqualTo(6.998895157210041);
      assertThat(longValue(t, "ecs.task.network.io.usage.rx_bytes")).isEqualTo(64794122L);

      // The stopped container with stats {} gets only container.duration (finish - start).
      assertThat(names(stopped)).containsExactly("container.duration");
      Metric d = metric(stopped, "container.duration");
      assertThat(d.unit()).isEqualTo("Seconds");
      assertThat(d.type()).isEqualTo(MetricType.GAUGE);
      assertThat(d.numberPoints().get(0).doubleValue()).isCloseTo(10.051217148, within(1e-9));
      assertThat(stopped.resource().toMap())
          .containsEntry("aws.ecs.container.exit_code", 42L)
          .containsEntry("aws.ecs.container.know_status", "STOPPED")
          .containsEntry("aws.ecs.container.finished_at", "2021-01-28T19:14:10.168894791Z")
          .containsEntry("container.image.name", "busybox")
          .containsEntry("container.image.tag", "latest");
      assertThat(t.resource().toMap())
          .containsEntry("aws.ecs.launchtype", "fargate")
          .containsEntry("aws.ecs.task.launch_type", "FARGATE")
          .containsEntry("aws.ecs.cluster.name", "default")
          .containsEntry("cloud.account.id", "641248382826")
          .containsEntry("aws.ecs.task.id", "8b541de6f9184e19a1c6363b663fcaa7");
      assertThat(ess.resource().toMap()).containsEntry("container.image.name", "amazonlinux")
          .containsEntry("container.image.tag", "2");
      // Task sums cover only the container that had stats.
      assertThat(longValue(t, "ecs.task.memory.usage")).isEqualTo(longValue(ess, "container.memory.usage"));
    }
  }

  @Test
  void collect_cgroupV2Uint64MaxLimit_saturatesWithoutNegatives() throws Exception {
    try (EcsMetadataServer server = EcsMetadataServer.start(
        MANAGED.resolve("task_metadata.json"), MANAGED.resolve("task_stats.json"))) {
      MetricsBatch b = receiver(server.baseUrl(), Duration.ofHours(1), new MetricsSink()).collect();
      assertNoNegativeValues(b);
      ResourceMetrics t = task(b);
      ResourceMetrics c = resource(b, "container.name", "curl", "container.memory.usage");
      // 18446744073709551615 (uint64 max, "no limit") does not fit int64: it saturates.
      assertThat(longValue(c, "container.memory.usage.limit")).isEqualTo(Long.MAX_VALUE);
      assertThat(longValue(t, "ecs.task.memory.usage.limit")).isEqualTo(Long.MAX_VALUE);
      // cgroup v2 has no "cache" key: utilized is usage / MiB.
      assertThat(longValue(c, "container.memory.utilized")).isEqualTo(83562496L / 1048576L);
      assertThat(longValue(c, "container.cpu.cores")).isZero(); // no percpu_usage on cgroup v2
      // lower-case "read"/"write" ops are not counted, as upstream compares case-sensitively.
      assertThat(longValue(c, "container.storage.read_bytes")).isZero();
      assertThat(doubleValue(c, "container.cpu.usage.vcpu")).isGreaterThan(0);
      assertThat(t.resource().toMap()).containsEntry("aws.ecs.task.launch_type", "MANAGED_INSTANCES")
          .doesNotContainKey("aws.ecs.launchtype");
    }
  }

  @Test
  void collect_counterResetAndCacheAboveUsage_yieldZeroNotHugeValues() throws Exception {
    ObjectNode stats = readTree(CONTRIB.resolve("task_stats.json"));
    advanceCpu(stats, NGINX300, "2020-07-31T06:47:35Z", "2020-07-31T06:47:36Z", -200_000_000L);
    ObjectNode mem = (ObjectNode) stats.get(NGINX100).get("memory_stats");
    ((ObjectNode) mem.get("stats")).put("cache", mem.get("usage").longValue() + 4096);
    try (EcsMetadataServer server = EcsMetadataServer.start()) {
      server.task(EcsMetadataServer.read(CONTRIB.resolve("task_metadata.json")));
      server.stats(write("reset.json", stats));
      MetricsBatch b = receiver(server.baseUrl(), Duration.ofHours(1), new MetricsSink()).collect();
      assertNoNegativeValues(b);
      ResourceMetrics n300 = resource(b, "container.id", NGINX300, "container.memory.usage");
      ResourceMetrics n100 = resource(b, "container.id", NGINX100, "container.memory.usage");
      assertThat(doubleValue(n300, "container.cpu.usage.vcpu")).isZero();
      assertThat(doubleValue(n300, "container.cpu.utilized")).isZero();
      assertThat(longValue(n100, "container.memory.utilized")).isZero();
      assertThat(doubleValue(task(b), "ecs.task.cpu.utilized")).isZero();
    }
  }

  @Test
  void collect_missingAndEmptyStatsOfRunningContainers_excludedFromTaskSums() throws Exception {
    ObjectNode stats = readTree(CONTRIB.resolve("task_stats.json"));
    stats.remove(NGINX200);
    stats.putObject(NGINX100);
    try (EcsMetadataServer server = EcsMetadataServer.start()) {
      server.task(EcsMetadataServer.read(CONTRIB.resolve("task_metadata.json")));
      server.stats(write("partial.json", stats));
      MetricsBatch b = receiver(server.baseUrl(), Duration.ofHours(1), new MetricsSink()).collect();
      // Running containers without stats and without FinishedAt emit nothing at all.
      assertThat(b.resourceMetrics()).hasSize(2);
      ResourceMetrics t = task(b);
      assertThat(longValue(t, "ecs.task.memory.usage")).isEqualTo(2658304L);
      assertThat(longValue(t, "ecs.task.memory.reserved")).isEqualTo(512);
      assertNoNegativeValues(b);
    }
  }

  @Test
  void collect_ecsutilFixture_emitsEphemeralStorageAndLowerCaseLaunchType() throws Exception {
    Path ecsutil = SharedFiles.fixtures().resolve("ecs/otel-contrib-ecsutiltest/task_metadata.json");
    try (EcsMetadataServer server = EcsMetadataServer.start(ecsutil, CONTRIB.resolve("task_stats.json"))) {
      MetricsBatch b = receiver(server.baseUrl(), Duration.ofHours(1), new MetricsSink()).collect();
      ResourceMetrics t = task(b);
      assertShape(t, "ecs.task.", true);
      assertThat(longValue(t, "ecs.task.ephemeral_storage.utilized")).isEqualTo(500);
      assertThat(longValue(t, "ecs.task.ephemeral_storage.reserved")).isEqualTo(21000);
      assertThat(t.resource().toMap()).containsEntry("aws.ecs.launchtype", "ec2");
      // nginx200 is STOPPED but still has stats: it is measured, not reported as a duration.
      ResourceMetrics n200 = resource(b, "container.id", NGINX200, "container.memory.usage");
      assertThat(n200.resource().toMap()).containsEntry("aws.ecs.container.exit_code", 3L)
          .containsEntry("aws.ecs.container.finished_at", "2020-08-30T20:11:29.358701Z");
      // Container CPU limit 100 divides the percentage; the per-container reservation sums.
      ResourceMetrics n100 = resource(b, "container.id", NGINX100, "container.memory.usage");
      assertThat(doubleValue(n100, "container.cpu.reserved")).isEqualTo(100.0);
      // No task CPU limit: reserved is the sum of container limits (100) and utilized is in CPU units.
      assertThat(doubleValue(t, "ecs.task.cpu.reserved")).isEqualTo(100.0);
    }
  }

  @Test
  void collect_faults_emitNothingAndCountFailures() throws Exception {
    try (EcsMetadataServer server = EcsMetadataServer.start(
        CONTRIB.resolve("task_metadata.json"), CONTRIB.resolve("task_stats.json"))) {
      MetricsSink sink = new MetricsSink();
      EcsContainerMetricsReceiver r = receiver(server.baseUrl(), Duration.ofMillis(500), sink);
      server.fault(EcsMetadataServer.STATS, Fault.HTTP_500);
      assertThat(r.collect()).isNull();
      server.fault(EcsMetadataServer.STATS, Fault.GARBAGE);
      assertThat(r.collect()).isNull();
      server.fault(EcsMetadataServer.STATS, Fault.NONE).fault(EcsMetadataServer.TASK, Fault.GARBAGE);
      assertThat(r.collect()).isNull();
      server.fault(EcsMetadataServer.TASK, Fault.SLOW).slowDelay(Duration.ofSeconds(3));
      long t0 = System.nanoTime();
      assertThat(r.collect()).isNull(); // the client gives up after its timeout (the interval: 500ms)
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      assertThat(r.failures()).isEqualTo(4);
      assertThat(sink.batches()).isEmpty();
      server.fault(EcsMetadataServer.TASK, Fault.NONE);
      assertThat(r.collect()).isNotNull();
      assertThat(sink.batches()).hasSize(1);
    }
  }

  @Test
  void collect_endpointDown_failsWithoutEmitting() throws Exception {
    MetricsSink sink = new MetricsSink();
    EcsContainerMetricsReceiver r = receiver("http://127.0.0.1:" + FreePorts.find() + "/v4/abc", Duration.ofSeconds(1), sink);
    assertThat(r.collect()).isNull();
    assertThat(r.failures()).isEqualTo(1);
    assertThat(sink.batches()).isEmpty();
  }

  @Test
  void start_pollsOnScheduleAndKeepsPollingThroughFailures() throws Exception {
    ObjectNode s1 = readTree(CONTRIB.resolve("task_stats.json"));
    ObjectNode s2 = s1.deepCopy();
    advanceCpu(s2, NGINX300, "2020-07-31T06:47:35Z", "2020-07-31T06:47:37Z", 1_000_000_000L);
    try (EcsMetadataServer server = EcsMetadataServer.start()) {
      server.task(EcsMetadataServer.read(CONTRIB.resolve("task_metadata.json")));
      server.statsSequence(List.of(write("s1.json", s1), write("s2.json", s2)));
      server.fault(EcsMetadataServer.STATS, Fault.HTTP_500);
      MetricsSink sink = new MetricsSink();
      EcsContainerMetricsReceiver r = receiver(server.baseUrl(), Duration.ofMillis(100), sink);
      r.start(null);
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (r.failures() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(r.failures()).isGreaterThanOrEqualTo(2);
        assertThat(sink.batches()).isEmpty();
        server.statsSequence(List.of(write("s1.json", s1), write("s2.json", s2)));
        server.fault(EcsMetadataServer.STATS, Fault.NONE);
        sink.awaitBatches(2, Duration.ofSeconds(20));
      } finally {
        r.shutdown(Duration.ofSeconds(5));
        r.shutdown(Duration.ofSeconds(5));
      }
      List<MetricsBatch> batches = sink.batches();
      assertThat(doubleValue(task(batches.get(0)), "ecs.task.cpu.usage.vcpu")).isZero();
      assertThat(doubleValue(task(batches.get(1)), "ecs.task.cpu.usage.vcpu")).isEqualTo(0.5);
      assertThat(doubleValue(task(batches.get(1)), "ecs.task.cpu.utilized")).isEqualTo(512.0);
    }
  }

  @Test
  void createReceiver_withoutEndpointVariable_failsWithHint() {
    AwsEcsContainerMetricsReceiverFactory f = new AwsEcsContainerMetricsReceiverFactory(k -> null);
    assertThatThrownBy(() -> f.createReceiver(TestSupport.settings(), AwsEcsContainerMetricsConfig.defaults(), new MetricsSink()))
        .hasMessageStartingWith("unable to detect task metadata endpoint")
        .hasMessageContaining("ECS_CONTAINER_METADATA_URI_V4");
  }
}
