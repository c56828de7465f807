package dev.otelcoljava.exporter.awsemf;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Previous values of cumulative series, for the in-exporter cumulative-to-delta conversion
 * contrib's awsemf does: the first value of a series is stored and not sent; later values send
 * the difference; entries idle for 5 minutes are forgotten (so a series that comes back starts
 * again with a first value). Keys carry the metric name, namespace, log group and stream and the
 * labels. Guarded by the exporter's lock.
 */
final class DeltaCache {
  static final long EXPIRY_NANOS = 5L * 60 * 1_000_000_000L;

  private static final class Entry {
    double value;
    long count;
    long touchedNanos;
  }

  private final Map<Object, Entry> entries = new HashMap<>();
  private long lastSweepNanos;

  /** The delta to the previous value, or NaN for the first value of a series (then stored). */
  double delta(Object key, double value, long nowNanos) {
    Entry e = entries.get(key);
    if (e == null || nowNanos - e.touchedNanos > EXPIRY_NANOS) {
      e = new Entry();
      e.value = value;
      e.touchedNanos = nowNanos;
      entries.put(key, e);
      return Double.NaN;
    }
    double d = value - e.value;
    e.value = value;
    e.touchedNanos = nowNanos;
    return d;
  }

  /**
   * Summary sum and count deltas into {@code out} ({sum, count}); false for the first value of a
   * series (then stored).
   */
  boolean summaryDelta(Object key, double sum, long count, long nowNanos, double[] out) {
    Entry e = entries.get(key);
    if (e == null || nowNanos - e.touchedNanos > EXPIRY_NANOS) {
      e = new Entry();
      e.value = sum;
      e.count = count;
      e.touchedNanos = nowNanos;
      entries.put(key, e);
      return false;
    }
    out[0] = sum - e.value;
    out[1] = count - e.count;
    e.value = sum;
    e.count = count;
    e.touchedNanos = nowNanos;
    return true;
  }

  /** Drops entries idle longer than the expiry; cheap to call often (sweeps at most once a minute). */
  void sweep(long nowNanos) {
    if (nowNanos - lastSweepNanos < 60_000_000_000L) {
      return;
    }
    lastSweepNanos = nowNanos;
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      if (nowNanos - it.next().touchedNanos > EXPIRY_NANOS) {
        it.remove();
      }
    }
  }

  int size() {
    return entries.size();
  }
}
