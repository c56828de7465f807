/**
 * The {@code debug} exporter and the removed {@code logging} type: print received metrics at
 * basic (a summary per batch), normal (a line per data point) or detailed (everything)
 * verbosity, sampled like zap (first N per second, then every Mth), through the collector's
 * logger or to {@code output_paths}. Output text follows otelcol's debug exporter.
 */
package dev.otelcoljava.exporter.debug;
