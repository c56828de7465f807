package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Large encoded-payload arrays, reused from batch to batch. A batch's payload is one array as
 * large as its encoded series (18 MB for one of peer-bench's cluster targets of 41,500 samples):
 * under G1 every such array is a humongous allocation, which goes straight into the old generation
 * and made G1 start a concurrent marking cycle nearly every time, two a second at 20 targets every
 * 10 s (a fifth of the process's CPU was marking). Arrays come back once no shard chunk indexes
 * them any more ({@link Sharder#recyclePayloads}).
 *
 * <p>Small heaps (Serial GC) keep them too: in the 96 MiB ECS sidecar (32 MiB heap, one target of
 * 8,300 samples every 5 s) a new 3.6 MB payload each scrape outlived a young collection, was
 * promoted, and filled the old generation: 4-5 full collections a minute, against 1 with the
 * array kept (the GC thread's CPU 0.12-0.16 -> 0.06-0.07 s a minute). The heap is fully committed
 * there either way, so keeping it costs no memory.
 *
 * <p>Only arrays of at least {@link #MIN_BYTES} are kept, and at most {@code budget} bytes of them;
 * a budget of 0 turns the pool off. Arrays that sat unused for a whole {@link #TRIM_WINDOW_NANOS} are
 * let go: a burst (a slow sink backing batches up) fills the pool, and without the trim its
 * arrays, up to 128 MiB, stayed live in the old generation for good. Thread-safe.
 */
public final class PayloadPool {
  /** Smaller arrays are cheap to allocate (thread-local allocation, young generation). */
  public static final int MIN_BYTES = 1 << 20;
  private static final int MAX_ARRAYS = 8;
  /**
   * Heaps from this size on get the shards' longer-kept buffers ({@link Sharder#IDLE_RELEASE_NANOS})
   * and a pool of 1/16 of the heap: the launcher gives smaller ones Serial GC, where large arrays
   * are not humongous and every byte kept between scrapes counts.
   */
  static final long LARGE_HEAP_BYTES = 1L << 30;

  /**
   * How long an array may go unused before it is let go: three scrapes at the usual 10 s interval,
   * so the arrays one round of targets needs stay.
   */
  static final long TRIM_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final long budget;
  private final LongSupplier nanoClock;
  private final ArrayList<byte[]> arrays = new ArrayList<>(); // guarded by this; oldest first
  private long held; // guarded by this
  private long windowStart; // guarded by this
  /** The fewest arrays kept at any moment since windowStart: that many were not needed in it. */
  private int lowWater; // guarded by this

  public PayloadPool(long budget) {
    this(budget, System::nanoTime);
  }

  PayloadPool(long budget, LongSupplier nanoClock) {
    this.budget = Math.max(0, budget);
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  /**
   * The budget for a heap of {@code maxHeap} bytes: below 1 GiB 1/8 of it (at most 64 MiB), so
   * that a small heap keeps one target's payload; from 1 GiB 1/16 of it, at most 128 MiB.
   */
  public static long budgetFor(long maxHeap) {
    return maxHeap < LARGE_HEAP_BYTES ? Math.min(64L << 20, maxHeap / 8) : Math.min(128L << 20, maxHeap / 16);
  }

  /**
   * An array of at least {@code n} bytes (contents undefined): a kept one no more than 1.5 times
   * as large, else a new one with 1/16 of room to spare (the next batch of a target is rarely
   * smaller by more than that, or larger).
   */
  public byte[] take(int n) {
    if (budget > 0 && n >= MIN_BYTES) {
      synchronized (this) {
        trimIfDue();
        int best = -1;
        for (int i = 0; i < arrays.size(); i++) {
          int len = arrays.get(i).length;
          if (len >= n && len - n <= n / 2 && (best < 0 || len < arrays.get(best).length)) {
            best = i;
          }
        }
        if (best >= 0) {
          byte[] a = arrays.remove(best);
          held -= a.length;
          lowWater = Math.min(lowWater, arrays.size());
          return a;
        }
      }
      return new byte[(int) Math.min(Integer.MAX_VALUE - 16, n + (long) n / 16)];
    }
    return new byte[n];
  }

  /** Gives an array back: kept if large enough and within the budget (the oldest make room). */
  public void give(byte[] a) {
    if (budget == 0 || a == null || a.length < MIN_BYTES || a.length > budget) {
      return;
    }
    synchronized (this) {
      trimIfDue();
      while (!arrays.isEmpty() && (held + a.length > budget || arrays.size() >= MAX_ARRAYS)) {
        held -= arrays.remove(0).length;
      }
      lowWater = Math.min(lowWater, arrays.size());
      arrays.add(a);
      held += a.length;
    }
  }

  /**
   * At the end of each window, lets go of as many arrays (the oldest given back) as were never
   * taken during it; after a whole window without any use, of all of them. A pool that nobody uses
   * any more is trimmed at its next use.
   */
  private void trimIfDue() {
    long now = nanoClock.getAsLong();
    if (now - windowStart < TRIM_WINDOW_NANOS) {
      return;
    }
    int unused = now - windowStart >= 2 * TRIM_WINDOW_NANOS ? arrays.size() : lowWater;
    for (int i = 0; i < unused && !arrays.isEmpty(); i++) {
      held -= arrays.remove(0).length;
    }
    windowStart = now;
    lowWater = arrays.size();
  }

  /** Bytes kept (for tests and the retained-heap accounting). */
  public synchronized long heldBytes() {
    return held;
  }
}
