package dev.otelcoljava.processor.cumulativetodelta;

import dev.otelcoljava.processor.internal.NameMatcher;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Converts cumulative monotonic sums and cumulative (exponential) histograms to delta, keeping one
 * state per stream. Thread-safe: batches are converted one at a time under a lock, because the
 * deltas depend on the order of points.
 */
final class CumulativeToDeltaProcessor implements Processor {
  /** Upper bound on tracked streams; beyond it new streams are dropped and logged. */
  static final int MAX_STREAMS = 1_000_000;

  private record Key(Attributes resource, String scopeName, String scopeVersion, String name, String unit,
      MetricType type, boolean isDouble, boolean monotonic, Attributes attrs, long start) {}

  private static final class State {
    long lastTime;
    long lastSeenNanos;
    double dvalue;
    long lvalue;
    long count;
    double sum;
    double[] bounds;
    long[] buckets;
    int scale;
    double zeroThreshold;
    long zeroCount;
    int posOffset;
    long[] pos;
    int negOffset;
    long[] neg;
  }

  private final CumulativeToDeltaConfig config;
  private final MetricsConsumer next;
  private final RateLimitedLogger logger;
  private final LongSupplier clock;
  private final long startTimeNanos;
  private final NameMatcher includeNames;
  private final NameMatcher excludeNames;
  private final Map<Key, State> states = new HashMap<>();
  private long lastSweep;
  /** The current resource's attributes, copied once when it starts a new stream; guarded by {@code states}. */
  private Attributes resourceCopy;

  CumulativeToDeltaProcessor(CumulativeToDeltaConfig config, System.Logger logger, MetricsConsumer next, LongSupplier clockNanos) {
    this.config = config;
    this.next = next;
    this.logger = new RateLimitedLogger(logger, Duration.ofMinutes(1));
    this.clock = clockNanos;
    this.startTimeNanos = clockNanos.getAsLong();
    this.lastSweep = startTimeNanos;
    this.includeNames = matcher(config.include());
    this.excludeNames = matcher(config.exclude());
  }

  private static NameMatcher matcher(CumulativeToDeltaConfig.Match m) {
    if (m.metrics().isEmpty()) {
      return null;
    }
    return m.matchType().equals("regexp") ? NameMatcher.regexp(m.metrics(), e -> {}) : NameMatcher.strict(m.metrics());
  }

  @Override
  public boolean mutatesData() {
    return true;
  }

  @Override
  public void consume(MetricsBatch batch) throws ConsumerException {
    synchronized (states) {
      process(batch);
    }
    next.consume(batch);
  }

  /** Tracked streams (tests). */
  int streamCount() {
    synchronized (states) {
      return states.size();
    }
  }

  private static String typeName(MetricType t) {
    return switch (t) {
      case SUM -> "sum";
      case HISTOGRAM -> "histogram";
      case EXPONENTIAL_HISTOGRAM -> "exponentialhistogram";
      default -> "";
    };
  }

  private boolean shouldConvert(Metric m) {
    boolean eligible = switch (m.type()) {
      case SUM -> m.temporality() == Temporality.CUMULATIVE && m.monotonic();
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> m.temporality() == Temporality.CUMULATIVE;
      default -> false;
    };
    if (!eligible) {
      return false;
    }
    String t = typeName(m.type());
    if (includeNames != null && !includeNames.matches(m.name())) {
      return false;
    }
    if (!config.include().metricTypes().isEmpty() && !config.include().metricTypes().contains(t)) {
      return false;
    }
    if (excludeNames != null && excludeNames.matches(m.name())) {
      return false;
    }
    return config.exclude().metricTypes().isEmpty() || !config.exclude().metricTypes().contains(t);
  }

