package dev.otelcoljava.runtime.api.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Fields every OTLP data point has: attributes, start and sample time in Unix nanoseconds, flags
 * and exemplars. The subclass depends on the metric's {@link MetricType}.
 */
public abstract sealed class DataPoint
    permits NumberPoint, HistogramPoint, ExponentialHistogramPoint, SummaryPoint {
  /** OTLP DataPointFlags bit: no value was recorded (how a Prometheus staleness marker travels). */
  public static final int FLAG_NO_RECORDED_VALUE = 1;

  private Attributes attributes = new Attributes();
  private long startTimeNanos;
  private long timeNanos;
  private int flags;
  private List<Exemplar> exemplars;

  public Attributes attributes() {
    return attributes;
  }

  public void setAttributes(Attributes attributes) {
    this.attributes = attributes;
  }

  public long startTimeNanos() {
    return startTimeNanos;
  }

  public void setStartTimeNanos(long startTimeNanos) {
    this.startTimeNanos = startTimeNanos;
  }

  public long timeNanos() {
    return timeNanos;
  }

  public void setTimeNanos(long timeNanos) {
    this.timeNanos = timeNanos;
  }

  public int flags() {
    return flags;
  }

  public void setFlags(int flags) {
    this.flags = flags;
  }

  /** True if the point carries the no-recorded-value flag (a staleness marker). */
  public boolean noRecordedValue() {
    return (flags & FLAG_NO_RECORDED_VALUE) != 0;
  }

  public void setNoRecordedValue(boolean stale) {
    flags = stale ? (flags | FLAG_NO_RECORDED_VALUE) : (flags & ~FLAG_NO_RECORDED_VALUE);
  }

  /** The exemplars; an empty list when none (never null). */
  public List<Exemplar> exemplars() {
    if (exemplars == null) {
      return List.of();
    }
    return exemplars;
  }

  public void addExemplar(Exemplar e) {
    if (exemplars == null) {
      exemplars = new ArrayList<>(1);
    }
    exemplars.add(e);
  }

  public void clearExemplars() {
    exemplars = null;
  }

  /** A deep copy. */
  public abstract DataPoint copy();

  protected final void copyCommonTo(DataPoint p) {
    p.attributes = attributes.copy();
    p.startTimeNanos = startTimeNanos;
    p.timeNanos = timeNanos;
    p.flags = flags;
    if (exemplars != null) {
      p.exemplars = new ArrayList<>(exemplars.size());
      for (Exemplar e : exemplars) {
        p.exemplars.add(e.copy());
      }
    }
  }
}
