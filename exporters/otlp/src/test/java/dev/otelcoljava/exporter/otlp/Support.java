package dev.otelcoljava.exporter.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

final class Support {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Support() {}

  static Host host(Map<ComponentId, Extension> extensions) {
    return new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return Optional.ofNullable(extensions.get(id));
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return extensions;
      }
    };
  }

  /** A reader that collects on demand, for asserting self-metrics. */
  static final class Reader implements MetricReader {
    private volatile CollectionRegistration registration;

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
    public io.opentelemetry.sdk.metrics.data.AggregationTemporality getAggregationTemporality(InstrumentType t) {
      return io.opentelemetry.sdk.metrics.data.AggregationTemporality.CUMULATIVE;
    }

    long sum(String name) {
      long total = 0;
      for (MetricData m : registration.collectAllMetrics()) {
        if (m.getName().equals(name)) {
          for (LongPointData p : m.getLongSumData().getPoints()) {
            total += p.getValue();
          }
        }
      }
      return total;
    }
  }

  static CreateSettings settings(String id, Reader reader) {
    SdkMeterProvider mp = SdkMeterProvider.builder().registerMetricReader(reader).build();
    return new CreateSettings(ComponentId.parse(id), ComponentKind.EXPORTER, mp.get("test"), System.getLogger(id),
        MetricsLevel.NORMAL, new BuildInfo("otelcol-java", "test", "test"));
  }

  record Read<C>(C config, ConfigProblems problems) {}

  static <C> Read<C> read(ComponentFactory<C> f, String yaml) throws Exception {
    ConfigProblems problems = new ConfigProblems();
    Object tree = yaml.isBlank() ? null : YAML.readValue(yaml, Object.class);
    ConfigNode node = ConfigNode.root(tree, "exporters::" + f.type(), problems);
    C c = f.createConfig(node, f.type());
    node.reportUnknownKeys();
    return new Read<>(c, problems);
  }

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private static AnyValue s(String v) {
    return AnyValue.newBuilder().setStringValue(v).build();
  }

  /** A request with every point kind, value kind, attribute kind, exemplars and start times. */
  static ExportMetricsServiceRequest everyKind() {
    byte[] trace = HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c");
    byte[] span = HexFormat.of().parseHex("b7ad6b7169203331");
    KeyValue[] attrs = {
        kv("str", s("v")), kv("bool", AnyValue.newBuilder().setBoolValue(true).build()),
        kv("int", AnyValue.newBuilder().setIntValue(-7).build()), kv("dbl", AnyValue.newBuilder().setDoubleValue(2.5).build()),
        kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3})).build()),
        kv("arr", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(s("a")).addValues(
            AnyValue.newBuilder().setIntValue(1))).build()),
        kv("map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("inner", s("x")))).build())};
    Exemplar ex = Exemplar.newBuilder().setAsDouble(1.25).setTimeUnixNano(1_500).setTraceId(ByteString.copyFrom(trace))
        .setSpanId(ByteString.copyFrom(span)).addFilteredAttributes(kv("user", s("u1"))).build();
    Exemplar exInt = Exemplar.newBuilder().setAsInt(3).setTimeUnixNano(1_600).build();
    NumberDataPoint.Builder np = NumberDataPoint.newBuilder().setStartTimeUnixNano(1_000).setTimeUnixNano(2_000);
    for (KeyValue a : attrs) {
      np.addAttributes(a);
    }
    Metric gauge = Metric.newBuilder().setName("g").setUnit("Cel").setDescription("gauge")
        .setGauge(Gauge.newBuilder().addDataPoints(np.clone().setAsDouble(21.5).addExemplars(ex))
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(2_000).setAsInt(-4).setFlags(1))).build();
    Metric sum = Metric.newBuilder().setName("s").setUnit("1")
        .setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).setIsMonotonic(true)
            .addDataPoints(np.clone().setAsInt(Long.MAX_VALUE).addExemplars(exInt))).build();
    Metric delta = Metric.newBuilder().setName("d")
        .setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(np.clone().setAsDouble(-0.5))).build();
    Metric hist = Metric.newBuilder().setName("h").setUnit("ms")
        .setHistogram(Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(1_000).setTimeUnixNano(2_000).setCount(6).setSum(123.5)
                .setMin(0.5).setMax(100).addBucketCounts(1).addBucketCounts(2).addBucketCounts(3).addExplicitBounds(1).addExplicitBounds(10)
                .addAttributes(attrs[0]).addExemplars(ex))).build();
    Metric exp = Metric.newBuilder().setName("e")
        .setExponentialHistogram(ExponentialHistogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(1_000).setTimeUnixNano(2_000).setCount(7)
                .setSum(44).setScale(3).setZeroCount(1).setZeroThreshold(1e-9).setMin(0).setMax(20)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-2).addBucketCounts(1).addBucketCounts(4))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1).addBucketCounts(1))
                .addExemplars(ex))).build();
    Metric summary = Metric.newBuilder().setName("sm")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setStartTimeUnixNano(1_000).setTimeUnixNano(2_000)
            .setCount(10).setSum(55).addAttributes(attrs[1])
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(5))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(9.9)))).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", s("roundtrip"))))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("scope").setVersion("1.0")
                .addAttributes(kv("scope.attr", s("y"))))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.25.0")
            .addMetrics(gauge).addMetrics(sum).addMetrics(delta).addMetrics(hist).addMetrics(exp).addMetrics(summary)))
        .build();
  }
}
