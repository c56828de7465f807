package dev.otelcoljava.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import dev.otelcoljava.testing.MetricsSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The real OpenTelemetry Java SDK exporters sending to the receiver over both protocols. */
class SdkInteropTest {
  private static final SpanContext SPAN = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
      TraceFlags.getSampled(), TraceState.getDefault());

  /** Records what the SDK exported first, and hands it to the real OTLP exporter. */
  private static final class Recording implements MetricExporter {
    final MetricExporter delegate;
    final List<MetricData> exported = new ArrayList<>();
    final List<CompletableResultCode> results = new ArrayList<>();

    Recording(MetricExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
      if (!results.isEmpty()) {
        // Only the forced flush is sent; the collection at shutdown would repeat it.
        return CompletableResultCode.ofSuccess();
      }
      exported.addAll(metrics);
      CompletableResultCode r = delegate.export(metrics);
      results.add(r);
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType t) {
      return delegate.getAggregationTemporality(t);
    }
  }

  /** Counts delivery attempts before the sink. */
  private static final class Counting implements MetricsConsumer {
    final MetricsSink sink = new MetricsSink();
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public void consume(MetricsBatch batch) {
      attempts.incrementAndGet();
      sink.consume(batch);
    }
  }

  private static List<MetricData> recordAll(MetricExporter exporter) {
    Recording rec = new Recording(exporter);
    SdkMeterProvider mp = SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "interop",
            AttributeKey.longKey("pid"), 42L)))
        .registerView(InstrumentSelector.builder().setName("latency.exp").build(),
            View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
        .registerMetricReader(PeriodicMetricReader.builder(rec).setInterval(Duration.ofHours(1)).build())
        .build();
    try {
      Meter meter = mp.meterBuilder("interop.scope").setInstrumentationVersion("1.2.3").setSchemaUrl("https://opentelemetry.io/schemas/1.24.0").build();
      Attributes attrs = Attributes.builder().put("str", "v").put("flag", true).put("n", 7L).put("d", 1.5)
          .put(AttributeKey.stringArrayKey("arr"), List.of("a", "b")).put(AttributeKey.longArrayKey("larr"), List.of(1L, 2L)).build();
      Context withSpan = Context.root().with(Span.wrap(SPAN));
      LongCounter c = meter.counterBuilder("requests").setUnit("{request}").setDescription("requests served").build();
      c.add(5, attrs, withSpan);
      c.add(3, Attributes.of(AttributeKey.stringKey("str"), "other"));
      meter.counterBuilder("bytes").ofDoubles().setUnit("By").build().add(12.5, attrs, withSpan);
      LongUpDownCounter ud = meter.upDownCounterBuilder("inflight").build();
      ud.add(4, attrs);
      ud.add(-1, attrs);
      DoubleGauge g = meter.gaugeBuilder("temperature").setUnit("Cel").build();
      g.set(21.25, attrs, withSpan);
      meter.gaugeBuilder("queue.len").ofLongs().buildWithCallback(m -> m.record(9, attrs));
      DoubleHistogram h = meter.histogramBuilder("latency").setUnit("ms").build();
      for (double v : new double[] {1, 7, 42, 250, 9000}) {
        h.record(v, attrs, withSpan);
      }
      DoubleHistogram eh = meter.histogramBuilder("latency.exp").setUnit("ms").build();
      for (double v : new double[] {0.5, 3, 3.5, 100, 1e-3}) {
        eh.record(v, attrs, withSpan);
      }
      mp.forceFlush().join(30, TimeUnit.SECONDS);
      for (CompletableResultCode r : rec.results) {
        r.join(30, TimeUnit.SECONDS);
      }
      return new ArrayList<>(rec.exported);
    } finally {
      mp.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static ExportMetricsServiceRequest asProto(Collection<MetricData> data) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    MetricsRequestMarshaler.create(data).writeBinaryTo(bos);
    return ExportMetricsServiceRequest.parseFrom(bos.toByteArray());
  }

  private static void assertIdentical(List<MetricData> sent, MetricsSink sink) throws Exception {
    ExportMetricsServiceRequest expected = asProto(sent);
    assertThat(expected.getResourceMetrics(0).getScopeMetrics(0).getMetricsCount()).isEqualTo(7);
    assertThat(sink.batches()).hasSize(1);
    ExportMetricsServiceRequest actual = OtlpConverter.toRequest(sink.batches().get(0));
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void grpc_sdkDataArrivesIdentical() throws Exception {
    MetricsSink sink = new MetricsSink();
    OtlpReceiver r = TestSupport.start(sink);
    try {
      List<MetricData> sent = recordAll(OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + r.grpcPort())
          .setCompression("gzip").build());
      sink.awaitBatches(1, Duration.ofSeconds(10));
      assertIdentical(sent, sink);
    } finally {
      r.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void http_sdkDataArrivesIdentical() throws Exception {
    MetricsSink sink = new MetricsSink();
    OtlpReceiver r = TestSupport.start(sink);
    try {
      List<MetricData> sent = recordAll(OtlpHttpMetricExporter.builder()
          .setEndpoint("http://127.0.0.1:" + r.httpPort() + "/v1/metrics").setCompression("gzip").build());
      sink.awaitBatches(1, Duration.ofSeconds(10));
      assertIdentical(sent, sink);
    } finally {
      r.shutdown(Duration.ofSeconds(5));
    }
  }

  private static RetryPolicy fastRetry() {
    return RetryPolicy.builder().setMaxAttempts(4).setInitialBackoff(Duration.ofMillis(10)).setMaxBackoff(Duration.ofMillis(20)).build();
  }

  private static int attemptsWith(ConsumerException refusal, boolean grpc) throws Exception {
    Counting counting = new Counting();
    counting.sink.failWith(refusal);
    OtlpReceiver r = TestSupport.start(counting);
    try {
      MetricExporter exporter = grpc
          ? OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + r.grpcPort()).setRetryPolicy(fastRetry()).build()
          : OtlpHttpMetricExporter.builder().setEndpoint("http://127.0.0.1:" + r.httpPort() + "/v1/metrics")
              .setRetryPolicy(fastRetry()).build();
      recordAll(exporter);
      assertThat(counting.sink.batches()).isEmpty();
      return counting.attempts.get();
    } finally {
      r.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void grpc_retryableRefusalIsRetriedBySdk() throws Exception {
    assertThat(attemptsWith(new ConsumerException("data refused due to high memory usage", false, -1), true)).isEqualTo(4);
  }

  @Test
  void grpc_permanentRefusalIsNotRetried() throws Exception {
    assertThat(attemptsWith(new ConsumerException("bad data", true, -1), true)).isEqualTo(1);
  }

  @Test
  void http_retryableRefusalIsRetriedBySdk() throws Exception {
    assertThat(attemptsWith(new ConsumerException("data refused due to high memory usage", false, -1), false)).isEqualTo(4);
  }

  @Test
  void http_permanentRefusalIsNotRetried() throws Exception {
    assertThat(attemptsWith(new ConsumerException("bad data", true, -1), false)).isEqualTo(1);
  }
}
