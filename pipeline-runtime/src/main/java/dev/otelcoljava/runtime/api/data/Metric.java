package dev.otelcoljava.runtime.api.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One OTLP metric: name, description, unit, kind and its points. The point class of each kind is
 * given in {@link MetricType}; {@link #points()} holds them as the base type and the typed views
 * cast. Temporality and monotonicity apply to sums (and temporality to histograms).
 */
public final class Metric {
  private String name;
  private String description = "";
  private String unit = "";
  private MetricType type;
  private Temporality temporality = Temporality.UNSPECIFIED;
  private boolean monotonic;
  private List<DataPoint> points;
  /** OTLP metric metadata (e.g. {@code prometheus.type}); lazily created. */
  private Attributes metadata;

  public Metric(String name, MetricType type) {
    this.name = name;
    this.type = type;
    this.points = new ArrayList<>();
    if (type == MetricType.SUM || type == MetricType.HISTOGRAM
        || type == MetricType.EXPONENTIAL_HISTOGRAM) {
      this.temporality = Temporality.CUMULATIVE;
    }
  }

  public static Metric gauge(String name) {
    return new Metric(name, MetricType.GAUGE);
  }

  public static Metric sum(String name, Temporality temporality, boolean monotonic) {
    Metric m = new Metric(name, MetricType.SUM);
    m.temporality = temporality;
    m.monotonic = monotonic;
    return m;
  }

  public String name() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String description() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description == null ? "" : description;
  }

  public String unit() {
    return unit;
  }

  public void setUnit(String unit) {
    this.unit = unit == null ? "" : unit;
  }

  public MetricType type() {
    return type;
  }

  /** Changes the kind (e.g. sum to gauge); the caller keeps the points consistent with it. */
  public void setType(MetricType type) {
    this.type = type;
  }

  public Temporality temporality() {
    return temporality;
  }

  public void setTemporality(Temporality temporality) {
    this.temporality = temporality;
  }

  public boolean monotonic() {
    return monotonic;
  }

  public void setMonotonic(boolean monotonic) {
    this.monotonic = monotonic;
  }

  /** The points, mutable in place. */
  public List<DataPoint> points() {
    return points;
  }

  public void setPoints(List<DataPoint> points) {
    this.points = points;
  }

  public Metric addPoint(DataPoint p) {
    points.add(p);
    return this;
  }

  /** The points of a gauge or sum. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<NumberPoint> numberPoints() {
    return (List) points;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<HistogramPoint> histogramPoints() {
    return (List) points;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<ExponentialHistogramPoint> exponentialHistogramPoints() {
    return (List) points;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<SummaryPoint> summaryPoints() {
    return (List) points;
  }

  public Attributes metadata() {
    if (metadata == null) {
      metadata = new Attributes();
    }
    return metadata;
  }

  public boolean hasMetadata() {
    return metadata != null && !metadata.isEmpty();
  }

  /** A copy of everything but the points. */
  public Metric copyWithoutPoints() {
    Metric m = new Metric(name, type);
    m.description = description;
    m.unit = unit;
    m.temporality = temporality;
    m.monotonic = monotonic;
    m.metadata = metadata == null ? null : metadata.copy();
    return m;
  }

  public Metric copy() {
    Metric m = copyWithoutPoints();
    m.points = new ArrayList<>(points.size());
    for (DataPoint p : points) {
      m.points.add(p.copy());
    }
    return m;
  }

  @Override
  public String toString() {
    return "Metric{" + name + " " + type + (type == MetricType.SUM ? " " + temporality + (monotonic ? " monotonic" : "") : "")
        + " unit=" + unit + " points=" + points + "}";
  }
}
