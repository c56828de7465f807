package dev.otelcoljava.exporter.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;

/** Sends one request once (no retry); implementations are thread-safe. */
interface Sender extends AutoCloseable {
  /** The outcome of one attempt. {@code throttle} is the server's requested delay, or null. */
  record Result(boolean ok, boolean retryable, Duration throttle, String error) {
    static final Result OK = new Result(true, false, null, null);

    static Result retryable(String error, Duration throttle) {
      return new Result(false, true, throttle, error);
    }

    static Result permanent(String error) {
      return new Result(false, false, null, error);
    }
  }

  Result send(ExportMetricsServiceRequest request);

  @Override
  void close();
}
