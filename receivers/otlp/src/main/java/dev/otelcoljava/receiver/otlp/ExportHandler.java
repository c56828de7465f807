package dev.otelcoljava.receiver.otlp;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

/** Hands one decoded request to the pipeline and classifies the outcome for both transports. Thread-safe. */
final class ExportHandler {
  /** The outcome of one export: a response, or a refusal that is retryable or permanent. */
  record Outcome(ExportMetricsServiceResponse response, boolean retryable, String error) {
    boolean ok() {
      return response != null;
    }
  }

  private static final ExportMetricsServiceResponse EMPTY = ExportMetricsServiceResponse.getDefaultInstance();
  private final MetricsConsumer next;
  private final RateLimitedLogger rlog;

  ExportHandler(MetricsConsumer next, RateLimitedLogger rlog) {
    this.next = next;
    this.rlog = rlog;
  }

  Outcome export(ExportMetricsServiceRequest request) {
    MetricsBatch batch = OtlpConverter.fromRequest(request);
    int points = batch.dataPointCount();
    if (points == 0 && batch.resourceMetrics().isEmpty()) {
      return new Outcome(EMPTY, false, null);
    }
    try {
      next.consume(batch);
      return new Outcome(EMPTY, false, null);
    } catch (ConsumerException e) {
      int rejected = e.rejectedPoints();
      if (e.permanent() && rejected >= 0 && rejected < points) {
        // Part was accepted: retrying would duplicate it, so report partial success instead.
        return new Outcome(ExportMetricsServiceResponse.newBuilder().setPartialSuccess(
            ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected).setErrorMessage(String.valueOf(e.getMessage())))
            .build(), false, null);
      }
      rlog.log(System.Logger.Level.DEBUG, e.permanent() ? "permanent" : "retryable",
          "pipeline refused " + points + " points (" + (e.permanent() ? "permanent" : "retryable") + "): " + e.getMessage());
      return new Outcome(null, !e.permanent(), String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      rlog.log(System.Logger.Level.WARNING, "internal", "pipeline failed on " + points + " points: " + e, e);
      return new Outcome(null, true, "internal error: " + e.getMessage());
    }
  }
}
