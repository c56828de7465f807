package dev.otelcoljava.receiver.awscontainerinsight;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rates of cumulative counters between two collections, as upstream's float64 rate calculator:
 * the first value of a key gives no rate; later ones give {@code delta / elapsed-nanoseconds x
 * multiplier} when at least 50 microseconds passed and the counter did not go backwards (a reset
 * gives no rate and restarts from the new value). Keys not seen in a collection are forgotten at
 * its end, so vanished interfaces do not accumulate. Not thread-safe.
 */
final class Rates {
  static final long MIN_NANOS = 50_000;

  private record Prev(double value, long nanos) {}

  private final Map<String, Prev> prev = new HashMap<>();
  private final Set<String> seen = new HashSet<>();

  /** The rate, or null on the first sample of {@code key} or after a reset. */
  Double rate(String key, double value, long monoNanos, double multiplier) {
    seen.add(key);
    Prev p = prev.put(key, new Prev(value, monoNanos));
    if (p == null) {
      return null;
    }
    long dt = monoNanos - p.nanos;
    double dv = value - p.value;
    if (dt > MIN_NANOS && dv >= 0) {
      return dv / dt * multiplier;
    }
    return null;
  }

  /** Ends a collection: forgets keys not seen since the last call. */
  void endCollection() {
    prev.keySet().retainAll(seen);
    seen.clear();
  }

  int size() {
    return prev.size();
  }
}
