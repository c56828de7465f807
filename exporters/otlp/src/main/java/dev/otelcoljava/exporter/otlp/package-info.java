/**
 * The OTLP exporters: {@code otlp_grpc} (alias {@code otlp}) on grpc-java and {@code otlp_http}
 * (alias {@code otlphttp}) on the JDK HTTP client, with otelcol's {@code sending_queue} and {@code
 * retry_on_failure} and the OTLP spec's retry rules.
 */
package dev.otelcoljava.exporter.otlp;
