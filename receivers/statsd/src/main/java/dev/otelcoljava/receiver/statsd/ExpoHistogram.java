package dev.otelcoljava.receiver.statsd;

import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import java.util.Arrays;

/**
 * A base-2 exponential histogram as the OpenTelemetry spec (and go-expohisto, which
 * otelcol-contrib's statsd receiver uses) defines it: starts at scale 20 and halves its resolution
 * whenever the positive or negative buckets would span more than {@code maxSize} indexes. Bucket
 * {@code i} holds values in (2^(i/2^scale), 2^((i+1)/2^scale)]; zero goes to the zero count. Not
 * thread-safe.
 */
final class ExpoHistogram {
  static final int DEFAULT_MAX_SIZE = 160;
  static final int MAX_SCALE = 20;
  private static final long SIGNIFICAND_MASK = (1L << 52) - 1;

  /** One half (positive or negative): counts for indexes [start, start + n). */
  private static final class Buckets {
    long[] counts = new long[0];
    int start;
    int n;

    void add(int index, long incr) {
      if (n == 0) {
        counts = new long[8];
        start = index;
        n = 1;
        counts[0] = incr;
        return;
      }
      if (index < start) {
        int grow = start - index;
        long[] c = new long[Math.max(counts.length, n + grow)];
        System.arraycopy(counts, 0, c, grow, n);
        counts = c;
        start = index;
        n += grow;
      } else if (index >= start + n) {
        int newN = index - start + 1;
        if (newN > counts.length) {
          counts = Arrays.copyOf(counts, Math.max(newN, counts.length * 2));
        }
        n = newN;
      }
      counts[index - start] += incr;
    }

    void downscale(int change) {
      if (n == 0 || change == 0) {
        return;
      }
      int newStart = start >> change;
      int newEnd = (start + n - 1) >> change;
      long[] c = new long[newEnd - newStart + 1];
      for (int i = 0; i < n; i++) {
        c[((start + i) >> change) - newStart] += counts[i];
      }
      counts = c;
      start = newStart;
      n = c.length;
    }

    long[] toArray() {
      return Arrays.copyOf(counts, n);
    }
  }

  private final int maxSize;
  private final Buckets positive = new Buckets();
  private final Buckets negative = new Buckets();
  private int scale = MAX_SCALE;
  private long count;
  private long zeroCount;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  ExpoHistogram(int maxSize) {
    this.maxSize = maxSize >= 2 ? maxSize : DEFAULT_MAX_SIZE;
  }

  /** Records {@code value} {@code incr} times. NaN and infinities are ignored, as go-expohisto does. */
  void update(double value, long incr) {
    if (Double.isNaN(value) || Double.isInfinite(value) || incr <= 0) {
      return;
    }
    count += incr;
    sum += value * incr;
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (value == 0) {
      zeroCount += incr;
      return;
    }
    Buckets b = value > 0 ? positive : negative;
    double abs = Math.abs(value);
    int index = index(abs, scale);
    if (b.n > 0) {
      int low = Math.min(b.start, index);
      int high = Math.max(b.start + b.n - 1, index);
      int change = 0;
      while (high - low >= maxSize) {
        high >>= 1;
        low >>= 1;
        change++;
      }
      if (change > 0) {
        positive.downscale(change);
        negative.downscale(change);
        scale -= change;
        index = index(abs, scale);
      }
    }
    b.add(index, incr);
  }

  /** The bucket index of a positive finite value at a scale. */
  static int index(double value, int scale) {
    long bits = Double.doubleToRawLongBits(value);
    boolean powerOfTwo = (bits & SIGNIFICAND_MASK) == 0 && Math.getExponent(value) >= Double.MIN_EXPONENT;
    int exp = Math.getExponent(value);
    if (scale <= 0) {
      int e = powerOfTwo ? exp - 1 : exp;
      if (exp < Double.MIN_EXPONENT) {
        e = Double.MIN_EXPONENT - 1; // subnormals share the lowest bucket
      }
      return e >> -scale;
    }
    if (powerOfTwo) {
      return (exp << scale) - 1;
    }
    double scaleFactor = Math.scalb(1 / Math.log(2), scale);
    return (int) Math.floor(Math.log(value) * scaleFactor);
  }

  void writeTo(ExponentialHistogramPoint p) {
    p.setCount(count);
    p.setSum(sum);
    if (count != 0) {
      p.setMin(min);
      p.setMax(max);
    }
    p.setZeroCount(zeroCount);
    // With only zeros the scale carries no information; go-expohisto reports 0.
    p.setScale(count == zeroCount ? 0 : scale);
    p.setPositive(positive.n == 0 ? 0 : positive.start, positive.toArray());
    p.setNegative(negative.n == 0 ? 0 : negative.start, negative.toArray());
  }
}
