package dev.otelcoljava.receiver.awsecscontainermetrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one {@code /task} and one {@code /task/stats} response into the contrib receiver's metrics:
 * one resource per measured container ({@code container.*}), one per stopped container without
 * stats ({@code container.duration} only), and one for the task ({@code ecs.task.*}). Every metric
 * sits in its own scope with an empty name; all points share one timestamp and have no start time.
 *
 * <p>Where upstream's unsigned arithmetic would produce nonsense (a CPU counter that went backwards,
 * page cache larger than usage, a uint64 limit that does not fit int64) this class yields 0 or
 * saturates at {@link Long#MAX_VALUE} instead. Stateless; safe to call from any thread.
 */
final class EcsMetricsBuilder {
  static final String TASK_PREFIX = "ecs.task.";
  static final String CONTAINER_PREFIX = "container.";
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.6.1";
  static final long BYTES_IN_MIB = 1024L * 1024L;
  static final double CPUS_IN_VCPU = 1024;

  static final String UNIT_BYTES = "Bytes";
  static final String UNIT_MIB = "MiB";
  static final String UNIT_NANOSECONDS = "Nanoseconds";
  static final String UNIT_BYTES_PER_SECOND = "Bytes/Second";
  static final String UNIT_COUNT = "Count";
  static final String UNIT_VCPU = "vCPU";
  static final String UNIT_SECONDS = "Seconds";
  static final String UNIT_NONE = "None";

  private final System.Logger logger;

  EcsMetricsBuilder(System.Logger logger) {
    this.logger = logger;
  }

  MetricsBatch build(JsonNode task, JsonNode stats, long timeNanos) {
    MetricsBatch batch = new MetricsBatch();
    Attributes taskResource = taskResource(task);
    EcsMetrics taskMetrics = new EcsMetrics();
    JsonNode containers = task.path("Containers");
    for (JsonNode cm : containers) {
      if (!cm.isObject()) {
        continue;
      }
      Attributes containerResource = containerResource(cm);
      containerResource.putAll(taskResource);
      String dockerId = text(cm, "DockerId");
      JsonNode cs = stats == null ? null : stats.get(dockerId);
      if (cs != null && cs.isObject() && !text(cs, "id").isEmpty()) {
        EcsMetrics m = containerMetrics(cs, cm);
        append(batch, CONTAINER_PREFIX, m, containerResource, timeNanos, null);
        taskMetrics.add(m);
      } else {
        String started = text(cm, "StartedAt");
        String finished = text(cm, "FinishedAt");
        if (!started.isEmpty() && !finished.isEmpty()) {
          Double seconds = durationSeconds(started, finished);
          if (seconds == null) {
            logger.log(System.Logger.Level.WARNING,
                "Error time format error found for this container:" + text(cm, "Name"));
          } else if (seconds >= 0) {
            ResourceMetrics rm = batch.addResource(containerResource);
            appendGauge(rm, CONTAINER_PREFIX + "duration", UNIT_SECONDS, seconds, timeNanos);
          }
        }
      }
    }
    overrideWithTaskLevelLimit(taskMetrics, task);
    append(batch, TASK_PREFIX, taskMetrics, taskResource, timeNanos, task.get("EphemeralStorageMetrics"));
    return batch;
  }

  static void overrideWithTaskLevelLimit(EcsMetrics t, JsonNode task) {
    JsonNode limits = task.path("Limits");
    JsonNode mem = limits.get("Memory");
    if (mem != null && mem.isNumber()) {
      t.memoryReserved = u64(mem);
    }
    JsonNode cpu = limits.get("CPU");
    if (cpu != null && cpu.isNumber()) {
      t.cpuReserved = cpu.doubleValue() * CPUS_IN_VCPU;
    }
    // Upstream: the reserved CPU is never 0 on ECS (a limit is set on the task or the containers);
    // with it, utilization is given in CPU units (vCPU x 1024), not percent (contrib#35640).
    if (t.cpuReserved > 0) {
      t.cpuUtilized = t.cpuUsageInVcpu * CPUS_IN_VCPU;
    }
  }

  EcsMetrics containerMetrics(JsonNode s, JsonNode cm) {
    EcsMetrics m = new EcsMetrics();
    JsonNode mem = s.get("memory_stats");
    if (mem != null && mem.isObject()) {
      m.memoryUsage = u64(mem.get("usage"));
      m.memoryMaxUsage = u64(mem.get("max_usage"));
      m.memoryLimit = u64(mem.get("limit"));
      JsonNode ms = mem.get("stats");
      if (ms != null && ms.isObject()) {
        long cache = u64(ms.get("cache"));
        // Page cache is excluded; upstream would wrap around when cache > usage.
        m.memoryUtilized = m.memoryUsage > cache ? (m.memoryUsage - cache) / BYTES_IN_MIB : 0;
      }
    }

    JsonNode cpu = s.path("cpu_stats").get("cpu_usage");
    JsonNode preCpu = s.path("precpu_stats").get("cpu_usage");
    if (cpu != null && cpu.isObject() && preCpu != null && preCpu.isObject()) {
      JsonNode percpu = cpu.get("percpu_usage");
      long cores = percpu != null && percpu.isArray() ? percpu.size() : 0;
      long nanos = nanosBetween(text(s, "preread"), text(s, "read"));
      long total = u64(cpu.get("total_usage"));
      long preTotal = u64(preCpu.get("total_usage"));
      double vcpu = 0;
      // A counter that went backwards (container restart) gives no rate rather than a huge one.
      if (nanos > 0 && total >= preTotal) {
        vcpu = (double) (total - preTotal) / (double) nanos;
      }
      m.cpuTotalUsage = total;
      m.cpuUsageInKernelmode = u64(cpu.get("usage_in_kernelmode"));
      m.cpuUsageInUserMode = u64(cpu.get("usage_in_usermode"));
      m.numOfCpuCores = cores;
      m.cpuOnlineCpus = u64(s.path("cpu_stats").get("online_cpus"));
      m.systemCpuUsage = u64(s.path("cpu_stats").get("system_cpu_usage"));
      m.cpuUsageInVcpu = vcpu;
      m.cpuUtilized = vcpu * 100;
    }

    JsonNode rate = s.get("network_rate_stats");
    if (rate != null && rate.isObject()) {
      m.networkRateRxBytesPerSecond = f64(rate.get("rx_bytes_per_sec"));
      m.networkRateTxBytesPerSecond = f64(rate.get("tx_bytes_per_sec"));
    }

    JsonNode nets = s.get("networks");
    if (nets != null && nets.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = nets.fields(); it.hasNext(); ) {
        JsonNode n = it.next().getValue();
        m.networkRxBytes = EcsMetrics.sadd(m.networkRxBytes, u64(n.get("rx_bytes")));
        m.networkRxPackets = EcsMetrics.sadd(m.networkRxPackets, u64(n.get("rx_packets")));
        m.networkRxErrors = EcsMetrics.sadd(m.networkRxErrors, u64(n.get("rx_errors")));
        m.networkRxDropped = EcsMetrics.sadd(m.networkRxDropped, u64(n.get("rx_dropped")));
        m.networkTxBytes = EcsMetrics.sadd(m.networkTxBytes, u64(n.get("tx_bytes")));
        m.networkTxPackets = EcsMetrics.sadd(m.networkTxPackets, u64(n.get("tx_packets")));
        m.networkTxErrors = EcsMetrics.sadd(m.networkTxErrors, u64(n.get("tx_errors")));
        m.networkTxDropped = EcsMetrics.sadd(m.networkTxDropped, u64(n.get("tx_dropped")));
      }
    }

    JsonNode blk = s.path("blkio_stats").get("io_service_bytes_recursive");
    if (blk != null && blk.isArray()) {
      for (JsonNode e : blk) {
        // Exactly "Read" / "Write", as upstream (and the ECS agent) compare: cgroup v2 hosts report
        // lower-case ops, which upstream ignores too.
        String op = text(e, "op");
        if ("Read".equals(op)) {
          m.storageReadBytes = EcsMetrics.sadd(m.storageReadBytes, u64(e.get("value")));
        } else if ("Write".equals(op)) {
          m.storageWriteBytes = EcsMetrics.sadd(m.storageWriteBytes, u64(e.get("value")));
        }
      }
    }

    JsonNode limits = cm.path("Limits");
    JsonNode lm = limits.get("Memory");
    if (lm != null && lm.isNumber()) {
      m.memoryReserved = u64(lm);
    }
    JsonNode lc = limits.get("CPU");
    if (lc != null && lc.isNumber()) {
      m.cpuReserved = lc.doubleValue();
    }
    if (m.cpuReserved > 0) {
      m.cpuUtilized = m.cpuUtilized / m.cpuReserved;
    }
    return m;
  }

  private static void append(MetricsBatch batch, String p, EcsMetrics m, Attributes resource,
      long ts, JsonNode ephemeral) {
    ResourceMetrics rm = batch.addResource(resource);
    rm.setSchemaUrl(SCHEMA_URL);
    appendIntGauge(rm, p + "memory.usage", UNIT_BYTES, m.memoryUsage, ts);
    appendIntGauge(rm, p + "memory.usage.max", UNIT_BYTES, m.memoryMaxUsage, ts);
    appendIntGauge(rm, p + "memory.usage.limit", UNIT_BYTES, m.memoryLimit, ts);
    appendIntGauge(rm, p + "memory.utilized", UNIT_MIB, m.memoryUtilized, ts);
    appendIntGauge(rm, p + "memory.reserved", UNIT_MIB, m.memoryReserved, ts);

    appendIntSum(rm, p + "cpu.usage.total", UNIT_NANOSECONDS, m.cpuTotalUsage, ts);
    appendIntSum(rm, p + "cpu.usage.kernelmode", UNIT_NANOSECONDS, m.cpuUsageInKernelmode, ts);
    appendIntSum(rm, p + "cpu.usage.usermode", UNIT_NANOSECONDS, m.cpuUsageInUserMode, ts);
    appendIntGauge(rm, p + "cpu.cores", UNIT_COUNT, m.numOfCpuCores, ts);
    appendIntGauge(rm, p + "cpu.onlines", UNIT_COUNT, m.cpuOnlineCpus, ts);
    appendIntSum(rm, p + "cpu.usage.system", UNIT_NANOSECONDS, m.systemCpuUsage, ts);
    appendGauge(rm, p + "cpu.utilized", UNIT_NONE, m.cpuUtilized, ts);
    appendGauge(rm, p + "cpu.reserved", UNIT_NONE, m.cpuReserved, ts);
    appendGauge(rm, p + "cpu.usage.vcpu", UNIT_VCPU, m.cpuUsageInVcpu, ts);

    appendGauge(rm, p + "network.rate.rx", UNIT_BYTES_PER_SECOND, m.networkRateRxBytesPerSecond, ts);
    appendGauge(rm, p + "network.rate.tx", UNIT_BYTES_PER_SECOND, m.networkRateTxBytesPerSecond, ts);

    appendIntSum(rm, p + "network.io.usage.rx_bytes", UNIT_BYTES, m.networkRxBytes, ts);
    appendIntSum(rm, p + "network.io.usage.rx_packets", UNIT_COUNT, m.networkRxPackets, ts);
    appendIntSum(rm, p + "network.io.usage.rx_errors", UNIT_COUNT, m.networkRxErrors, ts);
    appendIntSum(rm, p + "network.io.usage.rx_dropped", UNIT_COUNT, m.networkRxDropped, ts);
    appendIntSum(rm, p + "network.io.usage.tx_bytes", UNIT_BYTES, m.networkTxBytes, ts);
    appendIntSum(rm, p + "network.io.usage.tx_packets", UNIT_COUNT, m.networkTxPackets, ts);
    appendIntSum(rm, p + "network.io.usage.tx_errors", UNIT_COUNT, m.networkTxErrors, ts);
    appendIntSum(rm, p + "network.io.usage.tx_dropped", UNIT_COUNT, m.networkTxDropped, ts);

    appendIntSum(rm, p + "storage.read_bytes", UNIT_BYTES, m.storageReadBytes, ts);
    appendIntSum(rm, p + "storage.write_bytes", UNIT_BYTES, m.storageWriteBytes, ts);

    // Task level only: ephemeral storage is shared by the task's containers (Fargate PV >= 1.4.0).
    if (ephemeral != null && ephemeral.isObject()) {
      appendIntGauge(rm, TASK_PREFIX + "ephemeral_storage.utilized", UNIT_MIB,
          u64(ephemeral.get("Utilized")), ts);
      appendIntGauge(rm, TASK_PREFIX + "ephemeral_storage.reserved", UNIT_MIB,
          u64(ephemeral.get("Reserved")), ts);
    }
  }

  private static Metric newMetric(ResourceMetrics rm, Metric m, String unit) {
    m.setUnit(unit);
    rm.addScope("", "").metrics().add(m);
    return m;
  }

  private static void appendIntGauge(ResourceMetrics rm, String name, String unit, long v, long ts) {
    newMetric(rm, Metric.gauge(name), unit).addPoint(NumberPoint.ofLong(new Attributes(), 0, ts, v));
  }

  /** Cumulative and non-monotonic, as upstream creates its sums (so PRW sends them as gauges). */
  private static void appendIntSum(ResourceMetrics rm, String name, String unit, long v, long ts) {
    newMetric(rm, Metric.sum(name, Temporality.CUMULATIVE, false), unit)
        .addPoint(NumberPoint.ofLong(new Attributes(), 0, ts, v));
  }

  private static void appendGauge(ResourceMetrics rm, String name, String unit, double v, long ts) {
    newMetric(rm, Metric.gauge(name), unit).addPoint(NumberPoint.ofDouble(new Attributes(), 0, ts, v));
  }

  static Attributes taskResource(JsonNode tm) {
    String arn = text(tm, "TaskARN");
    String region = "";
    String account = "";
    String taskId = "";
    if (arn.startsWith("arn:aws:ecs")) {
      String[] slash = arn.split("/", -1);
      taskId = slash[slash.length - 1];
      String[] colon = slash[0].split(":", -1);
      region = colon.length > 3 ? colon[3] : "";
      account = colon.length > 4 ? colon[4] : "";
    }
    String revision = text(tm, "Revision");
    Attributes a = new Attributes(20);
    a.put("aws.ecs.cluster.name", clusterName(text(tm, "Cluster")));
    a.put("aws.ecs.task.arn", arn);
    a.put("aws.ecs.task.id", taskId);
    a.put("aws.ecs.task.family", text(tm, "Family"));
    a.put("aws.ecs.task.version", revision);
    a.put("aws.ecs.task.revision", revision);
    a.put("aws.ecs.service.name", text(tm, "ServiceName"));
    a.put("cloud.availability_zone", text(tm, "AvailabilityZone"));
    a.put("aws.ecs.task.pull_started_at", text(tm, "PullStartedAt"));
    a.put("aws.ecs.task.pull_stopped_at", text(tm, "PullStoppedAt"));
    a.put("aws.ecs.task.known_status", text(tm, "KnownStatus"));
    String launchType = text(tm, "LaunchType");
    a.put("aws.ecs.task.launch_type", launchType);
    String lt = launchType.toLowerCase(Locale.ROOT);
    if (lt.equals("ec2") || lt.equals("fargate")) {
      a.put("aws.ecs.launchtype", lt);
    }
    a.put("cloud.region", region);
    a.put("cloud.account.id", account);
    return a;
  }

  static Attributes containerResource(JsonNode cm) {
    String[] image = parseImage(text(cm, "Image"));
    Attributes a = new Attributes(32);
    a.put("container.name", text(cm, "Name"));
    a.put("container.id", text(cm, "DockerId"));
    a.put("aws.ecs.docker.name", text(cm, "DockerName"));
    a.put("container.image.name", image[0]);
    a.put("aws.ecs.container.image.id", text(cm, "ImageID"));
    a.put("container.image.tag", image[1]);
    a.put("aws.ecs.container.created_at", text(cm, "CreatedAt"));
    a.put("aws.ecs.container.started_at", text(cm, "StartedAt"));
    String finished = text(cm, "FinishedAt");
    if (!finished.isEmpty()) {
      a.put("aws.ecs.container.finished_at", finished);
    }
    a.put("aws.ecs.container.know_status", text(cm, "KnownStatus"));
    JsonNode exit = cm.get("ExitCode");
    if (exit != null && exit.isIntegralNumber()) {
      a.put("aws.ecs.container.exit_code", exit.longValue());
    }
    return a;
  }

  /** The last {@code /} segment of a cluster ARN; a short name as is. */
  static String clusterName(String cluster) {
    if (cluster.isEmpty() || !cluster.startsWith("arn:aws")) {
      return cluster;
    }
    return cluster.substring(cluster.lastIndexOf('/') + 1);
  }

  /**
   * Splits a Docker image reference into repository and tag (default {@code latest}), dropping a
   * digest, as the distribution reference grammar does; an invalid reference gives two empty
   * strings, as upstream logs and continues.
   */
  static String[] parseImage(String image) {
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    String repo = s;
    String tag = "latest";
    int colon = s.lastIndexOf(':');
    if (colon > s.lastIndexOf('/')) {
      repo = s.substring(0, colon);
      tag = s.substring(colon + 1);
      if (!tag.matches("[\\w][\\w.-]{0,127}")) {
        return new String[] {"", ""};
      }
    }
    if (repo.isEmpty() || !repo.matches("[a-z0-9]+(?:[._-][a-z0-9]+|__|-+[a-z0-9]+)*"
        + "(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*")
        && !repo.matches("[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+")) {
      return new String[] {"", ""};
    }
    return new String[] {repo, tag};
  }

  static Double durationSeconds(String start, String end) {
    try {
      Duration d = Duration.between(OffsetDateTime.parse(start), OffsetDateTime.parse(end));
      return d.getSeconds() + d.getNano() / 1e9;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Nanoseconds from a to b as Go's Time.Sub: saturating; 0 when either does not parse. */
  static long nanosBetween(String a, String b) {
    try {
      Duration d = Duration.between(OffsetDateTime.parse(a), OffsetDateTime.parse(b));
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? "" : v.asText();
  }

  /** A uint64 JSON number as a non-negative long, saturating at {@link Long#MAX_VALUE}. */
  static long u64(JsonNode n) {
    if (n == null || !n.isNumber()) {
      return 0;
    }
    if (n.isIntegralNumber()) {
      if (n.canConvertToLong()) {
        long v = n.longValue();
        return v < 0 ? 0 : v;
      }
      return n.bigIntegerValue().signum() < 0 ? 0 : Long.MAX_VALUE;
    }
    double d = n.doubleValue();
    if (!(d > 0)) {
      return 0;
    }
    return d >= 9.223372036854775807E18 ? Long.MAX_VALUE : (long) d;
  }

  static double f64(JsonNode n) {
    return n == null || !n.isNumber() ? 0 : n.doubleValue();
  }
}
