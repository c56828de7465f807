package dev.otelcoljava.receiver.prometheus.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The first-scrape and grid arithmetic of {@link ScrapeLoop}, as pure functions. */
class ScrapeTimingTest {
  static final ScrapeOptions EARLY = new ScrapeOptions(true, Duration.ZERO, false);
  static final long NOW = 1_765_000_000_123L; // a wall-clock millisecond in 2025

  @Test
  void earlyDelay_isWithinMinOfIntervalAndOneSecond_andIsTheScaledHashedOffset() {
    SplittableRandom r = new SplittableRandom(1);
    for (long interval : new long[] {100, 999, 1000, 5000, 30_000, 60_000, 3_600_000}) {
      long window = Math.min(interval, 1000);
      for (int i = 0; i < 2000; i++) {
        long hash = r.nextLong();
        long seed = r.nextLong();
        long d = ScrapeLoop.earlyDelay(interval, hash, seed);
        assertThat(d).isBetween(0L, window - 1);
        long offset = ScrapeLoop.hashedOffset(interval, hash, seed);
        assertThat(d).isEqualTo(offset * window / interval);
        // the early delay does not depend on when the loop starts
        assertThat(ScrapeLoop.firstScrapeDelay(NOW + i * 7919L, interval, hash, seed, EARLY)).isEqualTo(d);
      }
    }
    // below 1 s the window is the interval itself: the delay is the hashed offset
    assertThat(ScrapeLoop.earlyDelay(500, 42, 7)).isEqualTo(Long.remainderUnsigned(42 ^ 7, 500));
  }

  @Test
  void earlyDelay_spreadsTargetsStartedTogetherOverTheWindow() {
    SplittableRandom r = new SplittableRandom(2);
    long seed = r.nextLong();
    TreeSet<Long> delays = new TreeSet<>();
    int[] tenths = new int[10];
    for (int i = 0; i < 1000; i++) {
      // target hashes as TargetBuilder makes them: FNV over labels and URL
      long hash = TargetBuilder.hash(dev.otelcoljava.receiver.prometheus.labels.Labels.of(
          "instance", "10.0.0." + i + ":9100", "job", "node"), "http://10.0.0." + i + ":9100/metrics");
      long d = ScrapeLoop.earlyDelay(30_000, hash, seed);
      delays.add(d);
      tenths[(int) (d / 100)]++;
    }
    assertThat(delays.size()).isGreaterThan(500);
    for (int t : tenths) {
      assertThat(t).as("targets per 100 ms of the 1 s window").isBetween(50, 150);
    }
  }

  @Test
  void slotAfterEarly_isOnTheHashedGridAtLeastHalfAnIntervalLater() {
    SplittableRandom r = new SplittableRandom(3);
    for (long interval : new long[] {1000, 1001, 5000, 15_000, 30_000, 60_000}) {
      for (int i = 0; i < 2000; i++) {
        long hash = r.nextLong();
        long seed = r.nextLong();
        long start = NOW + r.nextLong(0, 10 * interval);
        long first = start + ScrapeLoop.firstScrapeDelay(start, interval, hash, seed, EARLY);
        long second = ScrapeLoop.slotAfterEarly(first, interval, hash, seed);
        long offset = ScrapeLoop.hashedOffset(interval, hash, seed);
        assertThat(Math.floorMod(second, interval)).as("on the grid").isEqualTo(offset);
        assertThat(2 * (second - first)).as("gap >= interval/2").isGreaterThanOrEqualTo(interval);
        assertThat(2 * (second - first)).as("gap < 1.5 intervals").isLessThan(3 * interval);
        // the earliest such slot: the grid slot before it is less than half an interval after the first scrape
        assertThat(2 * (second - interval - first)).isLessThan(interval);
        // and the loop's later slots stay on the same grid as Prometheus' (gate off) first slot
        long upstreamFirst = start + ScrapeLoop.initialDelay(start, interval, hash, seed);
        assertThat(Math.floorMod(second - upstreamFirst, interval)).isZero();
      }
    }
  }

  @Test
  void gridSlotAtOrAfter_returnsTheSlotItselfWhenOnIt() {
    long interval = 30_000;
    long offset = ScrapeLoop.hashedOffset(interval, 42, 7);
    long slot = NOW - Math.floorMod(NOW, interval) + offset;
    assertThat(ScrapeLoop.gridSlotAtOrAfter(slot, interval, 42, 7)).isEqualTo(slot);
    assertThat(ScrapeLoop.gridSlotAtOrAfter(slot + 1, interval, 42, 7)).isEqualTo(slot + interval);
    assertThat(ScrapeLoop.gridSlotAtOrAfter(slot - 1, interval, 42, 7)).isEqualTo(slot);
  }

  @Test
  void gateOff_givesTodaysPrometheusDelay() {
    SplittableRandom r = new SplittableRandom(4);
    ScrapeOptions off = new ScrapeOptions(false, Duration.ZERO, true);
    for (int i = 0; i < 2000; i++) {
      long interval = r.nextLong(1, 120_000);
      long hash = r.nextLong();
      long seed = r.nextLong();
      long now = NOW + r.nextLong(0, 1_000_000);
      long d = ScrapeLoop.firstScrapeDelay(now, interval, hash, seed, off);
      assertThat(d).isEqualTo(ScrapeLoop.initialDelay(now, interval, hash, seed));
      assertThat(ScrapeLoop.firstScrapeDelay(now, interval, hash, seed, ScrapeOptions.UPSTREAM)).isEqualTo(d);
      // Prometheus' Target.offset: the next slot of the grid, in (0, interval]
      assertThat(d).isBetween(1L, interval);
      assertThat(Math.floorMod(now + d, interval)).isEqualTo(Long.remainderUnsigned(hash ^ seed, interval));
    }
    assertThat(ScrapeLoop.early(off)).isFalse();
    assertThat(ScrapeLoop.early(ScrapeOptions.UPSTREAM)).isFalse();
    assertThat(ScrapeLoop.early(EARLY)).isTrue();
  }

  @Test
  void initialScrapeOffset_isAddedToTheHashedDelay_andDisablesTheEarlyScrape() {
    SplittableRandom r = new SplittableRandom(5);
    for (boolean gate : new boolean[] {true, false}) {
      ScrapeOptions o = new ScrapeOptions(gate, Duration.ofSeconds(5), false);
      assertThat(ScrapeLoop.early(o)).isFalse();
      for (int i = 0; i < 1000; i++) {
        long interval = r.nextLong(1, 120_000);
        long hash = r.nextLong();
        long seed = r.nextLong();
        long now = NOW + r.nextLong(0, 1_000_000);
        assertThat(ScrapeLoop.firstScrapeDelay(now, interval, hash, seed, o))
            .isEqualTo(5000 + ScrapeLoop.initialDelay(now, interval, hash, seed));
      }
    }
    assertThatThrownBy(() -> new ScrapeOptions(true, Duration.ofSeconds(-1), false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
