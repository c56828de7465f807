/**
 * The {@code prometheus} receiver: an embedded Prometheus scrape config (global, scrape_configs,
 * static and file discovery, relabeling, limits) whose scrapes become OTLP metrics exactly as
 * otelcol-contrib's prometheus receiver makes them (resource per target, start times, staleness
 * markers, synthetic {@code up} series). Internals live in the {@code config}, {@code discovery},
 * {@code scrape} and {@code otlp} sub-packages.
 */
package dev.otelcoljava.receiver.prometheus;
