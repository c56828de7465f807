package dev.otelcoljava.runtime.api.data;

/** The OTLP metric data kinds. The point class of each kind is named in its Javadoc. */
public enum MetricType {
  /** Points are {@link NumberPoint}. */
  GAUGE,
  /** Points are {@link NumberPoint}; see {@link Metric#temporality()} and {@link Metric#monotonic()}. */
  SUM,
  /** Points are {@link HistogramPoint}. */
  HISTOGRAM,
  /** Points are {@link ExponentialHistogramPoint}. */
  EXPONENTIAL_HISTOGRAM,
  /** Points are {@link SummaryPoint}. */
  SUMMARY
}
