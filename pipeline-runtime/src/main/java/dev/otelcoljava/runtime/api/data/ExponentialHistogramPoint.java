package dev.otelcoljava.runtime.api.data;

/** An OTLP exponential histogram point (base-2 buckets at {@link #scale()}). */
public final class ExponentialHistogramPoint extends DataPoint {
  private long count;
  private double sum;
  private boolean hasSum;
  private double min;
  private boolean hasMin;
  private double max;
  private boolean hasMax;
  private int scale;
  private long zeroCount;
  private double zeroThreshold;
  private int positiveOffset;
  private long[] positiveCounts = new long[0];
  private int negativeOffset;
  private long[] negativeCounts = new long[0];

  public long count() {
    return count;
  }

  public void setCount(long count) {
    this.count = count;
  }

  public double sum() {
    return sum;
  }

  public boolean hasSum() {
    return hasSum;
  }

  public void setSum(double sum) {
    this.sum = sum;
    this.hasSum = true;
  }

  public void clearSum() {
    hasSum = false;
    sum = 0;
  }

  public double min() {
    return min;
  }

  public boolean hasMin() {
    return hasMin;
  }

  public void setMin(double min) {
    this.min = min;
    hasMin = true;
  }

  public double max() {
    return max;
  }

  public boolean hasMax() {
    return hasMax;
  }

  public void setMax(double max) {
    this.max = max;
    hasMax = true;
  }

  public int scale() {
    return scale;
  }

  public void setScale(int scale) {
    this.scale = scale;
  }

  public long zeroCount() {
    return zeroCount;
  }

  public void setZeroCount(long zeroCount) {
    this.zeroCount = zeroCount;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  public void setZeroThreshold(double zeroThreshold) {
    this.zeroThreshold = zeroThreshold;
  }

  public int positiveOffset() {
    return positiveOffset;
  }

  public long[] positiveCounts() {
    return positiveCounts;
  }

  public void setPositive(int offset, long[] counts) {
    this.positiveOffset = offset;
    this.positiveCounts = counts;
  }

  public int negativeOffset() {
    return negativeOffset;
  }

  public long[] negativeCounts() {
    return negativeCounts;
  }

  public void setNegative(int offset, long[] counts) {
    this.negativeOffset = offset;
    this.negativeCounts = counts;
  }

  @Override
  public ExponentialHistogramPoint copy() {
    ExponentialHistogramPoint p = new ExponentialHistogramPoint();
    copyCommonTo(p);
    p.count = count;
    p.sum = sum;
    p.hasSum = hasSum;
    p.min = min;
    p.hasMin = hasMin;
    p.max = max;
    p.hasMax = hasMax;
    p.scale = scale;
    p.zeroCount = zeroCount;
    p.zeroThreshold = zeroThreshold;
    p.positiveOffset = positiveOffset;
    p.positiveCounts = positiveCounts.clone();
    p.negativeOffset = negativeOffset;
    p.negativeCounts = negativeCounts.clone();
    return p;
  }
}
