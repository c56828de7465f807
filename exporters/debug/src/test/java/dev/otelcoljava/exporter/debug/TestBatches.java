package dev.otelcoljava.exporter.debug;

import dev.otelcoljava.runtime.api.data.Attributes;
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
import java.util.List;
import java.util.Map;

/** Batches for golden tests; "all types" mirrors the data of otelcol's own debug exporter test. */
final class TestBatches {
  static final long START = 1581452772_000000321L; // 2020-02-11 20:26:12.000000321 UTC
  static final long TIME = 1581452773_000000789L; // 2020-02-11 20:26:13.000000789 UTC
  static final long EXEMPLAR_TIME = 1581452773_000000123L;

  private TestBatches() {}

  static MetricsBatch allTypes() {
    MetricsBatch b = new MetricsBatch();
    ResourceMetrics rm = b.addResource(Attributes.of("resource-attr", "resource-attr-val-1"));
    ScopeMetrics sm = rm.addScope("", "");
    Attributes l1 = Attributes.of("label-1", "label-value-1");
    Attributes l2 = Attributes.of("label-2", "label-value-2");
    Attributes l12 = Attributes.of("label-1", "label-value-1", "label-2", "label-value-2");
    Attributes l13 = Attributes.of("label-1", "label-value-1", "label-3", "label-value-3");

    Metric gi = unit(Metric.gauge("gauge-int"));
    gi.addPoint(NumberPoint.ofLong(l1.copy(), START, TIME, 123)).addPoint(NumberPoint.ofLong(l2.copy(), START, TIME, 456));
    Metric gd = unit(Metric.gauge("gauge-double"));
    gd.addPoint(NumberPoint.ofDouble(l12.copy(), START, TIME, 1.23)).addPoint(NumberPoint.ofDouble(l13.copy(), START, TIME, 4.56));
    Metric si = unit(Metric.sum("sum-int", Temporality.CUMULATIVE, true));
    si.addPoint(NumberPoint.ofLong(l1.copy(), START, TIME, 123)).addPoint(NumberPoint.ofLong(l2.copy(), START, TIME, 456));
    Metric sd = unit(Metric.sum("sum-double", Temporality.CUMULATIVE, true));
    sd.addPoint(NumberPoint.ofDouble(l12.copy(), START, TIME, 1.23)).addPoint(NumberPoint.ofDouble(l13.copy(), START, TIME, 4.56));

    Metric h = unit(new Metric("histogram", MetricType.HISTOGRAM));
    HistogramPoint h0 = common(new HistogramPoint(), l13);
    h0.setCount(1);
    h0.setSum(15);
    HistogramPoint h1 = common(new HistogramPoint(), l2);
    h1.setCount(1);
    h1.setSum(15);
    h1.setMin(15);
    h1.setMax(15);
    h1.setBounds(new double[] {1});
    h1.setBucketCounts(new long[] {0, 1});
    Exemplar e = exemplar();
    e.setDoubleValue(15);
    h1.addExemplar(e);
    h.addPoint(h0).addPoint(h1);

    Metric eh = unit(new Metric("exponential-histogram", MetricType.EXPONENTIAL_HISTOGRAM));
    eh.setTemporality(Temporality.DELTA);
    ExponentialHistogramPoint e0 = common(new ExponentialHistogramPoint(), l13);
    e0.setCount(5);
    e0.setSum(0.15);
    e0.setScale(1);
    e0.setZeroCount(1);
    e0.setNegative(-1, new long[] {1, 1});
    e0.setPositive(1, new long[] {1, 1});
    ExponentialHistogramPoint e1 = common(new ExponentialHistogramPoint(), l2);
    e1.setCount(3);
    e1.setSum(1.25);
    e1.setMin(0);
    e1.setMax(1);
    e1.setScale(-1);
    e1.setZeroCount(1);
    e1.setPositive(-1, new long[] {1, 1});
    Exemplar ei = exemplar();
    ei.setLongValue(15);
    e1.addExemplar(ei);
    eh.addPoint(e0).addPoint(e1);

    Metric s = unit(new Metric("summary", MetricType.SUMMARY));
    SummaryPoint s0 = common(new SummaryPoint(), l13);
    s0.setCount(1);
    s0.setSum(15);
    SummaryPoint s1 = common(new SummaryPoint(), l2);
    s1.setCount(1);
    s1.setSum(15);
    s1.setQuantiles(new double[] {0.01}, new double[] {15});
    s.addPoint(s0).addPoint(s1);

    sm.metrics().addAll(List.of(gi, gd, si, sd, h, eh, s));
    return b;
  }

  /** A scrape-shaped batch: scope with version, schema URLs, metadata, value kinds, a stale point. */
  static MetricsBatch scrapeLike() {
    MetricsBatch b = new MetricsBatch();
    ResourceMetrics rm = b.addResource(Attributes.of("service.name", "node", "service.instance.id", "127.0.0.1:9100"));
    rm.setSchemaUrl("https://opentelemetry.io/schemas/1.9.0");
    ScopeMetrics sm = rm.addScope("otelcol/prometheusreceiver", "0.1.0");
    sm.attributes().put("scope.kind", "scrape");
    Metric up = Metric.gauge("up");
    up.metadata().put("prometheus.type", "gauge");
    up.addPoint(NumberPoint.ofDouble(new Attributes(), 0, 1_700_000_000_500_000_000L, 1));
    Metric c = Metric.sum("http_requests_total", Temporality.CUMULATIVE, true);
    c.setDescription("Requests served.");
    NumberPoint big = NumberPoint.ofDouble(Attributes.of("code", "200", "ok", true, "n", 7L, "ratio", 0.25,
        "tags", List.of("a", 2L), "m", Map.of("k", "v")), 1_700_000_000_000_000_000L, 1_700_000_000_500_000_000L, 1234567.0);
    NumberPoint stale = NumberPoint.ofDouble(Attributes.of("code", "500"), 1_700_000_000_000_000_000L,
        1_700_000_000_500_000_000L, Double.longBitsToDouble(0x7ff0000000000002L));
    stale.setNoRecordedValue(true);
    c.addPoint(big).addPoint(stale);
    sm.metrics().addAll(List.of(up, c));
    return b;
  }

  private static Metric unit(Metric m) {
    m.setUnit("1");
    return m;
  }

  private static <P extends dev.otelcoljava.runtime.api.data.DataPoint> P common(P p, Attributes a) {
    p.setAttributes(a.copy());
    p.setStartTimeNanos(START);
    p.setTimeNanos(TIME);
    return p;
  }

  private static Exemplar exemplar() {
    Exemplar e = new Exemplar();
    e.setTraceId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    e.setSpanId(new byte[] {0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18});
    e.setTimeNanos(EXEMPLAR_TIME);
    e.setFilteredAttributes(Attributes.of("exemplar-attachment", "exemplar-attachment-value"));
    return e;
  }
}
