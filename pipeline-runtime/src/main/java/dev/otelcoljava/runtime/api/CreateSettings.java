package dev.otelcoljava.runtime.api;

import io.opentelemetry.api.metrics.Meter;

/**
 * What a factory gets to create a component: its id, a meter for self-metrics (instrument names as
 * otelcol's, e.g. {@code otelcol_exporter_sent_metric_points}), a logger named after the component,
 * the self-metrics level, and the build info.
 */
public record CreateSettings(
    ComponentId id,
    ComponentKind kind,
    Meter meter,
    System.Logger logger,
    MetricsLevel metricsLevel,
    BuildInfo buildInfo) {}
