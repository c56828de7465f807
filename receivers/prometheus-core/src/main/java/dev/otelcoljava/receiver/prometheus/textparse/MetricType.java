package dev.otelcoljava.receiver.prometheus.textparse;

/** A metric family type as written in a {@code # TYPE} line (Prometheus' textparse.MetricType). */
public enum MetricType {
  COUNTER,
  GAUGE,
  HISTOGRAM,
  GAUGE_HISTOGRAM,
  SUMMARY,
  INFO,
  STATESET,
  UNKNOWN
}
