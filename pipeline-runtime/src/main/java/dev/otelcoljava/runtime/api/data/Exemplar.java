package dev.otelcoljava.runtime.api.data;

/** An OTLP exemplar: a sample value with its time, filtered attributes and optional trace link. */
public final class Exemplar {
  private Attributes filteredAttributes = new Attributes();
  private long timeNanos;
  private boolean isDouble = true;
  private double doubleValue;
  private long longValue;
  /** 16 bytes or null. */
  private byte[] traceId;
  /** 8 bytes or null. */
  private byte[] spanId;

  public Attributes filteredAttributes() {
    return filteredAttributes;
  }

  public void setFilteredAttributes(Attributes a) {
    this.filteredAttributes = a;
  }

  public long timeNanos() {
    return timeNanos;
  }

  public void setTimeNanos(long t) {
    this.timeNanos = t;
  }

  public boolean isDouble() {
    return isDouble;
  }

  public double doubleValue() {
    return isDouble ? doubleValue : (double) longValue;
  }

  public long longValue() {
    return isDouble ? (long) doubleValue : longValue;
  }

  public void setDoubleValue(double v) {
    isDouble = true;
    doubleValue = v;
  }

  public void setLongValue(long v) {
    isDouble = false;
    longValue = v;
  }

  public byte[] traceId() {
    return traceId;
  }

  public void setTraceId(byte[] traceId) {
    this.traceId = traceId;
  }

  public byte[] spanId() {
    return spanId;
  }

  public void setSpanId(byte[] spanId) {
    this.spanId = spanId;
  }

  public Exemplar copy() {
    Exemplar e = new Exemplar();
    e.filteredAttributes = filteredAttributes.copy();
    e.timeNanos = timeNanos;
    e.isDouble = isDouble;
    e.doubleValue = doubleValue;
    e.longValue = longValue;
    e.traceId = traceId == null ? null : traceId.clone();
    e.spanId = spanId == null ? null : spanId.clone();
    return e;
  }
}
