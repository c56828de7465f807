package dev.otelcoljava.receiver.awscontainerinsight;

import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.instance;
import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.metric;
import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.names;
import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.point;
import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.resources;
import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metric arithmetic on hand-made samples 10 s apart (2 cores, 8 GiB). */
class InstanceMetricsBuilderTest {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final long T0 = 1_765_000_000_000_000_000L;
  private static final long TEN_S = 10_000_000_000L;
  private static final InstanceMetricsBuilder.Decoration DECO = new InstanceMetricsBuilder.Decoration(
      "i-0abc123def4567890", "m5.large", "", "otelcol-java-ci", "5c3b0f7e", "");

  private static HostStats.Sample sample(long i, long cpuNanos, long rxBytes, long txBytes, long pgfault) {
    HostStats.Memory mem = new HostStats.Memory(3 * GIB, 2 * GIB, GIB / 2, GIB, 1000, 4 * GIB, 0, 0,
        pgfault, 10, pgfault, 10);
    return new HostStats.Sample(T0 + i * TEN_S, 5_000_000_000L + i * TEN_S,
        new HostStats.Cpu(cpuNanos, cpuNanos / 2, cpuNanos / 4), mem,
        List.of(new HostStats.Iface("eth0", rxBytes, 100 * i, 0, 0, txBytes, 50 * i, 0, 0),
            new HostStats.Iface("eth1", rxBytes / 2, 10 * i, 1, 0, txBytes / 2, 5 * i, 0, 0)),
        List.of(new HostStats.Fs("/dev/nvme0n1p1", "xfs", "/", 100 * GIB, 25 * GIB, 70 * GIB)));
  }

  @Test
  void firstCollection_noRates_secondCollection_ratesPerUpstreamFormulas() {
    InstanceMetricsBuilder b = new InstanceMetricsBuilder();
    InstanceMetricsBuilder.EcsUsage ecs = new InstanceMetricsBuilder.EcsUsage(768, GIB, 2);
    MetricsBatch first = b.build(sample(0, 100_000_000_000L, 1_000_000, 500_000, 1000), 2, 8 * GIB, DECO, ecs);
    ResourceMetrics i1 = instance(first);
    assertThat(names(i1)).doesNotContain("instance_cpu_usage_total", "instance_cpu_utilization",
        "instance_network_total_bytes", "instance_memory_pgfault");
    assertThat(value(i1, "instance_memory_utilization")).isCloseTo(25.0, within(1e-9));
    assertThat(resources(first, "InstanceNet")).isEmpty();

    // 10 s later: 5 CPU-seconds used (half of 2 cores), 1 MB in / 0.5 MB out on eth0 (+ half on eth1)
    MetricsBatch second = b.build(sample(1, 105_000_000_000L, 11_000_000, 5_500_000, 1500), 2, 8 * GIB, DECO, ecs);
    ResourceMetrics i = instance(second);
    assertThat(value(i, "instance_cpu_usage_total")).isCloseTo(500.0, within(1e-6)); // millicores
    assertThat(value(i, "instance_cpu_usage_user")).isCloseTo(250.0, within(1e-6));
    assertThat(value(i, "instance_cpu_utilization")).isCloseTo(25.0, within(1e-9));
    assertThat(point(i, "instance_cpu_limit").isDouble()).isFalse();
    assertThat(point(i, "instance_cpu_limit").longValue()).isEqualTo(2000);
    assertThat(value(i, "instance_memory_working_set")).isEqualTo(2.0 * GIB);
    assertThat(point(i, "instance_memory_limit").longValue()).isEqualTo(8 * GIB);
    assertThat(point(i, "instance_memory_limit").isDouble()).isFalse();
    assertThat(value(i, "instance_memory_pgfault")).isCloseTo(50.0, within(1e-9));
    assertThat(value(i, "instance_network_rx_bytes")).isCloseTo(1_500_000.0, within(1e-6));
    assertThat(value(i, "instance_network_tx_bytes")).isCloseTo(750_000.0, within(1e-6));
    assertThat(value(i, "instance_network_total_bytes")).isCloseTo(2_250_000.0, within(1e-6));
    // 768 CPU units of 2 x 1024; 1 GiB of 8 GiB
    assertThat(value(i, "instance_cpu_reserved_capacity")).isCloseTo(37.5, within(1e-9));
    assertThat(value(i, "instance_memory_reserved_capacity")).isCloseTo(12.5, within(1e-9));
    assertThat(point(i, "instance_number_of_running_tasks").longValue()).isEqualTo(2);
    assertThat(metric(i, "instance_cpu_utilization").unit()).isEqualTo("Percent");
    assertThat(metric(i, "instance_network_total_bytes").unit()).isEqualTo("Bytes/Second");
    assertThat(metric(i, "instance_memory_working_set").unit()).isEqualTo("Bytes");
    assertThat(metric(i, "instance_cpu_usage_total").unit()).isEmpty();
    assertThat(metric(i, "instance_number_of_running_tasks").unit()).isEqualTo("Count");

    List<ResourceMetrics> nets = resources(second, "InstanceNet");
    assertThat(nets).extracting(r -> r.resource().getString("interface")).containsExactly("eth0", "eth1");
    assertThat(value(nets.get(0), "instance_interface_network_rx_bytes")).isCloseTo(1_000_000.0, within(1e-6));
    assertThat(value(nets.get(1), "instance_interface_network_rx_packets")).isCloseTo(1.0, within(1e-9));
    assertThat(nets.get(0).resource().getString("Sources")).isEqualTo("[\"cadvisor\",\"calculated\"]");

    ResourceMetrics fs = resources(second, "InstanceFS").get(0);
    assertThat(fs.resource().toMap()).containsEntry("device", "/dev/nvme0n1p1").containsEntry("fstype", "xfs");
    assertThat(value(fs, "instance_filesystem_utilization")).isCloseTo(25.0, within(1e-9));
    assertThat(value(fs, "instance_filesystem_capacity")).isEqualTo(100.0 * GIB);
    assertThat(value(fs, "instance_filesystem_available")).isEqualTo(70.0 * GIB);

    Map<String, Object> res = i.resource().toMap();
    assertThat(res).containsEntry("Type", "Instance").containsEntry("Version", "0")
        .containsEntry("Timestamp", Long.toString((T0 + TEN_S) / 1_000_000L))
        .containsEntry("InstanceId", "i-0abc123def4567890").containsEntry("InstanceType", "m5.large")
        .containsEntry("ClusterName", "otelcol-java-ci").containsEntry("ContainerInstanceId", "5c3b0f7e")
        .containsEntry("AutoScalingGroupName", "")
        .containsEntry("Sources", "[\"cadvisor\",\"/proc\",\"ecsagent\",\"calculated\"]")
        .doesNotContainKey("NodeName");
    assertThat(point(i, "instance_cpu_utilization").timeNanos()).isEqualTo(T0 + TEN_S);
  }

