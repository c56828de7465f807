package dev.otelcoljava.receiver.awscontainerinsight;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

final class TestSupport {
  private TestSupport() {}

  static CreateSettings settings() {
    return settings(MeterProvider.noop().get("test"));
  }

  static CreateSettings settings(Meter meter) {
    return new CreateSettings(ComponentId.of("awscontainerinsightreceiver"), ComponentKind.RECEIVER,
        meter, System.getLogger("awscontainerinsightreceiver-test"), MetricsLevel.DETAILED,
        new BuildInfo("otelcol-java", "test", "0.0.0"));
  }

  static ConfigNode load(String resource, ConfigProblems problems) throws IOException {
    Object value = null;
    if (resource != null) {
      try (InputStream in = TestSupport.class.getResourceAsStream(resource)) {
        value = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
      }
    }
    return ConfigNode.root(value, "receivers::awscontainerinsightreceiver", problems);
  }

  static ConfigNode yaml(String text, ConfigProblems problems) throws IOException {
    Object value = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
    return ConfigNode.root(value, "receivers::awscontainerinsightreceiver", problems);
  }

  /** Resources of one Type (and, if given, one attribute value). */
  static List<ResourceMetrics> resources(MetricsBatch b, String type) {
    List<ResourceMetrics> out = new ArrayList<>();
    for (ResourceMetrics r : b.resourceMetrics()) {
      if (type.equals(r.resource().getString("Type"))) {
        out.add(r);
      }
    }
    return out;
  }

  static ResourceMetrics instance(MetricsBatch b) {
    List<ResourceMetrics> l = resources(b, "Instance");
    if (l.size() != 1) {
      throw new AssertionError("expected one Type=Instance resource, got " + l.size());
    }
    return l.get(0);
  }

  static Metric metric(ResourceMetrics r, String name) {
    for (ScopeMetrics s : r.scopeMetrics()) {
      for (Metric m : s.metrics()) {
        if (m.name().equals(name)) {
          return m;
        }
      }
    }
    return null;
  }

  static NumberPoint point(ResourceMetrics r, String name) {
    Metric m = metric(r, name);
    if (m == null) {
      throw new AssertionError("missing metric " + name + " in " + r.resource());
    }
    return m.numberPoints().get(0);
  }

  static double value(ResourceMetrics r, String name) {
    NumberPoint p = point(r, name);
    return p.isDouble() ? p.doubleValue() : p.longValue();
  }

  static List<String> names(ResourceMetrics r) {
    List<String> out = new ArrayList<>();
    for (ScopeMetrics s : r.scopeMetrics()) {
      for (Metric m : s.metrics()) {
        out.add(m.name());
      }
    }
    return out;
  }

  static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** The cgroup files HostStats reads for the host's own usage. */
  private static final String[] HOST_CGROUP_FILES = {"cpuacct/cpuacct.usage", "cpuacct/cpuacct.usage_user",
      "cpuacct/cpuacct.usage_sys", "cpuacct/cpuacct.stat", "cpu,cpuacct/cpuacct.usage",
      "cpu,cpuacct/cpuacct.usage_user", "cpu,cpuacct/cpuacct.usage_sys", "cpu,cpuacct/cpuacct.stat",
      "cpu.stat", "memory/memory.usage_in_bytes", "memory/memory.max_usage_in_bytes", "memory/memory.failcnt",
      "memory/memory.stat"};

  /**
   * A HOST_SYS tree whose host-level cgroup files are links to this machine's real ones (when
   * {@code linkReal}) plus the ECS task cgroups of ecs-agent/tasks.json under {@code
   * fs/cgroup/cpu/ecs} and {@code fs/cgroup/memory/ecs}: the host's usage stays real while the
   * tasks' reservations are known. Remove it with {@link #deleteTree} (links are not followed).
   */
  static Path sysWithEcsTasks(Path dir, boolean linkReal) throws IOException {
    Path cg = dir.resolve("fs/cgroup");
    Files.createDirectories(cg);
    if (linkReal) {
      for (String f : HOST_CGROUP_FILES) {
        Path real = Path.of("/sys/fs/cgroup").resolve(f);
        if (Files.isReadable(real)) {
          Path mine = cg.resolve(f);
          Files.createDirectories(mine.getParent());
          Files.createSymbolicLink(mine, real);
        }
      }
    }
    // the tasks of ecs-agent/tasks.json: 512 CPU units (shares) + 0.25 vCPU hard limit, 512 MiB +
    // (128 MiB soft + 256 MiB hard) memory
    Path cpu = cg.resolve("cpu/ecs");
    write(cpu.resolve("0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5/cpu.shares"), "512\n");
    write(cpu.resolve("0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5/cpu.cfs_quota_us"), "-1\n");
    write(cpu.resolve("6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2f10/cpu.cfs_quota_us"), "25000\n");
    write(cpu.resolve("6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2f10/cpu.cfs_period_us"), "100000\n");
    write(cpu.resolve("6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2f10/cpu.shares"), "2\n");
    Path mem = cg.resolve("memory/ecs");
    write(mem.resolve("0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5/memory.limit_in_bytes"), "536870912\n");
    Path t2 = mem.resolve("6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2f10");
    write(t2.resolve("memory.limit_in_bytes"), TaskReservations.UNLIMITED + "\n");
    write(t2.resolve("1f2e3d4c5b6a79881726354453627180a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4/memory.soft_limit_in_bytes"),
        "134217728\n");
    write(t2.resolve("2a3b4c5d6e7f80918273645546372819a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5/memory.soft_limit_in_bytes"),
        TaskReservations.UNLIMITED + "\n");
    write(t2.resolve("2a3b4c5d6e7f80918273645546372819a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5/memory.limit_in_bytes"),
        "268435456\n");
    return dir;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** CPU units the fixture tasks reserve: 512 shares + ceil(1024 x 25000 / 100000). */
  static final long FIXTURE_CPU_UNITS = 512 + 256;
  /** Memory bytes the fixture tasks reserve: 512 MiB + 128 MiB soft + 256 MiB hard. */
  static final long FIXTURE_MEMORY_BYTES = (512L + 128 + 256) * 1024 * 1024;
}
