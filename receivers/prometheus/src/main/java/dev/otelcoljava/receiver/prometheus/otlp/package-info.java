/**
 * Scrape to OTLP: {@link dev.otelcoljava.receiver.prometheus.otlp.TargetMapper} groups the samples
 * of one target's scrapes into OTLP metrics as otelcol's prometheus receiver does, with a series
 * cache keyed by raw bytes, start-time adjustment and staleness markers.
 */
package dev.otelcoljava.receiver.prometheus.otlp;
