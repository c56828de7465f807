package dev.otelcoljava.processor.memorylimiter;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;

/**
 * The {@code memory_limiter} processor config, as otelcol core reads and validates it.
 *
 * @param checkInterval how often memory is measured; must be set (> 0), 1s is recommended
 * @param limitMib hard limit in MiB; wins over {@code limit_percentage}
 * @param spikeLimitMib headroom below the hard limit; soft limit = limit - spike; default 20% of limit
 * @param limitPercentage hard limit as a percentage of total (container) memory
 * @param spikeLimitPercentage spike as a percentage of total memory
 */
public record MemoryLimiterConfig(Duration checkInterval, long limitMib, long spikeLimitMib, int limitPercentage,
    int spikeLimitPercentage, Duration minGcIntervalWhenSoftLimited, Duration minGcIntervalWhenHardLimited) {

  static MemoryLimiterConfig defaults() {
    return new MemoryLimiterConfig(Duration.ZERO, 0, 0, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
  }

  static MemoryLimiterConfig read(ConfigNode node) {
    MemoryLimiterConfig d = defaults();
    MemoryLimiterConfig c = new MemoryLimiterConfig(
        node.duration("check_interval", d.checkInterval()),
        node.longValue("limit_mib", 0),
        node.longValue("spike_limit_mib", 0),
        node.integer("limit_percentage", 0),
        node.integer("spike_limit_percentage", 0),
        node.duration("min_gc_interval_when_soft_limited", d.minGcIntervalWhenSoftLimited()),
        node.duration("min_gc_interval_when_hard_limited", d.minGcIntervalWhenHardLimited()));
    c.validate(node);
    return c;
  }

  void validate(ConfigNode node) {
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      node.error("'check_interval' must be greater than zero");
    }
    if (limitMib <= 0 && limitPercentage <= 0) {
      node.error("'limit_mib' or 'limit_percentage' must be greater than zero");
    }
    if (limitPercentage > 100 || spikeLimitPercentage > 100 || limitPercentage < 0 || spikeLimitPercentage < 0) {
      node.error("'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred");
    }
    if (minGcIntervalWhenSoftLimited.compareTo(minGcIntervalWhenHardLimited) < 0) {
      node.error("'min_gc_interval_when_soft_limited' should be larger than 'min_gc_interval_when_hard_limited'");
    }
    if (limitMib > 0 && spikeLimitMib >= limitMib) {
      node.error("'spike_limit_mib' must be smaller than 'limit_mib'");
    }
    if (limitMib <= 0 && limitPercentage > 0 && spikeLimitPercentage >= limitPercentage) {
      node.error("'spike_limit_percentage' must be smaller than 'limit_percentage'");
    }
  }
}