  @Test
  void counterReset_givesNoRate_agentUnknown_givesNoEcsMetrics_unknownIdsAreLeftOut() {
    InstanceMetricsBuilder b = new InstanceMetricsBuilder();
    InstanceMetricsBuilder.Decoration none = new InstanceMetricsBuilder.Decoration(null, null, "", null, null,
        "ip-10-0-12-34");
    b.build(sample(0, 100_000_000_000L, 1_000_000, 500_000, 1000), 2, 8 * GIB, none, null);
    MetricsBatch after = b.build(sample(1, 1_000_000_000L, 2_000_000, 600_000, 1000), 2, 8 * GIB, none, null);
    ResourceMetrics i = instance(after);
    assertThat(names(i)).doesNotContain("instance_cpu_usage_total", "instance_cpu_utilization",
        "instance_cpu_reserved_capacity", "instance_memory_reserved_capacity",
        "instance_number_of_running_tasks");
    assertThat(names(i)).contains("instance_network_total_bytes", "instance_memory_utilization");
    assertThat(i.resource().toMap()).doesNotContainKeys("InstanceId", "ClusterName", "ContainerInstanceId")
        .containsEntry("NodeName", "ip-10-0-12-34");
    // back to rising: the rate restarts from the value after the reset
    MetricsBatch third = b.build(sample(2, 3_000_000_000L, 3_000_000, 700_000, 1000), 2, 8 * GIB, none, null);
    assertThat(value(instance(third), "instance_cpu_usage_total")).isCloseTo(200.0, within(1e-6));
  }

  @Test
  void diskIo_perDeviceRates_bytesAndOperations() {
    InstanceMetricsBuilder b = new InstanceMetricsBuilder();
    HostStats.Sample s0 = sample(0, 1, 1, 1, 1);
    HostStats.Sample s1 = sample(1, 1, 1, 1, 1);
    java.util.function.BiFunction<HostStats.Sample, Long, HostStats.Sample> withIo = (s, k) -> new HostStats.Sample(
        s.timeNanos(), s.monoNanos(), s.cpu(), s.memory(), s.interfaces(), s.filesystems(),
        List.of(new HostStats.DiskIo("/dev/nvme0n1", Map.of("Read", 1000 * k, "Write", 5000 * k),
                Map.of("Read", 10 * k, "Write", 20 * k)),
            new HostStats.DiskIo("/dev/nvme1n1", Map.of("Read", 7 * k), Map.of())), List.of());
    assertThat(resources(b.build(withIo.apply(s0, 1L), 2, 8 * GIB, DECO, null), "InstanceDiskIO")).isEmpty();
    MetricsBatch m = b.build(withIo.apply(s1, 3L), 2, 8 * GIB, DECO, null);
    List<ResourceMetrics> io = resources(m, "InstanceDiskIO");
    assertThat(io).extracting(r -> r.resource().getString("device")).containsExactly("/dev/nvme0n1", "/dev/nvme1n1");
    assertThat(value(io.get(0), "instance_diskio_io_service_bytes_write")).isCloseTo(1000.0, within(1e-9));
    assertThat(value(io.get(0), "instance_diskio_io_serviced_read")).isCloseTo(2.0, within(1e-9));
    assertThat(value(io.get(1), "instance_diskio_io_service_bytes_read")).isCloseTo(1.4, within(1e-9));
    assertThat(metric(io.get(0), "instance_diskio_io_service_bytes_write").unit()).isEqualTo("Bytes/Second");
    assertThat(io.get(0).resource().getString("Sources")).isEqualTo("[\"cadvisor\"]");
  }

  @Test
  void noRunningTasks_emitsReservedCapacityButNoTaskCount_asUpstream() {
    InstanceMetricsBuilder b = new InstanceMetricsBuilder();
    MetricsBatch m = b.build(sample(0, 1, 1, 1, 1), 2, 8 * GIB, DECO, new InstanceMetricsBuilder.EcsUsage(0, 0, 0));
    ResourceMetrics i = instance(m);
    assertThat(value(i, "instance_cpu_reserved_capacity")).isZero();
    assertThat(names(i)).doesNotContain("instance_number_of_running_tasks");
  }
}
