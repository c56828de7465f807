/**
 * The {@code memory_limiter} processor: while memory is above the soft limit ({@code limit} minus
 * {@code spike}, spike defaulting to 20% of the limit) every batch is refused with the retryable
 * (non-permanent) error {@code data refused due to high memory usage}, and a GC is forced (at most
 * every {@code min_gc_interval_when_soft_limited}, 10s; above the hard limit every {@code
 * min_gc_interval_when_hard_limited}, 0). It recovers at the first check below the soft limit.
 *
 * <p><b>What "memory" means on the JVM.</b> The Go collector compares the Go runtime's heap
 * allocation with the limits. Here the measured value is the JVM heap in use ({@code
 * MemoryMXBean.getHeapMemoryUsage().getUsed()}), sampled every {@code check_interval}; it includes
 * garbage not yet collected, which is why a GC is forced before refusing; while that GC is
 * throttled, a reading between the soft and the hard limit refuses only if the last forced GC left
 * memory above the soft limit (Serial GC fills the old generation with promoted garbage, which Go's
 * heap reading does not carry). Metaspace, thread stacks
 * and direct buffers are not counted: size {@code limit_mib} against {@code -Xmx} (a limit above
 * {@code -Xmx} can never trigger), and leave the rest of the container for the non-heap memory.
 * {@code limit_percentage} is a percentage of total memory as the JVM sees it (the container's
 * cgroup limit when there is one, else physical RAM). Self-metrics: {@code
 * otelcol_processor_memory_limiter_accepted_metric_points} and {@code ..._refused_metric_points}
 * (attribute {@code processor}).
 */
package dev.otelcoljava.processor.memorylimiter;
