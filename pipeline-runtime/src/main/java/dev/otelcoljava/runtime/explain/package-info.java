/**
 * Offline runs of a configured pipeline: {@link dev.otelcoljava.runtime.explain.OfflinePipeline}
 * replays recorded inputs through the receiver's own processing ({@link
 * dev.otelcoljava.runtime.api.ReceiverReplay}), the real processors, and shows what the exporters
 * would send ({@link dev.otelcoljava.runtime.api.ExporterPreview}); {@link
 * dev.otelcoljava.runtime.explain.Explain} renders the per-stage report of {@code otelcol-java
 * explain}. The runtime depends on no component module: capabilities are found on the factories.
 */
package dev.otelcoljava.runtime.explain;