  void process(MetricsBatch batch) {
    long now = clock.getAsLong();
    sweep(now);
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      resourceCopy = null;
      for (ScopeMetrics sm : rm.scopeMetrics()) {
        Iterator<Metric> it = sm.metrics().iterator();
        while (it.hasNext()) {
          Metric m = it.next();
          if (!shouldConvert(m)) {
            continue;
          }
          Iterator<DataPoint> pi = m.points().iterator();
          while (pi.hasNext()) {
            DataPoint p = pi.next();
            if (!convert(rm.resource(), sm, m, p, now)) {
              pi.remove();
            }
          }
          m.setTemporality(Temporality.DELTA);
          if (m.points().isEmpty()) {
            it.remove();
          }
        }
      }
    }
  }

  private void sweep(long now) {
    long staleness = config.maxStaleness().toNanos();
    if (staleness <= 0 || now - lastSweep < Math.min(staleness, Duration.ofMinutes(1).toNanos()) / 2) {
      return;
    }
    lastSweep = now;
    states.values().removeIf(s -> now - s.lastSeenNanos > staleness);
  }

  /** Converts one point in place; false when it must be dropped. */
  private boolean convert(Attributes resource, ScopeMetrics sm, Metric m, DataPoint p, long now) {
    boolean isDouble = p instanceof NumberPoint n && n.isDouble();
    if (isDouble && Double.isNaN(((NumberPoint) p).doubleValue())) {
      return false; // staleness NaN: dropped, not tracked
    }
    if (p.noRecordedValue()) {
      return false;
    }
    Key probe = new Key(resource, sm.name(), sm.version(), m.name(), m.unit(), m.type(), isDouble, m.monotonic(),
        p.attributes(), p.startTimeNanos());
    State s = states.get(probe);
    if (s == null) {
      if (states.size() >= MAX_STREAMS) {
        logger.log(System.Logger.Level.WARNING, "limit", "cumulativetodelta is tracking " + MAX_STREAMS
            + " streams; dropping points of new streams until old ones expire (max_staleness)");
        return false;
      }
      s = new State();
      remember(s, p);
      s.lastSeenNanos = now;
      if (resourceCopy == null) {
        resourceCopy = resource.copy(); // one copy per resource and batch, shared by its new streams
      }
      states.put(new Key(resourceCopy, sm.name(), sm.version(), m.name(), m.unit(), m.type(), isDouble, m.monotonic(),
          p.attributes().copy(), p.startTimeNanos()), s);
      return switch (config.initialValue()) {
        case "keep" -> firstAsDelta(p);
        case "drop" -> false;
        default -> p.startTimeNanos() != 0 && p.startTimeNanos() >= startTimeNanos && p.startTimeNanos() != p.timeNanos()
            && firstAsDelta(p);
      };
    }
    s.lastSeenNanos = now;
    long prevTime = s.lastTime;
    if (p instanceof NumberPoint n) {
      boolean valid;
      if (n.isDouble()) {
        double v = n.doubleValue();
        valid = !(v < s.dvalue);
        n.setDoubleValue(v - s.dvalue);
        s.dvalue = v;
      } else {
        long v = n.longValue();
        valid = v >= s.lvalue;
        n.setLongValue(v - s.lvalue);
        s.lvalue = v;
      }
      s.lastTime = p.timeNanos();
      p.setStartTimeNanos(prevTime);
      return valid;
    }
    if (p instanceof HistogramPoint h) {
      return histogram(h, s, m, prevTime);
    }
    if (p instanceof ExponentialHistogramPoint e) {
      return exponential(e, s, m, prevTime);
    }
    return false;
  }

  private static boolean firstAsDelta(DataPoint p) {
    if (p instanceof HistogramPoint h) {
      h.clearMin();
      h.clearMax();
    }
    return true;
  }

  private static void remember(State s, DataPoint p) {
    s.lastTime = p.timeNanos();
    if (p instanceof NumberPoint n) {
      if (n.isDouble()) {
        s.dvalue = n.doubleValue();
      } else {
        s.lvalue = n.longValue();
      }
    } else if (p instanceof HistogramPoint h) {
      s.count = h.count();
      s.sum = h.sum();
      s.bounds = h.bounds().clone();
      s.buckets = h.bucketCounts().clone();
    } else if (p instanceof ExponentialHistogramPoint e) {
      s.count = e.count();
      s.sum = e.sum();
      s.scale = e.scale();
      s.zeroThreshold = e.zeroThreshold();
      s.zeroCount = e.zeroCount();
      s.posOffset = e.positiveOffset();
      s.pos = e.positiveCounts().clone();
      s.negOffset = e.negativeOffset();
      s.neg = e.negativeCounts().clone();
    }
  }

  private boolean histogram(HistogramPoint h, State s, Metric m, long prevTime) {
    if (!Arrays.equals(h.bounds(), s.bounds) || h.bucketCounts().length != s.buckets.length) {
      logger.log(System.Logger.Level.WARNING, "bounds:" + m.name(), "histogram " + m.name()
          + " changed its bucket bounds; dropping the point and restarting the stream");
      remember(s, h);
      return false;
    }
    double sum = Double.isNaN(h.sum()) ? s.sum : h.sum();
    if (h.count() < s.count) {
      return false; // reset: dropped without updating the baseline, as contrib does (#50828)
    }
    long[] cur = h.bucketCounts();
    long[] delta = new long[cur.length];
    for (int i = 0; i < cur.length; i++) {
      if (cur[i] < s.buckets[i]) {
        return false;
      }
      delta[i] = cur[i] - s.buckets[i];
    }
    long count = h.count();
    h.setCount(count - s.count);
    if (h.hasSum() || !Double.isNaN(sum)) {
      h.setSum(sum - s.sum);
    }
    h.setBucketCounts(delta);
    h.clearMin();
    h.clearMax();
    s.count = count;
    s.sum = sum;
    s.buckets = cur;
    s.lastTime = h.timeNanos();
    h.setStartTimeNanos(prevTime);
    return true;
  }

  private boolean exponential(ExponentialHistogramPoint e, State s, Metric m, long prevTime) {
    if (e.count() < s.count || e.zeroThreshold() > s.zeroThreshold || e.scale() > s.scale || e.zeroCount() < s.zeroCount) {
      remember(s, e);
      return false; // reset
    }
    if (e.scale() != s.scale || e.zeroThreshold() != s.zeroThreshold) {
      logger.log(System.Logger.Level.WARNING, "exp:" + m.name(), "exponential histogram " + m.name()
          + " changed scale or zero threshold; dropping the point and restarting the stream");
      remember(s, e);
      return false;
    }
    long[] pos = subtract(e.positiveOffset(), e.positiveCounts(), s.posOffset, s.pos);
    long[] neg = subtract(e.negativeOffset(), e.negativeCounts(), s.negOffset, s.neg);
    if (pos == null || neg == null) {
      remember(s, e);
      return false;
    }
    double sum = Double.isNaN(e.sum()) ? s.sum : e.sum();
    long count = e.count();
    long zero = e.zeroCount();
    int posOffset = e.positiveOffset();
    int negOffset = e.negativeOffset();
    long[] curPos = e.positiveCounts().clone();
    long[] curNeg = e.negativeCounts().clone();
    e.setCount(count - s.count);
    e.setSum(sum - s.sum);
    e.setZeroCount(zero - s.zeroCount);
    e.setPositive(posOffset, pos);
    e.setNegative(negOffset, neg);
    s.count = count;
    s.sum = sum;
    s.zeroCount = zero;
    s.posOffset = posOffset;
    s.pos = curPos;
    s.negOffset = negOffset;
    s.neg = curNeg;
    s.lastTime = e.timeNanos();
    e.setStartTimeNanos(prevTime);
    return true;
  }

  /** Current minus previous buckets aligned by absolute index; null if any bucket decreased. */
  private static long[] subtract(int offset, long[] cur, int prevOffset, long[] prev) {
    long[] out = new long[cur.length];
    for (int i = 0; i < cur.length; i++) {
      int j = offset + i - prevOffset;
      long before = j >= 0 && j < prev.length ? prev[j] : 0;
      if (cur[i] < before) {
        return null;
      }
      out[i] = cur[i] - before;
    }
    for (int j = 0; j < prev.length; j++) {
      int i = prevOffset + j - offset;
      if ((i < 0 || i >= cur.length) && prev[j] > 0) {
        return null; // a populated bucket disappeared
      }
    }
    return out;
  }
}
