package dev.otelcoljava.runtime.api.data;

/** A gauge or sum point holding either a double or a long (int64) value. */
public final class NumberPoint extends DataPoint {
  private boolean isDouble = true;
  private double doubleValue;
  private long longValue;

  public NumberPoint() {}

  public static NumberPoint ofDouble(Attributes attributes, long startNanos, long timeNanos, double v) {
    NumberPoint p = new NumberPoint();
    p.setAttributes(attributes);
    p.setStartTimeNanos(startNanos);
    p.setTimeNanos(timeNanos);
    p.setDoubleValue(v);
    return p;
  }

  public static NumberPoint ofLong(Attributes attributes, long startNanos, long timeNanos, long v) {
    NumberPoint p = new NumberPoint();
    p.setAttributes(attributes);
    p.setStartTimeNanos(startNanos);
    p.setTimeNanos(timeNanos);
    p.setLongValue(v);
    return p;
  }

  public boolean isDouble() {
    return isDouble;
  }

  /** The value as a double whatever its stored type. */
  public double value() {
    return isDouble ? doubleValue : (double) longValue;
  }

  public double doubleValue() {
    return value();
  }

  /** The int64 value; for a double point, the value truncated toward zero. */
  public long longValue() {
    return isDouble ? (long) doubleValue : longValue;
  }

  public void setDoubleValue(double v) {
    isDouble = true;
    doubleValue = v;
    longValue = 0;
  }

  public void setLongValue(long v) {
    isDouble = false;
    longValue = v;
    doubleValue = 0;
  }

  @Override
  public NumberPoint copy() {
    NumberPoint p = new NumberPoint();
    copyCommonTo(p);
    p.isDouble = isDouble;
    p.doubleValue = doubleValue;
    p.longValue = longValue;
    return p;
  }

  @Override
  public String toString() {
    return "NumberPoint" + attributes() + "=" + (isDouble ? Double.toString(doubleValue) : Long.toString(longValue))
        + (noRecordedValue() ? "(stale)" : "") + "@" + timeNanos();
  }
}
