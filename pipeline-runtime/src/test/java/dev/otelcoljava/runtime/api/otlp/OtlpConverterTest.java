package dev.otelcoljava.runtime.api.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Exemplar;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpConverterTest {
  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  /** A request using every OTLP metrics feature the model carries. */
  static ExportMetricsServiceRequest everything() {
    AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(kv("inner", AnyValue.newBuilder().setIntValue(-3).build()))
        .addValues(kv("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(str("a")).addValues(AnyValue.newBuilder().setDoubleValue(2.5)).addValues(AnyValue.newBuilder().setBoolValue(false))).build())))
        .build();
    List<KeyValue> allKinds = List.of(
        kv("s", str("v")),
        kv("b", AnyValue.newBuilder().setBoolValue(true).build()),
        kv("i", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()),
        kv("d", AnyValue.newBuilder().setDoubleValue(-0.125).build()),
        kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff})).build()),
        kv("kv", nested));
    io.opentelemetry.proto.metrics.v1.Exemplar exInt = io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
        .addFilteredAttributes(kv("trace", str("x"))).setTimeUnixNano(5).setAsInt(42)
        .setTraceId(ByteString.copyFrom(new byte[16]).concat(ByteString.EMPTY).substring(0, 15).concat(ByteString.copyFrom(new byte[] {9})))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).build();
    io.opentelemetry.proto.metrics.v1.Exemplar exDouble = io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
        .setTimeUnixNano(6).setAsDouble(0.5).build();

    io.opentelemetry.proto.metrics.v1.Metric gauge = io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
        .setName("g").setDescription("a gauge").setUnit("By")
        .addMetadata(kv("prometheus.type", str("gauge")))
        .setGauge(Gauge.newBuilder()
            .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(allKinds).setStartTimeUnixNano(1).setTimeUnixNano(2).setAsDouble(1.5).addExemplars(exDouble))
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(-1L /* uint64 max */).setAsInt(7))
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(3).setAsDouble(Double.longBitsToDouble(0x7ff0000000000002L)).setFlags(1)))
        .build();
    io.opentelemetry.proto.metrics.v1.Metric sum = io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
        .setName("s_total").setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(NumberDataPoint.newBuilder().addAttributes(kv("code", str("200"))).setAsInt(12).addExemplars(exInt)))
        .build();
    io.opentelemetry.proto.metrics.v1.Metric nonMonotonic = io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
        .setName("updown").setSum(Sum.newBuilder().setIsMonotonic(false)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED)
            .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(-4)))
        .build();
    io.opentelemetry.proto.metrics.v1.Metric hist = io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
        .setName("h").setHistogram(Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setCount(6).setSum(10).setMin(0.5).setMax(4)
                .addAllExplicitBounds(List.of(1.0, 2.0)).addAllBucketCounts(List.of(1L, 2L, 3L)).addExemplars(exDouble))
            .addDataPoints(HistogramDataPoint.newBuilder().setCount(0).setFlags(1)))
        .build();
    io.opentelemetry.proto.metrics.v1.Metric exp = io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
        .setName("e").setExponentialHistogram(ExponentialHistogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setCount(9).setSum(3.5).setMin(-2).setMax(8).setScale(-2)
                .setZeroCount(2).setZeroThreshold(1e-9)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(3).addAllBucketCounts(List.of(1L, 2L)))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-1).addAllBucketCounts(List.of(4L)))
                .addExemplars(exInt)))
        .build();
    io.opentelemetry.proto.metrics.v1.Metric summary = io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
        .setName("q").setSummary(Summary.newBuilder()
            .addDataPoints(SummaryDataPoint.newBuilder().setCount(3).setSum(6).setStartTimeUnixNano(10).setTimeUnixNano(20)
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(2))
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(3))))
        .build();

    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("svc"))))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
            .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("scope").setVersion("1.2").addAttributes(kv("sa", str("sv"))))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.20.0")
                .addAllMetrics(List.of(gauge, sum, nonMonotonic, hist, exp, summary)))
            .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.getDefaultInstance())))
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.getDefaultInstance()))
        .build();
  }

  @Test
  void fromRequest_thenToRequest_roundTripsEveryField() throws Exception {
    ExportMetricsServiceRequest in = everything();
    MetricsBatch batch = OtlpConverter.fromRequest(ExportMetricsServiceRequest.parseFrom(in.toByteArray()));
    assertThat(OtlpConverter.toRequest(batch)).isEqualTo(in);
    MetricsData data = MetricsData.newBuilder().addAllResourceMetrics(in.getResourceMetricsList()).build();
    assertThat(OtlpConverter.toMetricsData(OtlpConverter.fromMetricsData(data))).isEqualTo(data);
    // And a deep copy of the model converts to the same message.
    assertThat(OtlpConverter.toRequest(batch.deepCopy())).isEqualTo(in);
  }

  @Test
  void fromRequest_mapsIntoTheModel() {
    MetricsBatch b = OtlpConverter.fromRequest(everything());
    assertThat(b.resourceMetrics()).hasSize(2);
    assertThat(b.dataPointCount()).isEqualTo(9);
    ScopeMetrics sm = b.resourceMetrics().get(0).scopeMetrics().get(0);
    assertThat(sm.name()).isEqualTo("scope");
    assertThat(sm.version()).isEqualTo("1.2");
    assertThat(sm.schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.20.0");
    assertThat(b.resourceMetrics().get(0).resource().getString("service.name")).isEqualTo("svc");

    Metric g = sm.metrics().get(0);
    assertThat(g.type()).isEqualTo(MetricType.GAUGE);
    assertThat(g.unit()).isEqualTo("By");
    assertThat(g.metadata().getString("prometheus.type")).isEqualTo("gauge");
    NumberPoint p0 = g.numberPoints().get(0);
    Attributes a = p0.attributes();
    assertThat(a.get("s")).isEqualTo("v");
    assertThat(a.get("b")).isEqualTo(true);
    assertThat(a.get("i")).isEqualTo(Long.MIN_VALUE);
    assertThat(a.get("d")).isEqualTo(-0.125);
    assertThat((byte[]) a.get("bytes")).containsExactly(0, 1, 0xff);
    Map<String, Object> expectedKv = new LinkedHashMap<>();
    expectedKv.put("inner", -3L);
    expectedKv.put("list", List.of("a", 2.5, false));
    assertThat(a.get("kv")).isEqualTo(expectedKv);
    assertThat(p0.exemplars()).hasSize(1);
    assertThat(p0.exemplars().get(0).traceId()).isNull();
    assertThat(g.numberPoints().get(1).isDouble()).isFalse();
    assertThat(g.numberPoints().get(1).timeNanos()).isEqualTo(-1L);
    assertThat(g.numberPoints().get(2).noRecordedValue()).isTrue();
    assertThat(Double.doubleToRawLongBits(g.numberPoints().get(2).value())).isEqualTo(0x7ff0000000000002L);

    Metric s = sm.metrics().get(1);
    assertThat(s.temporality()).isEqualTo(Temporality.DELTA);
    assertThat(s.monotonic()).isTrue();
    Exemplar ex = s.points().get(0).exemplars().get(0);
    assertThat(ex.isDouble()).isFalse();
    assertThat(ex.longValue()).isEqualTo(42);
    assertThat(ex.traceId()).hasSize(16);
    assertThat(ex.spanId()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(sm.metrics().get(2).temporality()).isEqualTo(Temporality.UNSPECIFIED);

    HistogramPoint h = sm.metrics().get(3).histogramPoints().get(0);
    assertThat(h.bounds()).containsExactly(1.0, 2.0);
    assertThat(h.bucketCounts()).containsExactly(1, 2, 3);
    assertThat(h.hasMin()).isTrue();
    HistogramPoint empty = sm.metrics().get(3).histogramPoints().get(1);
    assertThat(empty.hasSum()).isFalse();
    assertThat(empty.hasMin()).isFalse();

    ExponentialHistogramPoint e = sm.metrics().get(4).exponentialHistogramPoints().get(0);
    assertThat(e.scale()).isEqualTo(-2);
    assertThat(e.positiveOffset()).isEqualTo(3);
    assertThat(e.negativeCounts()).containsExactly(4);
    assertThat(e.zeroThreshold()).isEqualTo(1e-9);

    SummaryPoint q = sm.metrics().get(5).summaryPoints().get(0);
    assertThat(q.quantiles()).containsExactly(0.5, 0.99);
    assertThat(q.values()).containsExactly(2.0, 3.0);
  }

  @Test
  void toRequest_modelBuiltByHand_roundTrips() {
    MetricsBatch b = new MetricsBatch();
    Metric m = Metric.sum("requests_total", Temporality.CUMULATIVE, true);
    m.addPoint(NumberPoint.ofLong(Attributes.of("code", "200", "tags", List.of(1L, "x")), 100, 200, 5));
    NumberPoint stale = NumberPoint.ofDouble(Attributes.of("code", "500"), 100, 300, Double.NaN);
    stale.setNoRecordedValue(true);
    m.addPoint(stale);
    b.addResource(Attributes.of("host.name", "h")).addScope("otelcol-java", "0.1.0").metrics().add(m);
    MetricsBatch back = OtlpConverter.fromRequest(OtlpConverter.toRequest(b));
    assertThat(OtlpConverter.toRequest(back)).isEqualTo(OtlpConverter.toRequest(b));
    Metric m2 = back.resourceMetrics().get(0).scopeMetrics().get(0).metrics().get(0);
    assertThat(m2.numberPoints().get(0).longValue()).isEqualTo(5);
    assertThat(m2.numberPoints().get(0).attributes()).isEqualTo(Attributes.of("code", "200", "tags", List.of(1L, "x")));
    assertThat(m2.numberPoints().get(1).noRecordedValue()).isTrue();
  }

  @Test
  void fromRequest_metricWithoutDataAndUnsetAttribute_areSkipped() {
    ExportMetricsServiceRequest in = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("unset", AnyValue.getDefaultInstance())).addAttributes(kv("k", str("v"))))
        .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
            .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("nodata")))).build();
    MetricsBatch b = OtlpConverter.fromRequest(in);
    assertThat(b.resourceMetrics().get(0).resource()).isEqualTo(Attributes.of("k", "v"));
    assertThat(b.metricCount()).isZero();
  }
}
