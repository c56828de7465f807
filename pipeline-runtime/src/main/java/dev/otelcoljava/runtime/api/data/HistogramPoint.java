package dev.otelcoljava.runtime.api.data;

/**
 * An explicit-bucket histogram point. {@code bucketCounts} has {@code bounds.length + 1} entries and
 * is NOT cumulative (OTLP); the last bucket is (last bound, +Inf].
 */
public final class HistogramPoint extends DataPoint {
  private long count;
  private double sum;
  private boolean hasSum;
  private double min;
  private boolean hasMin;
  private double max;
  private boolean hasMax;
  private double[] bounds = new double[0];
  private long[] bucketCounts = new long[0];

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
    this.sum = 0;
    this.hasSum = false;
  }

  public double min() {
    return min;
  }

  public boolean hasMin() {
    return hasMin;
  }

  public void setMin(double min) {
    this.min = min;
    this.hasMin = true;
  }

  public void clearMin() {
    hasMin = false;
    min = 0;
  }

  public double max() {
    return max;
  }

  public boolean hasMax() {
    return hasMax;
  }

  public void setMax(double max) {
    this.max = max;
    this.hasMax = true;
  }

  public void clearMax() {
    hasMax = false;
    max = 0;
  }

  public double[] bounds() {
    return bounds;
  }

  public void setBounds(double[] bounds) {
    this.bounds = bounds;
  }

  public long[] bucketCounts() {
    return bucketCounts;
  }

  public void setBucketCounts(long[] bucketCounts) {
    this.bucketCounts = bucketCounts;
  }

  @Override
  public HistogramPoint copy() {
    HistogramPoint p = new HistogramPoint();
    copyCommonTo(p);
    p.count = count;
    p.sum = sum;
    p.hasSum = hasSum;
    p.min = min;
    p.hasMin = hasMin;
    p.max = max;
    p.hasMax = hasMax;
    p.bounds = bounds.clone();
    p.bucketCounts = bucketCounts.clone();
    return p;
  }
}
