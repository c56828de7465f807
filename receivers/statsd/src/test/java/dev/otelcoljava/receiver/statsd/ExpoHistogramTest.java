package dev.otelcoljava.receiver.statsd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exponential histogram matches the OpenTelemetry Java SDK's (the same spec algorithm) bucket for bucket. */
class ExpoHistogramTest {
  private static final class Reader implements MetricReader {
    CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration r) {
      registration = r;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType t) {
      return AggregationTemporality.DELTA;
    }
  }

  private static ExponentialHistogramPointData sdk(double[] values, int maxSize) {
    Reader reader = new Reader();
    try (SdkMeterProvider mp = SdkMeterProvider.builder().registerMetricReader(reader)
        .registerView(InstrumentSelector.builder().setName("h").build(),
            View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram(maxSize, 20)).build()).build()) {
      var h = mp.get("t").histogramBuilder("h").build();
      for (double v : values) {
        h.record(v);
      }
      Collection<MetricData> data = reader.registration.collectAllMetrics();
      return data.iterator().next().getExponentialHistogramData().getPoints().iterator().next();
    }
  }

  private static void assertSameAsSdk(double[] values, int maxSize) {
    ExpoHistogram mine = new ExpoHistogram(maxSize);
    for (double v : values) {
      mine.update(v, 1);
    }
    ExponentialHistogramPoint p = new ExponentialHistogramPoint();
    mine.writeTo(p);
    ExponentialHistogramPointData ref = sdk(values, maxSize);
    assertThat(p.count()).isEqualTo(ref.getCount());
    assertThat(p.sum()).isEqualTo(ref.getSum());
    assertThat(p.zeroCount()).isEqualTo(ref.getZeroCount());
    assertThat(p.min()).isEqualTo(ref.getMin());
    assertThat(p.max()).isEqualTo(ref.getMax());
    assertThat(p.scale()).isEqualTo(ref.getScale());
    assertThat(p.positiveOffset()).isEqualTo(ref.getPositiveBuckets().getOffset());
    assertThat(p.positiveCounts()).containsExactly(ref.getPositiveBuckets().getBucketCounts().stream().mapToLong(Long::longValue).toArray());
    if (ref.getNegativeBuckets().getTotalCount() > 0) {
      assertThat(p.negativeOffset()).isEqualTo(ref.getNegativeBuckets().getOffset());
    }
    assertThat(p.negativeCounts()).containsExactly(ref.getNegativeBuckets().getBucketCounts().stream().mapToLong(Long::longValue).toArray());
  }

  @Test
  void update_matchesSdkWithoutDownscale() {
    assertSameAsSdk(new double[] {1.0, 1.5, 1.5000001, 2.0, 2.0000001}, 160);
  }

  @Test
  void update_matchesSdkAcrossDownscales() {
    Random r = new Random(42);
    double[] values = new double[2000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 97 == 0 ? 0 : Math.exp(r.nextGaussian() * 6);
    }
    assertSameAsSdk(values, 160);
    assertSameAsSdk(values, 20);
    assertSameAsSdk(new double[] {0.001, 1e9, 4, 1024, 1.0 / 1024}, 4);
  }

  /** The SDK records no negative values; negatives mirror positives at the shared scale. */
  @Test
  void update_negativesMirrorPositives() {
    Random r = new Random(7);
    ExpoHistogram pos = new ExpoHistogram(40);
    ExpoHistogram neg = new ExpoHistogram(40);
    for (int i = 0; i < 500; i++) {
      double v = Math.exp(r.nextGaussian() * 4);
      pos.update(v, 2);
      neg.update(-v, 2);
    }
    ExponentialHistogramPoint a = new ExponentialHistogramPoint();
    ExponentialHistogramPoint b = new ExponentialHistogramPoint();
    pos.writeTo(a);
    neg.writeTo(b);
    assertThat(b.scale()).isEqualTo(a.scale());
    assertThat(b.negativeOffset()).isEqualTo(a.positiveOffset());
    assertThat(b.negativeCounts()).containsExactly(a.positiveCounts());
    assertThat(b.positiveCounts()).isEmpty();
    assertThat(b.count()).isEqualTo(1000);
    assertThat(b.sum()).isEqualTo(-a.sum());
  }

  @Test
  void aggregator_histogramObserverEmitsExponentialHistogram() throws Exception {
    StatsdReceiverConfig c = StatsdReceiverConfig.read(dev.otelcoljava.runtime.api.config.ConfigNode.root(
        java.util.Map.of("timer_histogram_mapping", List.of(java.util.Map.of("statsd_type", "distribution", "observer_type", "histogram",
            "histogram", java.util.Map.of("max_size", 10)))), "receivers::statsd", new dev.otelcoljava.runtime.api.config.ConfigProblems()));
    StatsdAggregator a = new StatsdAggregator(c, "1.0", 100);
    a.add(StatsdLine.parse("d:4|d|@0.5", false, false), "x", 150);
    a.add(StatsdLine.parse("d:0|d", false, false), "x", 150);
    List<MetricsBatch> out = a.flush(200);
    Metric m = out.get(0).resourceMetrics().get(0).scopeMetrics().get(0).metrics().get(0);
    assertThat(m.type()).isEqualTo(MetricType.EXPONENTIAL_HISTOGRAM);
    ExponentialHistogramPoint p = m.exponentialHistogramPoints().get(0);
    assertThat(p.count()).isEqualTo(3);
    assertThat(p.sum()).isEqualTo(8);
    assertThat(p.zeroCount()).isEqualTo(1);
    assertThat(p.scale()).isEqualTo(20);
    assertThat(p.positiveOffset()).isEqualTo((2 << 20) - 1);
    assertThat(p.positiveCounts()).containsExactly(2);
    assertThat(p.startTimeNanos()).isEqualTo(100);
    assertThat(p.timeNanos()).isEqualTo(200);
  }
}
