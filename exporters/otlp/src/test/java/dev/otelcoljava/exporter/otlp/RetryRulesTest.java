package dev.otelcoljava.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OTLP spec's retry classification and the sending queue's overflow. */
class RetryRulesTest {
  @Test
  void classify_retryableGrpcCodes() {
    for (Status.Code c : new Status.Code[] {Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED,
        Status.Code.OUT_OF_RANGE, Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS}) {
      assertThat(GrpcSender.classify(Status.fromCode(c).asRuntimeException()).retryable()).as(c.name()).isTrue();
    }
    for (Status.Code c : new Status.Code[] {Status.Code.INVALID_ARGUMENT, Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED,
        Status.Code.NOT_FOUND, Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL, Status.Code.UNKNOWN}) {
      assertThat(GrpcSender.classify(Status.fromCode(c).asRuntimeException()).retryable()).as(c.name()).isFalse();
    }
  }

  @Test
  void classify_resourceExhaustedNeedsRetryInfo() {
    assertThat(GrpcSender.classify(Status.RESOURCE_EXHAUSTED.asRuntimeException()).retryable()).isFalse();
    StatusRuntimeException withInfo = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE).setMessage("slow down")
        .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(3)).build()))
        .build());
    Sender.Result r = GrpcSender.classify(withInfo);
    assertThat(r.retryable()).isTrue();
    assertThat(r.throttle()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void goDuration_formatsLikeOtelcol() {
    assertThat(QueuedRetryExporter.goDuration(Duration.ofMillis(200))).isEqualTo("200ms");
    assertThat(QueuedRetryExporter.goDuration(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(QueuedRetryExporter.goDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(QueuedRetryExporter.goDuration(Duration.ofSeconds(150))).isEqualTo("2m30s");
  }

  @Test
  void consume_fullQueueRefusesAndCounts() throws Exception {
    // Nothing listens on port 1 of 127.0.0.1: the one consumer is busy retrying the first batch.
    Support.Reader reader = new Support.Reader();
    Support.Read<OtlpGrpcExporterConfig> r = Support.read(new OtlpGrpcExporterFactory(), """
        endpoint: 127.0.0.1:1
        tls: {insecure: true}
        sending_queue: {num_consumers: 1, queue_size: 1}
        retry_on_failure: {initial_interval: 10s, max_elapsed_time: 0}
        """);
    Exporter e = new OtlpGrpcExporterFactory().createExporter(Support.settings("otlp", reader), r.config());
    e.start(Support.host(Map.of()));
    try {
      int refused = 0;
      int points = 0;
      for (int i = 0; i < 5; i++) {
        var b = OtlpConverter.fromRequest(Support.everyKind());
        points = b.dataPointCount();
        try {
          e.consume(b);
        } catch (ConsumerException ex) {
          assertThat(ex.permanent()).isFalse();
          assertThat(ex.getMessage()).isEqualTo("sending queue is full");
          refused++;
        }
      }
      // One batch is being sent, at most one waits in the queue; the rest are refused.
      assertThat(refused).isBetween(3, 4);
      assertThat(reader.sum("otelcol_exporter_enqueue_failed_metric_points")).isEqualTo((long) refused * points);
    } finally {
      e.shutdown(Duration.ofMillis(200));
    }
    assertThat(reader.sum("otelcol_exporter_send_failed_metric_points")).isGreaterThan(0);
  }
}
