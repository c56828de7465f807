package dev.otelcoljava.receiver.awscontainerinsight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU and memory reserved by the running ECS tasks, read from their cgroups as upstream's cgroup
 * scanner does (cgroup v1 layout the ECS agent creates: {@code <cgroup>/<controller>/ecs/<task
 * id>}, or the legacy {@code ecs/<cluster>/<task id>}):
 *
 * <ul>
 *   <li>CPU units: a hard limit ({@code cpu.cfs_quota_us} not -1) counts {@code
 *       ceil(1024 x quota / period)}, else {@code cpu.shares}; a task at cgroup's default of 2
 *       shares reserves nothing.
 *   <li>Memory bytes: the task's {@code memory.limit_in_bytes} unless unlimited, else the sum over
 *       its containers of the soft limit, or the hard limit when there is no soft limit.
 * </ul>
 *
 * A task whose cgroup is missing adds nothing (logged at debug level).
 */
final class TaskReservations {
  /** The kernel's "no limit" value (LONG_MAX rounded down to the page size). */
  static final long UNLIMITED = 9223372036854771712L;

  record Reserved(long cpuUnits, long memoryBytes) {}

  private final HostPaths paths;
  private final System.Logger logger;

  TaskReservations(HostPaths paths, System.Logger logger) {
    this.paths = paths;
    this.logger = logger;
  }

  Reserved of(List<EcsAgentClient.Task> running, String cluster) {
    long cpu = 0;
    long mem = 0;
    for (EcsAgentClient.Task t : running) {
      String id = EcsAgentClient.taskId(t.arn());
      if (id == null) {
        logger.log(System.Logger.Level.DEBUG, "invalid ECS task ARN: " + t.arn());
        continue;
      }
      long c = cpuOf(id, cluster);
      if (c > 2) {
        cpu += c;
      }
      mem += memoryOf(id, cluster, t.dockerIds());
    }
    return new Reserved(cpu, mem);
  }

  long cpuOf(String taskId, String cluster) {
    Path d = taskPath("cpu", taskId, cluster);
    if (d == null) {
      return 0;
    }
    try {
      Long quota = HostStats.readLong(d.resolve("cpu.cfs_quota_us"));
      if (quota != null && quota != -1) {
        Long period = HostStats.readLong(d.resolve("cpu.cfs_period_us"));
        if (period != null && period > 0) {
          return (long) Math.ceil(1024.0 * quota / period);
        }
      }
      Long shares = HostStats.readLong(d.resolve("cpu.shares"));
      return shares == null ? 0 : shares;
    } catch (IOException e) {
      logger.log(System.Logger.Level.DEBUG, "reading the cpu cgroup of task " + taskId + ": " + e);
      return 0;
    }
  }

  long memoryOf(String taskId, String cluster, List<String> dockerIds) {
    Path d = taskPath("memory", taskId, cluster);
    if (d == null) {
      return 0;
    }
    try {
      Long limit = HostStats.readLong(d.resolve("memory.limit_in_bytes"));
      if (limit != null && limit < UNLIMITED) {
        return limit;
      }
      long sum = 0;
      for (String c : dockerIds) {
        Path cd = d.resolve(c);
        Long soft = HostStats.readLong(cd.resolve("memory.soft_limit_in_bytes"));
        if (soft != null && soft < UNLIMITED) {
          sum += soft;
          continue;
        }
        Long hard = HostStats.readLong(cd.resolve("memory.limit_in_bytes"));
        if (hard != null && hard < UNLIMITED) {
          sum += hard;
        }
      }
      return sum;
    } catch (IOException e) {
      logger.log(System.Logger.Level.DEBUG, "reading the memory cgroup of task " + taskId + ": " + e);
      return 0;
    }
  }

  private Path taskPath(String controller, String taskId, String cluster) {
    Path base = paths.cgroup().resolve(controller).resolve("ecs");
    Path p = base.resolve(taskId);
    if (Files.isDirectory(p)) {
      return p;
    }
    if (cluster != null && !cluster.isEmpty()) {
      Path legacy = base.resolve(cluster).resolve(taskId);
      if (Files.isDirectory(legacy)) {
        return legacy;
      }
    }
    logger.log(System.Logger.Level.DEBUG, "no " + controller + " cgroup for ECS task " + taskId);
    return null;
  }
}
