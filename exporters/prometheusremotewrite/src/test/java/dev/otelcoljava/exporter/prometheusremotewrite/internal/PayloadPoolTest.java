package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadPoolTest {
  static final int MB = 1 << 20;

  @Test
  void budgetFor_anEighthOfASmallHeap_aSixteenthOfALargeOne_andABudgetOfZeroKeepsNothing() {
    // The 96 MiB sidecar's 32 MiB heap keeps one payload of its 8,300-sample target (3.8 MB).
    assertThat(PayloadPool.budgetFor(32L * MB)).isEqualTo(4L * MB);
    assertThat(PayloadPool.budgetFor(256L * MB)).isEqualTo(32L * MB);
    assertThat(PayloadPool.budgetFor(1024L * MB - 1)).isEqualTo(64L * MB);
    assertThat(PayloadPool.budgetFor(1024L * MB)).isEqualTo(64L * MB);
    assertThat(PayloadPool.budgetFor(6L << 30)).isEqualTo(128L * MB);
    PayloadPool sidecar = new PayloadPool(PayloadPool.budgetFor(32L * MB));
    byte[] payload = sidecar.take(3_800_000);
    sidecar.give(payload);
    assertThat(sidecar.take(3_700_000)).isSameAs(payload);

    PayloadPool off = new PayloadPool(0);
    byte[] a = off.take(3 * MB);
    assertThat(a).hasSize(3 * MB); // exact: nothing is kept, so no room is added either
    off.give(a);
    assertThat(off.heldBytes()).isZero();
    assertThat(off.take(3 * MB)).isNotSameAs(a);
  }

  @Test
  void take_reusesAGivenArrayThatFits_withinHalfAgainTheSize() {
    PayloadPool pool = new PayloadPool(64L * MB);
    byte[] a = pool.take(4 * MB);
    assertThat(a.length).isGreaterThanOrEqualTo(4 * MB);
    pool.give(a);
    assertThat(pool.heldBytes()).isEqualTo(a.length);
    assertThat(pool.take(4 * MB - 1000)).isSameAs(a);
    assertThat(pool.heldBytes()).isZero();

    pool.give(a);
    // Too small a request for it (it would waste more than half), too large a one: new arrays.
    assertThat(pool.take(2 * MB)).isNotSameAs(a);
    assertThat(pool.take(5 * MB)).isNotSameAs(a);
    assertThat(pool.take(3 * MB)).isSameAs(a);
  }

  @Test
  void take_picksTheSmallestFit_andSmallRequestsAreNeverPooled() {
    PayloadPool pool = new PayloadPool(64L * MB);
    byte[] big = new byte[6 * MB];
    byte[] mid = new byte[5 * MB];
    pool.give(big);
    pool.give(mid);
    assertThat(pool.take(4 * MB)).isSameAs(mid);
    assertThat(pool.take(4 * MB)).isSameAs(big);

    pool.give(new byte[MB / 2]); // below MIN_BYTES: not kept
    assertThat(pool.heldBytes()).isZero();
    byte[] small = pool.take(1000);
    assertThat(small).hasSize(1000);
  }

  @Test
  void give_keepsWithinTheBudget_droppingTheOldest() {
    PayloadPool pool = new PayloadPool(10L * MB);
    byte[] a = new byte[4 * MB];
    byte[] b = new byte[4 * MB];
    byte[] c = new byte[4 * MB];
    pool.give(a);
    pool.give(b);
    pool.give(c); // 12 MB > 10: a goes
    assertThat(pool.heldBytes()).isEqualTo(8L * MB);
    assertThat(pool.take(4 * MB)).isIn(b, c);
    assertThat(pool.take(4 * MB)).isIn(b, c);
    assertThat(pool.take(4 * MB)).isNotIn(a, b, c);
    pool.give(new byte[11 * MB]); // larger than the whole budget
    assertThat(pool.heldBytes()).isZero();
  }

  @Test
  void arraysUnusedForAWholeWindow_areLetGo_theOnesInUseStay() {
    long[] now = {0};
    PayloadPool pool = new PayloadPool(64L * MB, () -> now[0]);
    long window = PayloadPool.TRIM_WINDOW_NANOS;
    // A burst: five batches in flight at once, all given back.
    byte[][] burst = new byte[5][];
    for (int i = 0; i < 5; i++) {
      burst[i] = pool.take(4 * MB);
    }
    for (byte[] a : burst) {
      pool.give(a);
    }
    assertThat(pool.heldBytes()).isEqualTo(5L * burst[0].length);

    // Steady state afterwards: one batch at a time, for two windows.
    for (long t = 1; t <= 2 * window + 1; t += window / 10) {
      now[0] = t;
      pool.give(pool.take(4 * MB));
    }
    // The first window began with an empty pool, so nothing went at its end; in the second, four
    // arrays were never taken: they went at its end, the one in use stayed.
    assertThat(pool.heldBytes()).isEqualTo(burst[0].length);

    // A pool in steady use keeps what it uses.
    for (long t = 2 * window + 1 + window / 10; t <= 5 * window + 1; t += window / 10) {
      now[0] = t;
      byte[] x = pool.take(4 * MB);
      byte[] y = pool.take(4 * MB);
      pool.give(x);
      pool.give(y);
    }
    assertThat(pool.heldBytes()).isEqualTo(2L * burst[0].length);

    // Idle for more than a whole window: at the next use all of it goes, and the request gets a new array.
    now[0] = 10 * window;
    byte[] z = pool.take(4 * MB);
    assertThat(pool.heldBytes()).isZero();
    assertThat(java.util.Arrays.stream(burst).noneMatch(b -> b == z)).as("a new array").isTrue();
    assertThat(z.length).isEqualTo(burst[0].length);
  }
}
