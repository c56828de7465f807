package dev.otelcoljava.receiver.awscontainerinsight;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the host's {@code /proc}, {@code /sys} and root file system are seen from this process.
 * Upstream runs as an ECS daemon task laid out as cAdvisor's: the host's {@code /} mounted at
 * {@code /rootfs}, the host's {@code /sys} at {@code /sys}; it points gopsutil's {@code HOST_PROC}
 * at {@code /rootfs/proc}. The same variables are honoured here ({@code HOST_PROC}, {@code
 * HOST_SYS}, {@code HOST_ROOT}, as gopsutil names them). Unset: {@code HOST_PROC} is {@code
 * /rootfs/proc} when that exists, else {@code /proc}; {@code HOST_SYS} is {@code /sys}; {@code
 * HOST_ROOT} is {@code /rootfs} when {@code /rootfs/proc} exists, else {@code /}.
 *
 * @param proc the host's procfs
 * @param sys the host's sysfs (cgroups under {@code fs/cgroup})
 * @param root the host's root file system, prefixed to mount points before they are measured
 */
record HostPaths(Path proc, Path sys, Path root) {
  static final String ROOTFS = "/rootfs";

  static HostPaths fromEnv(Function<String, String> env, Function<String, Boolean> exists) {
    boolean rootfs = exists.apply(ROOTFS + "/proc");
    String base = rootfs ? ROOTFS : "";
    return new HostPaths(
        Path.of(pick(env.apply("HOST_PROC"), base + "/proc")),
        Path.of(pick(env.apply("HOST_SYS"), "/sys")),
        Path.of(pick(env.apply("HOST_ROOT"), rootfs ? ROOTFS : "/")));
  }

  /** This machine's own /proc, /sys and /. */
  static HostPaths local() {
    return new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/"));
  }

  Path cgroup() {
    return sys.resolve("fs/cgroup");
  }

  /** A host mount point ({@code /var/lib/docker}) as this process sees it. */
  Path hostPath(String mountPoint) {
    String rel = mountPoint.startsWith("/") ? mountPoint.substring(1) : mountPoint;
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  private static String pick(String v, String def) {
    return v == null || v.isBlank() ? def : v.trim();
  }
}
