package dev.otelcoljava.runtime.api.data;

/** A summary point: count, sum and quantile values ({@code quantiles[i]} has {@code values[i]}). */
public final class SummaryPoint extends DataPoint {
  private long count;
  private double sum;
  private double[] quantiles = new double[0];
  private double[] values = new double[0];

  public long count() {
    return count;
  }

  public void setCount(long count) {
    this.count = count;
  }

  public double sum() {
    return sum;
  }

  public void setSum(double sum) {
    this.sum = sum;
  }

  public double[] quantiles() {
    return quantiles;
  }

  public double[] values() {
    return values;
  }

  public void setQuantiles(double[] quantiles, double[] values) {
    if (quantiles.length != values.length) {
      throw new IllegalArgumentException("quantiles and values differ in length");
    }
    this.quantiles = quantiles;
    this.values = values;
  }

  @Override
  public SummaryPoint copy() {
    SummaryPoint p = new SummaryPoint();
    copyCommonTo(p);
    p.count = count;
    p.sum = sum;
    p.quantiles = quantiles.clone();
    p.values = values.clone();
    return p;
  }
}
