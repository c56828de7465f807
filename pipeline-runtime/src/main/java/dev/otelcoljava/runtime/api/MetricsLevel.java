package dev.otelcoljava.runtime.api;

/** {@code service::telemetry::metrics::level}: how much the collector reports about itself. */
public enum MetricsLevel {
  NONE,
  BASIC,
  NORMAL,
  DETAILED
}
