package dev.otelcoljava.receiver.awscontainerinsight;

import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns host samples into upstream's ECS instance metrics: one resource per group of fields, its
 * tags as resource attributes, every field a gauge in its own scope with an empty name.
 *
 * <ul>
 *   <li>{@code Type=Instance}: {@code instance_cpu_usage_total|user|system} (millicores, rates),
 *       {@code instance_cpu_utilization} (% of all cores), {@code instance_cpu_limit} (cores x
 *       1000), {@code instance_memory_*} (bytes; page faults per second), {@code
 *       instance_memory_utilization} (working set % of MemTotal), {@code instance_memory_limit},
 *       {@code instance_network_*} (sum over interfaces, per second) and, from the ECS agent,
 *       {@code instance_cpu_reserved_capacity}, {@code instance_memory_reserved_capacity} (%)
 *       and {@code instance_number_of_running_tasks}.
 *   <li>{@code Type=InstanceNet}, per interface ({@code interface}): {@code
 *       instance_interface_network_*}.
 *   <li>{@code Type=InstanceDiskIO}, per block device ({@code device}): {@code
 *       instance_diskio_io_service_bytes_read|write|sync|async|total} (bytes per second) and {@code
 *       instance_diskio_io_serviced_*} (operations per second), the ops the source has.
 *   <li>{@code Type=InstanceFS}, per device ({@code device}, {@code fstype}): {@code
 *       instance_filesystem_usage|capacity|available} (bytes) and {@code
 *       instance_filesystem_utilization} (%).
 * </ul>
 *
 * Rates need two collections: the first emits none. Integer values (limits, task count) are
 * int gauges, the rest double gauges, as upstream's typed fields convert. Units follow upstream's
 * table (none for the millicore metrics, which CloudWatch has no unit for).
 */
final class InstanceMetricsBuilder {
  static final String TYPE_INSTANCE = "Instance";
  static final String TYPE_INSTANCE_FS = "InstanceFS";
  static final String TYPE_INSTANCE_NET = "InstanceNet";
  static final String TYPE_INSTANCE_DISKIO = "InstanceDiskIO";
  static final String SOURCES_CADVISOR = "[\"cadvisor\"]";
  private static final String[] IO_OPS = {"Async", "Sync", "Read", "Write", "Total"};
  static final String SOURCES_INSTANCE = "[\"cadvisor\",\"/proc\",\"ecsagent\",\"calculated\"]";
  static final String SOURCES_CALCULATED = "[\"cadvisor\",\"calculated\"]";
  private static final double MILLICORES = 1000;
  private static final double PER_SECOND = 1e9;
  private static final Map<String, String> UNITS = new LinkedHashMap<>();

  static {
    for (String m : new String[] {"cpu_utilization", "cpu_reserved_capacity", "memory_utilization",
        "memory_reserved_capacity", "filesystem_utilization"}) {
      UNITS.put(m, "Percent");
    }
    for (String m : new String[] {"memory_usage", "memory_cache", "memory_rss", "memory_max_usage",
        "memory_swap", "memory_mapped_file", "memory_working_set", "memory_limit", "filesystem_usage",
        "filesystem_capacity", "filesystem_available"}) {
      UNITS.put(m, "Bytes");
    }
    for (String m : new String[] {"memory_pgfault", "memory_pgmajfault", "memory_failures_total",
        "memory_hierarchical_pgfault", "memory_hierarchical_pgmajfault", "network_rx_packets",
        "network_rx_dropped", "network_rx_errors", "network_tx_packets", "network_tx_dropped",
        "network_tx_errors"}) {
      UNITS.put(m, "Count/Second");
    }
    for (String m : new String[] {"network_rx_bytes", "network_tx_bytes", "network_total_bytes"}) {
      UNITS.put(m, "Bytes/Second");
    }
    for (String op : IO_OPS) {
      UNITS.put("diskio_io_service_bytes_" + op.toLowerCase(java.util.Locale.ROOT), "Bytes/Second");
      UNITS.put("diskio_io_serviced_" + op.toLowerCase(java.util.Locale.ROOT), "Count/Second");
    }
    UNITS.put("memory_failcnt", "Count");
    UNITS.put("number_of_running_tasks", "Count");
  }

  /** What the instance metadata and the ECS agent told (fields null or empty when unknown). */
  record Decoration(String instanceId, String instanceType, String autoScalingGroupName,
      String clusterName, String containerInstanceId, String nodeName) {}

  /** Reserved capacity inputs from the ECS agent; null when the agent could not be read. */
  record EcsUsage(long cpuReservedUnits, long memoryReservedBytes, long runningTasks) {}

  private final Rates rates = new Rates();

