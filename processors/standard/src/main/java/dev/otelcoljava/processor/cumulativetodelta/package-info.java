/**
 * The {@code cumulativetodelta} processor: converts cumulative monotonic sums and cumulative
 * (exponential) histograms to delta. A stream is resource attributes + scope name/version + metric
 * name, unit, type, value type, monotonicity + point attributes + start time. The first point of
 * a stream follows {@code initial_value} ({@code auto}: emitted only when its start time is
 * non-zero, not before the processor started and not equal to its timestamp). A decreasing sum is
 * dropped and becomes the new baseline; a NaN sum is dropped and not tracked; a histogram whose
 * count or a bucket decreases is dropped without moving the baseline (as contrib, #50828); changed
 * bounds restart the stream. State expires after {@code max_staleness} (default 1h; 0 keeps it)
 * and is capped at one million streams. Delta histograms carry no min/max.
 */
package dev.otelcoljava.processor.cumulativetodelta;
