package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.ArrayList;

/**
 * Large encoded-payload arrays, reused from batch to batch. A batch's payload is one array as
 * large as its encoded series (18 MB for one of peer-bench's cluster targets of 41,500 samples):
 * under G1 every such array is a humongous allocation, which goes straight into the old generation
 * and made G1 start a concurrent marking cycle nearly every time, two a second at 20 targets every
 * 10 s (a fifth of the process's CPU was marking). Arrays come back once no shard chunk indexes
 * them any more ({@link Sharder#recyclePayloads}).
 *
 * <p>Only arrays of at least {@link #MIN_BYTES} are kept, and at most {@code budget} bytes of them;
 * a budget of 0 (small heaps, where the collector is not G1 and every byte kept between scrapes
 * counts) turns the pool off. Thread-safe.
 */
public final class PayloadPool {
  /** Smaller arrays are cheap to allocate (thread-local allocation, young generation). */
  public static final int MIN_BYTES = 1 << 20;
  private static final int MAX_ARRAYS = 8;
  /**
   * Heaps from this size on get the pool and the shards' longer-kept buffers ({@link
   * Sharder#IDLE_RELEASE_NANOS}): the launcher gives smaller ones Serial GC, where large arrays are
   * not humongous and every byte kept between scrapes counts.
   */
  static final long LARGE_HEAP_BYTES = 1L << 30;

  private final long budget;
  private final ArrayList<byte[]> arrays = new ArrayList<>(); // guarded by this
  private long held; // guarded by this

  public PayloadPool(long budget) {
    this.budget = Math.max(0, budget);
  }

  /** The budget for a heap of {@code maxHeap} bytes: none below 1 GiB, else 1/16 of it, at most 128 MiB. */
  public static long budgetFor(long maxHeap) {
    return maxHeap < LARGE_HEAP_BYTES ? 0 : Math.min(128L << 20, maxHeap / 16);
  }

  /**
   * An array of at least {@code n} bytes (contents undefined): a kept one no more than 1.5 times
   * as large, else a new one with 1/16 of room to spare (the next batch of a target is rarely
   * smaller by more than that, or larger).
   */
  public byte[] take(int n) {
    if (budget > 0 && n >= MIN_BYTES) {
      synchronized (this) {
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
      while (!arrays.isEmpty() && (held + a.length > budget || arrays.size() >= MAX_ARRAYS)) {
        held -= arrays.remove(0).length;
      }
      arrays.add(a);
      held += a.length;
    }
  }

  /** Bytes kept (for tests and the retained-heap accounting). */
  public synchronized long heldBytes() {
    return held;
  }
}
