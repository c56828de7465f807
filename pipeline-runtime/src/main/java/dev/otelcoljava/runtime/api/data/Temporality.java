package dev.otelcoljava.runtime.api.data;

/** OTLP aggregation temporality of sums and histograms. */
public enum Temporality {
  UNSPECIFIED,
  DELTA,
  CUMULATIVE
}