  MetricsBatch build(HostStats.Sample s, long numCores, long memoryCapacity, Decoration d, EcsUsage ecs) {
    List<Group> groups = new ArrayList<>();
    Group inst = new Group(TYPE_INSTANCE, "instance_");
    long t = s.monoNanos();

    HostStats.Cpu cpu = s.cpu();
    Double total = rate("cpu_total", cpu.total(), t, MILLICORES);
    inst.put("cpu_usage_total", total);
    if (cpu.user() >= 0) {
      inst.put("cpu_usage_user", rate("cpu_user", cpu.user(), t, MILLICORES));
    }
    if (cpu.system() >= 0) {
      inst.put("cpu_usage_system", rate("cpu_system", cpu.system(), t, MILLICORES));
    }
    if (total != null && numCores != 0) {
      inst.put("cpu_utilization", total / (numCores * MILLICORES) * 100);
    }
    inst.put("cpu_limit", numCores * (long) MILLICORES);

    HostStats.Memory m = s.memory();
    inst.put("memory_usage", (double) m.usage());
    inst.put("memory_cache", (double) m.cache());
    inst.put("memory_rss", (double) m.rss());
    if (m.maxUsage() >= 0) {
      inst.put("memory_max_usage", (double) m.maxUsage());
    }
    inst.put("memory_swap", (double) m.swap());
    if (m.failcnt() >= 0) {
      inst.put("memory_failcnt", (double) m.failcnt());
    }
    inst.put("memory_mapped_file", (double) m.mappedFile());
    inst.put("memory_working_set", (double) m.workingSet());
    if (m.pgfault() >= 0) {
      inst.put("memory_pgfault", rate("mem_pgfault", m.pgfault(), t, PER_SECOND));
      inst.put("memory_pgmajfault", rate("mem_pgmajfault", Math.max(0, m.pgmajfault()), t, PER_SECOND));
      inst.put("memory_failures_total",
          rate("mem_failures", m.pgfault() + Math.max(0, m.pgmajfault()), t, PER_SECOND));
    }
    if (m.hierarchicalPgfault() >= 0) {
      inst.put("memory_hierarchical_pgfault", rate("mem_hpgfault", m.hierarchicalPgfault(), t, PER_SECOND));
      inst.put("memory_hierarchical_pgmajfault",
          rate("mem_hpgmajfault", Math.max(0, m.hierarchicalPgmajfault()), t, PER_SECOND));
    }
    if (memoryCapacity != 0) {
      inst.put("memory_utilization", (double) m.workingSet() / memoryCapacity * 100);
    }
    inst.put("memory_limit", memoryCapacity);

    // network: per interface, and their sum on the instance
    Map<String, Double> sum = new LinkedHashMap<>();
    boolean anyRate = false;
    for (HostStats.Iface i : s.interfaces()) {
      Group g = new Group(TYPE_INSTANCE_NET, "instance_interface_");
      g.tags.put("interface", i.name());
      Map<String, Double> f = new LinkedHashMap<>();
      String k = "net:" + i.name() + ":";
      f.put("network_rx_bytes", rate(k + "rxb", i.rxBytes(), t, PER_SECOND));
      f.put("network_rx_packets", rate(k + "rxp", i.rxPackets(), t, PER_SECOND));
      f.put("network_rx_dropped", rate(k + "rxd", i.rxDropped(), t, PER_SECOND));
      f.put("network_rx_errors", rate(k + "rxe", i.rxErrors(), t, PER_SECOND));
      f.put("network_tx_bytes", rate(k + "txb", i.txBytes(), t, PER_SECOND));
      f.put("network_tx_packets", rate(k + "txp", i.txPackets(), t, PER_SECOND));
      f.put("network_tx_dropped", rate(k + "txd", i.txDropped(), t, PER_SECOND));
      f.put("network_tx_errors", rate(k + "txe", i.txErrors(), t, PER_SECOND));
      Double rx = f.get("network_rx_bytes");
      Double tx = f.get("network_tx_bytes");
      if (rx != null && tx != null) {
        f.put("network_total_bytes", rx + tx);
      }
      for (Map.Entry<String, Double> e : f.entrySet()) {
        if (e.getValue() != null) {
          g.put(e.getKey(), e.getValue());
          sum.merge(e.getKey(), e.getValue(), Double::sum);
          anyRate = true;
        }
      }
      groups.add(g);
    }
    if (anyRate) {
      for (Map.Entry<String, Double> e : sum.entrySet()) {
        inst.put(e.getKey(), e.getValue());
      }
    }

    if (ecs != null) {
      long cpuLimit = numCores * (long) MILLICORES;
      if (cpuLimit > 0) {
        // upstream: cgroup CPU units are cadvisor millicores x 1.024
        inst.put("cpu_reserved_capacity", ecs.cpuReservedUnits() / (cpuLimit * 1.024) * 100);
      }
      if (memoryCapacity > 0) {
        inst.put("memory_reserved_capacity", (double) ecs.memoryReservedBytes() / memoryCapacity * 100);
      }
      if (ecs.runningTasks() != 0) {
        inst.put("number_of_running_tasks", ecs.runningTasks());
      }
    }
    groups.add(0, inst);

    for (HostStats.Fs f : s.filesystems()) {
      Group g = new Group(TYPE_INSTANCE_FS, "instance_");
      g.tags.put("device", f.device());
      g.tags.put("fstype", f.type());
      g.put("filesystem_usage", (double) f.usage());
      g.put("filesystem_capacity", (double) f.capacity());
      g.put("filesystem_available", (double) f.available());
      if (f.capacity() != 0) {
        g.put("filesystem_utilization", (double) f.usage() / f.capacity() * 100);
      }
      groups.add(g);
    }
    // block I/O: one resource per device with both bytes and operations per second. Upstream keys
    // its rates by metric name only, so two devices would share a rate; here each device has its own.
    for (HostStats.DiskIo io : s.diskIo()) {
      Group g = new Group(TYPE_INSTANCE_DISKIO, "instance_");
      g.tags.put("device", io.device());
      for (String op : IO_OPS) {
        String lower = op.toLowerCase(java.util.Locale.ROOT);
        Long b = io.serviceBytes().get(op);
        if (b != null) {
          g.put("diskio_io_service_bytes_" + lower, rate("io:" + io.device() + ":b:" + op, b, t, PER_SECOND));
        }
        Long n = io.serviced().get(op);
        if (n != null) {
          g.put("diskio_io_serviced_" + lower, rate("io:" + io.device() + ":n:" + op, n, t, PER_SECOND));
        }
      }
      groups.add(g);
    }
    rates.endCollection();

    MetricsBatch batch = new MetricsBatch();
    String tsMillis = Long.toString(s.timeNanos() / 1_000_000L);
    for (Group g : groups) {
      if (g.fields.isEmpty()) {
        continue; // e.g. an interface on the first collection: rates only
      }
      Attributes res = new Attributes();
      res.put("Type", g.type);
      for (Map.Entry<String, String> e : g.tags.entrySet()) {
        res.put(e.getKey(), e.getValue());
      }
      res.put("Timestamp", tsMillis);
      res.put("Version", "0");
      if (d.nodeName() != null && !d.nodeName().isEmpty()) {
        res.put("NodeName", d.nodeName());
      }
      putIfKnown(res, "InstanceId", d.instanceId());
      putIfKnown(res, "InstanceType", d.instanceType());
      res.put("AutoScalingGroupName", d.autoScalingGroupName() == null ? "" : d.autoScalingGroupName());
      putIfKnown(res, "ClusterName", d.clusterName());
      putIfKnown(res, "ContainerInstanceId", d.containerInstanceId());
      res.put("Sources", g.type.equals(TYPE_INSTANCE) ? SOURCES_INSTANCE
          : g.type.equals(TYPE_INSTANCE_DISKIO) ? SOURCES_CADVISOR : SOURCES_CALCULATED);
      ResourceMetrics rm = batch.addResource(res);
      for (Map.Entry<String, Number> e : g.fields.entrySet()) {
        Metric metric = Metric.gauge(g.prefix + e.getKey());
        metric.setUnit(UNITS.getOrDefault(e.getKey(), ""));
        Number v = e.getValue();
        if (v instanceof Long l) {
          metric.addPoint(NumberPoint.ofLong(new Attributes(), 0, s.timeNanos(), l));
        } else {
          metric.addPoint(NumberPoint.ofDouble(new Attributes(), 0, s.timeNanos(), v.doubleValue()));
        }
        rm.addScope("", "").metrics().add(metric);
      }
    }
    return batch;
  }

  private Double rate(String key, long value, long t, double multiplier) {
    return rates.rate(key, value, t, multiplier);
  }

  private static void putIfKnown(Attributes a, String key, String value) {
    if (value != null && !value.isEmpty()) {
      a.put(key, value);
    }
  }

  private static final class Group {
    final String type;
    final String prefix;
    final Map<String, String> tags = new LinkedHashMap<>();
    final Map<String, Number> fields = new LinkedHashMap<>();

    Group(String type, String prefix) {
      this.type = type;
      this.prefix = prefix;
    }

    void put(String field, Number v) {
      if (v != null) {
        fields.put(field, v);
      }
    }
  }
}
