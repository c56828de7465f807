package dev.otelcoljava.runtime.internal.telemetry;

import io.opentelemetry.api.metrics.Meter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * otelcol's process self-metrics, read at each collection: {@code otelcol_process_uptime} (s),
 * {@code otelcol_process_cpu_seconds}, {@code otelcol_process_memory_rss} (VmRSS of {@code
 * /proc/self/status}), {@code otelcol_process_runtime_heap_alloc_bytes} (heap in use), {@code
 * otelcol_process_runtime_total_alloc_bytes} (bytes allocated since start, where the JVM reports
 * it) and {@code otelcol_process_runtime_total_sys_memory_bytes} (heap and non-heap committed).
 */
final class ProcessMetrics {
  private ProcessMetrics() {}

  /**
   * The JVM's management beans, made at the first collection rather than at start-up: the
   * operating-system bean reads the container's cgroup files as it is made, and nothing collects
   * these metrics until the telemetry endpoint is scraped (in many deployments, never).
   */
  private static final class Beans {
    static final java.lang.management.RuntimeMXBean RUNTIME = ManagementFactory.getRuntimeMXBean();
    static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    static final java.lang.management.OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();
    static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  }

  static void register(Meter meter) {
    meter.counterBuilder("otelcol_process_uptime").ofDoubles().setUnit("s")
        .setDescription("Uptime of the process")
        .buildWithCallback(m -> m.record(Beans.RUNTIME.getUptime() / 1000.0));
    meter.counterBuilder("otelcol_process_cpu_seconds").ofDoubles().setUnit("s")
        .setDescription("Total CPU user and system time in seconds")
        .buildWithCallback(m -> {
          if (Beans.OS instanceof com.sun.management.OperatingSystemMXBean sun) {
            long cpu = sun.getProcessCpuTime();
            if (cpu >= 0) {
              m.record(cpu / 1e9);
            }
          }
        });
    meter.gaugeBuilder("otelcol_process_memory_rss").ofLongs().setUnit("By")
        .setDescription("Total physical memory (resident set size)")
        .buildWithCallback(m -> {
          long rss = readRss();
          if (rss >= 0) {
            m.record(rss);
          }
        });
    meter.gaugeBuilder("otelcol_process_runtime_heap_alloc_bytes").ofLongs().setUnit("By")
        .setDescription("Bytes of allocated heap objects")
        .buildWithCallback(m -> m.record(Beans.MEMORY.getHeapMemoryUsage().getUsed()));
    meter.counterBuilder("otelcol_process_runtime_total_alloc_bytes").setUnit("By")
        .setDescription("Cumulative bytes allocated for heap objects")
        .buildWithCallback(m -> {
          if (Beans.THREADS instanceof com.sun.management.ThreadMXBean sunThreads) {
            long total = sunThreads.getTotalThreadAllocatedBytes();
            if (total >= 0) {
              m.record(total);
            }
          }
        });
    meter.gaugeBuilder("otelcol_process_runtime_total_sys_memory_bytes").ofLongs().setUnit("By")
        .setDescription("Total bytes of memory obtained from the OS")
        .buildWithCallback(m -> {
          MemoryUsage heap = Beans.MEMORY.getHeapMemoryUsage();
          MemoryUsage nonHeap = Beans.MEMORY.getNonHeapMemoryUsage();
          m.record(heap.getCommitted() + nonHeap.getCommitted());
        });
  }

  /** VmRSS in bytes, or -1 where /proc is not available. */
  static long readRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String v = line.substring(6).trim();
          int sp = v.indexOf(' ');
          return Long.parseLong(sp < 0 ? v : v.substring(0, sp)) * 1024;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: no RSS metric
    }
    return -1;
  }
}
