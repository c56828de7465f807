package dev.otelcoljava.receiver.awsecscontainermetrics;

/**
 * The values of one container or of the whole task, as the contrib receiver accumulates them.
 * Counters are unsigned 64-bit upstream; here they are non-negative longs that saturate at {@link
 * Long#MAX_VALUE} (e.g. a cgroup v2 "no limit" of 2^64-1) instead of wrapping to negative values.
 */
final class EcsMetrics {
  long memoryUsage;
  long memoryMaxUsage;
  long memoryLimit;
  long memoryReserved;
  long memoryUtilized;

  long cpuTotalUsage;
  long cpuUsageInKernelmode;
  long cpuUsageInUserMode;
  long numOfCpuCores;
  long cpuOnlineCpus;
  long systemCpuUsage;
  double cpuReserved;
  double cpuUsageInVcpu;
  double cpuUtilized;

  double networkRateRxBytesPerSecond;
  double networkRateTxBytesPerSecond;

  long networkRxBytes;
  long networkRxPackets;
  long networkRxErrors;
  long networkRxDropped;
  long networkTxBytes;
  long networkTxPackets;
  long networkTxErrors;
  long networkTxDropped;

  long storageReadBytes;
  long storageWriteBytes;

  /** Adds a container's values to this task total, as contrib's aggregateTaskMetrics does. */
  void add(EcsMetrics c) {
    memoryUsage = sadd(memoryUsage, c.memoryUsage);
    memoryMaxUsage = sadd(memoryMaxUsage, c.memoryMaxUsage);
    memoryLimit = sadd(memoryLimit, c.memoryLimit);
    memoryReserved = sadd(memoryReserved, c.memoryReserved);
    memoryUtilized = sadd(memoryUtilized, c.memoryUtilized);

    cpuTotalUsage = sadd(cpuTotalUsage, c.cpuTotalUsage);
    cpuUsageInKernelmode = sadd(cpuUsageInKernelmode, c.cpuUsageInKernelmode);
    cpuUsageInUserMode = sadd(cpuUsageInUserMode, c.cpuUsageInUserMode);
    numOfCpuCores = sadd(numOfCpuCores, c.numOfCpuCores);
    cpuOnlineCpus = sadd(cpuOnlineCpus, c.cpuOnlineCpus);
    systemCpuUsage = sadd(systemCpuUsage, c.systemCpuUsage);
    cpuReserved += c.cpuReserved;
    cpuUsageInVcpu += c.cpuUsageInVcpu;
    cpuUtilized += c.cpuUtilized;

    networkRateRxBytesPerSecond += c.networkRateRxBytesPerSecond;
    networkRateTxBytesPerSecond += c.networkRateTxBytesPerSecond;

    networkRxBytes = sadd(networkRxBytes, c.networkRxBytes);
    networkRxPackets = sadd(networkRxPackets, c.networkRxPackets);
    networkRxErrors = sadd(networkRxErrors, c.networkRxErrors);
    networkRxDropped = sadd(networkRxDropped, c.networkRxDropped);
    networkTxBytes = sadd(networkTxBytes, c.networkTxBytes);
    networkTxPackets = sadd(networkTxPackets, c.networkTxPackets);
    networkTxErrors = sadd(networkTxErrors, c.networkTxErrors);
    networkTxDropped = sadd(networkTxDropped, c.networkTxDropped);

    storageReadBytes = sadd(storageReadBytes, c.storageReadBytes);
    storageWriteBytes = sadd(storageWriteBytes, c.storageWriteBytes);
  }

  /** Adds two non-negative values, saturating at {@link Long#MAX_VALUE}. */
  static long sadd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }
}
