package dev.otelcoljava.exporter.debug;

import java.util.function.LongSupplier;

/**
 * zap's sampler, per exporter: in each one-second tick the first {@code initial} batches pass, then
 * every {@code thereafter}-th (0: none). The counter starts again at every tick. Thread-safe.
 */
final class Sampler {
  private static final long TICK_NANOS = 1_000_000_000L;
  private final int initial;
  private final int thereafter;
  private final LongSupplier nanoTime;
  private long tickEnd;
  private long count;
  private boolean started;

  Sampler(int initial, int thereafter, LongSupplier nanoTime) {
    this.initial = initial;
    this.thereafter = thereafter;
    this.nanoTime = nanoTime;
  }

  /** Counts one entry and says whether it is to be written. */
  synchronized boolean allow() {
    long now = nanoTime.getAsLong();
    if (!started || now - tickEnd >= 0) {
      started = true;
      tickEnd = now + TICK_NANOS;
      count = 0;
    }
    long n = ++count;
    if (n <= initial) {
      return true;
    }
    return thereafter > 0 && (n - initial) % thereafter == 0;
  }
}
