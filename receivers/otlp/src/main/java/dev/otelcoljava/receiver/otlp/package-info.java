/**
 * The {@code otlp} receiver: accepts OTLP metrics over gRPC (grpc-java) and HTTP (the JDK's HTTP
 * server), answers with the OTLP spec's retryable status when the pipeline refuses data, and serves
 * no traces or logs (gRPC UNIMPLEMENTED, HTTP 404).
 */
package dev.otelcoljava.receiver.otlp;
