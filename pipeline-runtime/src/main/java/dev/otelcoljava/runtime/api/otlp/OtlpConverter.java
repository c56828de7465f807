package dev.otelcoljava.runtime.api.otlp;

import com.google.protobuf.ByteString;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Exemplar;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
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
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between {@link MetricsBatch} and OTLP protobuf ({@link ExportMetricsServiceRequest},
 * {@link MetricsData}): resources, scopes (name, version, attributes), schema URLs, metric
 * metadata, every point kind (gauge and sum with int or double values, histogram, exponential
 * histogram, summary), optional sum/min/max, flags (no-recorded-value), exemplars (int or double,
 * trace and span ids, filtered attributes), and every attribute value kind (string, bool, int,
 * double, bytes, array, kvlist).
 *
 * <p>Mapping notes: OTLP uint64 counts and timestamps are carried in Java {@code long}s bit for
 * bit. A metric with no data set, and an attribute whose value is unset, have no place in the
 * model and are skipped; inside arrays and kvlists an unset value becomes {@code null}. Dropped
 * attribute counts are not kept. The converter keeps no state and is thread-safe; it neither
 * keeps nor changes its inputs.
 */
public final class OtlpConverter {
  private OtlpConverter() {}

  /** The batch as an OTLP export request. */
  public static ExportMetricsServiceRequest toRequest(MetricsBatch batch) {
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      b.addResourceMetrics(toProto(rm));
    }
    return b.build();
  }

  /** The batch as OTLP {@code MetricsData} (the file/exporter form). */
  public static MetricsData toMetricsData(MetricsBatch batch) {
    MetricsData.Builder b = MetricsData.newBuilder();
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      b.addResourceMetrics(toProto(rm));
    }
    return b.build();
  }

  /** A new batch holding the request's metrics. */
  public static MetricsBatch fromRequest(ExportMetricsServiceRequest request) {
    return fromResourceMetrics(request.getResourceMetricsList());
  }

  /** A new batch holding the metrics data. */
  public static MetricsBatch fromMetricsData(MetricsData data) {
    return fromResourceMetrics(data.getResourceMetricsList());
  }

  private static MetricsBatch fromResourceMetrics(List<io.opentelemetry.proto.metrics.v1.ResourceMetrics> list) {
    List<ResourceMetrics> out = new ArrayList<>(list.size());
    for (io.opentelemetry.proto.metrics.v1.ResourceMetrics rm : list) {
      out.add(fromProto(rm));
    }
    return new MetricsBatch(out);
  }

  // ---- to protobuf ----

  static io.opentelemetry.proto.metrics.v1.ResourceMetrics toProto(ResourceMetrics rm) {
    io.opentelemetry.proto.metrics.v1.ResourceMetrics.Builder b = io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(toKeyValues(rm.resource())))
        .setSchemaUrl(rm.schemaUrl());
    for (ScopeMetrics sm : rm.scopeMetrics()) {
      io.opentelemetry.proto.metrics.v1.ScopeMetrics.Builder sb = io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName(sm.name()).setVersion(sm.version())
              .addAllAttributes(toKeyValues(sm.attributes())))
          .setSchemaUrl(sm.schemaUrl());
      for (Metric m : sm.metrics()) {
        sb.addMetrics(toProto(m));
      }
      b.addScopeMetrics(sb);
    }
    return b.build();
  }

  static io.opentelemetry.proto.metrics.v1.Metric toProto(Metric m) {
    io.opentelemetry.proto.metrics.v1.Metric.Builder b = io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
        .setName(m.name()).setDescription(m.description()).setUnit(m.unit());
    if (m.hasMetadata()) {
      b.addAllMetadata(toKeyValues(m.metadata()));
    }
    switch (m.type()) {
      case GAUGE -> {
        Gauge.Builder g = Gauge.newBuilder();
        for (NumberPoint p : m.numberPoints()) {
          g.addDataPoints(toProto(p));
        }
        b.setGauge(g);
      }
      case SUM -> {
        Sum.Builder s = Sum.newBuilder().setAggregationTemporality(toProto(m.temporality())).setIsMonotonic(m.monotonic());
        for (NumberPoint p : m.numberPoints()) {
          s.addDataPoints(toProto(p));
        }
        b.setSum(s);
      }
      case HISTOGRAM -> {
        Histogram.Builder h = Histogram.newBuilder().setAggregationTemporality(toProto(m.temporality()));
        for (HistogramPoint p : m.histogramPoints()) {
          h.addDataPoints(toProto(p));
        }
        b.setHistogram(h);
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder().setAggregationTemporality(toProto(m.temporality()));
        for (ExponentialHistogramPoint p : m.exponentialHistogramPoints()) {
          h.addDataPoints(toProto(p));
        }
        b.setExponentialHistogram(h);
      }
      case SUMMARY -> {
        Summary.Builder s = Summary.newBuilder();
        for (SummaryPoint p : m.summaryPoints()) {
          s.addDataPoints(toProto(p));
        }
        b.setSummary(s);
      }
    }
    return b.build();
  }

  private static AggregationTemporality toProto(Temporality t) {
    return switch (t) {
      case DELTA -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      case CUMULATIVE -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case UNSPECIFIED -> AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
    };
  }

  private static NumberDataPoint toProto(NumberPoint p) {
    NumberDataPoint.Builder b = NumberDataPoint.newBuilder()
        .addAllAttributes(toKeyValues(p.attributes()))
        .setStartTimeUnixNano(p.startTimeNanos()).setTimeUnixNano(p.timeNanos()).setFlags(p.flags());
    if (p.isDouble()) {
      b.setAsDouble(p.doubleValue());
    } else {
      b.setAsInt(p.longValue());
    }
    for (Exemplar e : p.exemplars()) {
      b.addExemplars(toProto(e));
    }
    return b.build();
  }

  private static HistogramDataPoint toProto(HistogramPoint p) {
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder()
        .addAllAttributes(toKeyValues(p.attributes()))
        .setStartTimeUnixNano(p.startTimeNanos()).setTimeUnixNano(p.timeNanos()).setFlags(p.flags())
        .setCount(p.count());
    if (p.hasSum()) {
      b.setSum(p.sum());
    }
    if (p.hasMin()) {
      b.setMin(p.min());
    }
    if (p.hasMax()) {
      b.setMax(p.max());
    }
    for (double bound : p.bounds()) {
      b.addExplicitBounds(bound);
    }
    for (long c : p.bucketCounts()) {
      b.addBucketCounts(c);
    }
    for (Exemplar e : p.exemplars()) {
      b.addExemplars(toProto(e));
    }
    return b.build();
  }

  private static ExponentialHistogramDataPoint toProto(ExponentialHistogramPoint p) {
    ExponentialHistogramDataPoint.Builder b = ExponentialHistogramDataPoint.newBuilder()
        .addAllAttributes(toKeyValues(p.attributes()))
        .setStartTimeUnixNano(p.startTimeNanos()).setTimeUnixNano(p.timeNanos()).setFlags(p.flags())
        .setCount(p.count()).setScale(p.scale()).setZeroCount(p.zeroCount()).setZeroThreshold(p.zeroThreshold())
        .setPositive(buckets(p.positiveOffset(), p.positiveCounts()))
        .setNegative(buckets(p.negativeOffset(), p.negativeCounts()));
    if (p.hasSum()) {
      b.setSum(p.sum());
    }
    if (p.hasMin()) {
      b.setMin(p.min());
    }
    if (p.hasMax()) {
      b.setMax(p.max());
    }
    for (Exemplar e : p.exemplars()) {
      b.addExemplars(toProto(e));
    }
    return b.build();
  }

  private static ExponentialHistogramDataPoint.Buckets buckets(int offset, long[] counts) {
    ExponentialHistogramDataPoint.Buckets.Builder b = ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(offset);
    for (long c : counts) {
      b.addBucketCounts(c);
    }
    return b.build();
  }

  private static SummaryDataPoint toProto(SummaryPoint p) {
    SummaryDataPoint.Builder b = SummaryDataPoint.newBuilder()
        .addAllAttributes(toKeyValues(p.attributes()))
        .setStartTimeUnixNano(p.startTimeNanos()).setTimeUnixNano(p.timeNanos()).setFlags(p.flags())
        .setCount(p.count()).setSum(p.sum());
    double[] q = p.quantiles();
    double[] v = p.values();
    for (int i = 0; i < q.length; i++) {
      b.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q[i]).setValue(v[i]));
    }
    return b.build();
  }

  private static io.opentelemetry.proto.metrics.v1.Exemplar toProto(Exemplar e) {
    io.opentelemetry.proto.metrics.v1.Exemplar.Builder b = io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
        .addAllFilteredAttributes(toKeyValues(e.filteredAttributes()))
        .setTimeUnixNano(e.timeNanos());
    if (e.isDouble()) {
      b.setAsDouble(e.doubleValue());
    } else {
      b.setAsInt(e.longValue());
    }
    if (e.traceId() != null) {
      b.setTraceId(ByteString.copyFrom(e.traceId()));
    }
    if (e.spanId() != null) {
      b.setSpanId(ByteString.copyFrom(e.spanId()));
    }
    return b.build();
  }

  /** Attributes as OTLP key-values, in order. */
  public static List<KeyValue> toKeyValues(Attributes a) {
    List<KeyValue> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(KeyValue.newBuilder().setKey(a.key(i)).setValue(toAnyValue(a.value(i))).build());
    }
    return out;
  }

  /** An attribute value (String, Boolean, integer, floating, byte[], List, Map; null: unset). */
  public static AnyValue toAnyValue(Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v == null) {
      return b.build();
    }
    if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      b.setIntValue(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      b.setDoubleValue(((Number) v).doubleValue());
    } else if (v instanceof byte[] bytes) {
      b.setBytesValue(ByteString.copyFrom(bytes));
    } else if (v instanceof List<?> l) {
      ArrayValue.Builder arr = ArrayValue.newBuilder();
      for (Object o : l) {
        arr.addValues(toAnyValue(o));
      }
      b.setArrayValue(arr);
    } else if (v instanceof Map<?, ?> m) {
      KeyValueList.Builder kv = KeyValueList.newBuilder();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        kv.addValues(KeyValue.newBuilder().setKey(String.valueOf(e.getKey())).setValue(toAnyValue(e.getValue())));
      }
      b.setKvlistValue(kv);
    } else {
      b.setStringValue(String.valueOf(v));
    }
    return b.build();
  }

  // ---- from protobuf ----

  static ResourceMetrics fromProto(io.opentelemetry.proto.metrics.v1.ResourceMetrics rm) {
    ResourceMetrics r = new ResourceMetrics(fromKeyValues(rm.getResource().getAttributesList()));
    r.setSchemaUrl(rm.getSchemaUrl());
    for (io.opentelemetry.proto.metrics.v1.ScopeMetrics sm : rm.getScopeMetricsList()) {
      ScopeMetrics s = r.addScope(sm.getScope().getName(), sm.getScope().getVersion());
      s.setAttributes(fromKeyValues(sm.getScope().getAttributesList()));
      s.setSchemaUrl(sm.getSchemaUrl());
      for (io.opentelemetry.proto.metrics.v1.Metric m : sm.getMetricsList()) {
        Metric converted = fromProto(m);
        if (converted != null) {
          s.metrics().add(converted);
        }
      }
    }
    return r;
  }

  /** The metric, or null when its data is not set (it has no place in the model). */
  static Metric fromProto(io.opentelemetry.proto.metrics.v1.Metric pm) {
    Metric m;
    switch (pm.getDataCase()) {
      case GAUGE -> {
        m = new Metric(pm.getName(), MetricType.GAUGE);
        for (NumberDataPoint p : pm.getGauge().getDataPointsList()) {
          m.addPoint(fromProto(p));
        }
      }
      case SUM -> {
        Sum s = pm.getSum();
        m = Metric.sum(pm.getName(), fromProto(s.getAggregationTemporality()), s.getIsMonotonic());
        for (NumberDataPoint p : s.getDataPointsList()) {
          m.addPoint(fromProto(p));
        }
      }
      case HISTOGRAM -> {
        m = new Metric(pm.getName(), MetricType.HISTOGRAM);
        m.setTemporality(fromProto(pm.getHistogram().getAggregationTemporality()));
        for (HistogramDataPoint p : pm.getHistogram().getDataPointsList()) {
          m.addPoint(fromProto(p));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        m = new Metric(pm.getName(), MetricType.EXPONENTIAL_HISTOGRAM);
        m.setTemporality(fromProto(pm.getExponentialHistogram().getAggregationTemporality()));
        for (ExponentialHistogramDataPoint p : pm.getExponentialHistogram().getDataPointsList()) {
          m.addPoint(fromProto(p));
        }
      }
      case SUMMARY -> {
        m = new Metric(pm.getName(), MetricType.SUMMARY);
        for (SummaryDataPoint p : pm.getSummary().getDataPointsList()) {
          m.addPoint(fromProto(p));
        }
      }
      default -> {
        return null;
      }
    }
    m.setDescription(pm.getDescription());
    m.setUnit(pm.getUnit());
    if (pm.getMetadataCount() > 0) {
      m.metadata().putAll(fromKeyValues(pm.getMetadataList()));
    }
    return m;
  }

  private static Temporality fromProto(AggregationTemporality t) {
    return switch (t) {
      case AGGREGATION_TEMPORALITY_DELTA -> Temporality.DELTA;
      case AGGREGATION_TEMPORALITY_CUMULATIVE -> Temporality.CUMULATIVE;
      default -> Temporality.UNSPECIFIED;
    };
  }

  private static void common(DataPoint p, List<KeyValue> attrs, long start, long time, int flags,
      List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars) {
    p.setAttributes(fromKeyValues(attrs));
    p.setStartTimeNanos(start);
    p.setTimeNanos(time);
    p.setFlags(flags);
    for (io.opentelemetry.proto.metrics.v1.Exemplar e : exemplars) {
      p.addExemplar(fromProto(e));
    }
  }

  private static NumberPoint fromProto(NumberDataPoint pp) {
    NumberPoint p = new NumberPoint();
    common(p, pp.getAttributesList(), pp.getStartTimeUnixNano(), pp.getTimeUnixNano(), pp.getFlags(), pp.getExemplarsList());
    if (pp.getValueCase() == NumberDataPoint.ValueCase.AS_INT) {
      p.setLongValue(pp.getAsInt());
    } else {
      p.setDoubleValue(pp.getAsDouble());
    }
    return p;
  }

  private static HistogramPoint fromProto(HistogramDataPoint pp) {
    HistogramPoint p = new HistogramPoint();
    common(p, pp.getAttributesList(), pp.getStartTimeUnixNano(), pp.getTimeUnixNano(), pp.getFlags(), pp.getExemplarsList());
    p.setCount(pp.getCount());
    if (pp.hasSum()) {
      p.setSum(pp.getSum());
    }
    if (pp.hasMin()) {
      p.setMin(pp.getMin());
    }
    if (pp.hasMax()) {
      p.setMax(pp.getMax());
    }
    double[] bounds = new double[pp.getExplicitBoundsCount()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = pp.getExplicitBounds(i);
    }
    long[] counts = new long[pp.getBucketCountsCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = pp.getBucketCounts(i);
    }
    p.setBounds(bounds);
    p.setBucketCounts(counts);
    return p;
  }

  private static ExponentialHistogramPoint fromProto(ExponentialHistogramDataPoint pp) {
    ExponentialHistogramPoint p = new ExponentialHistogramPoint();
    common(p, pp.getAttributesList(), pp.getStartTimeUnixNano(), pp.getTimeUnixNano(), pp.getFlags(), pp.getExemplarsList());
    p.setCount(pp.getCount());
    if (pp.hasSum()) {
      p.setSum(pp.getSum());
    }
    if (pp.hasMin()) {
      p.setMin(pp.getMin());
    }
    if (pp.hasMax()) {
      p.setMax(pp.getMax());
    }
    p.setScale(pp.getScale());
    p.setZeroCount(pp.getZeroCount());
    p.setZeroThreshold(pp.getZeroThreshold());
    p.setPositive(pp.getPositive().getOffset(), counts(pp.getPositive()));
    p.setNegative(pp.getNegative().getOffset(), counts(pp.getNegative()));
    return p;
  }

  private static long[] counts(ExponentialHistogramDataPoint.Buckets b) {
    long[] c = new long[b.getBucketCountsCount()];
    for (int i = 0; i < c.length; i++) {
      c[i] = b.getBucketCounts(i);
    }
    return c;
  }

  private static SummaryPoint fromProto(SummaryDataPoint pp) {
    SummaryPoint p = new SummaryPoint();
    common(p, pp.getAttributesList(), pp.getStartTimeUnixNano(), pp.getTimeUnixNano(), pp.getFlags(), List.of());
    p.setCount(pp.getCount());
    p.setSum(pp.getSum());
    int n = pp.getQuantileValuesCount();
    double[] q = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      q[i] = pp.getQuantileValues(i).getQuantile();
      v[i] = pp.getQuantileValues(i).getValue();
    }
    p.setQuantiles(q, v);
    return p;
  }

  private static Exemplar fromProto(io.opentelemetry.proto.metrics.v1.Exemplar pe) {
    Exemplar e = new Exemplar();
    e.setFilteredAttributes(fromKeyValues(pe.getFilteredAttributesList()));
    e.setTimeNanos(pe.getTimeUnixNano());
    if (pe.getValueCase() == io.opentelemetry.proto.metrics.v1.Exemplar.ValueCase.AS_INT) {
      e.setLongValue(pe.getAsInt());
    } else {
      e.setDoubleValue(pe.getAsDouble());
    }
    if (!pe.getTraceId().isEmpty()) {
      e.setTraceId(pe.getTraceId().toByteArray());
    }
    if (!pe.getSpanId().isEmpty()) {
      e.setSpanId(pe.getSpanId().toByteArray());
    }
    return e;
  }

  /** OTLP key-values as attributes, in order; keys with an unset value are skipped. */
  public static Attributes fromKeyValues(List<KeyValue> kvs) {
    Attributes a = new Attributes(kvs.size());
    for (KeyValue kv : kvs) {
      Object v = fromAnyValue(kv.getValue());
      if (v != null) {
        a.put(kv.getKey(), v);
      }
    }
    return a;
  }

  /** The Java form of an OTLP value (see {@link Attributes}); null when unset. */
  public static Object fromAnyValue(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> v.getBytesValue().toByteArray();
      case ARRAY_VALUE -> {
        List<Object> l = new ArrayList<>(v.getArrayValue().getValuesCount());
        for (AnyValue x : v.getArrayValue().getValuesList()) {
          l.add(fromAnyValue(x));
        }
        yield l;
      }
      case KVLIST_VALUE -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          m.put(kv.getKey(), fromAnyValue(kv.getValue()));
        }
        yield m;
      }
      default -> null;
    };
  }
}
