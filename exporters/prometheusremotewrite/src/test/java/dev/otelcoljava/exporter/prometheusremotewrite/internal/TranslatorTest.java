package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.exporter.prometheusremotewrite.internal.proto.Remote;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.proto.Types;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TranslatorTest {
  static final long T = 1_700_000_000_123L * 1_000_000L;

  static Translator translator(Map<String, String> ext) {
    return new Translator(new Translator.Settings("", true, new TreeMap<>(ext), false, false, true, false));
  }

  static MetricsBatch batch() {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of("service.name", "api", "service.namespace", "shop", "service.instance.id", "i-1", "host.name", "h1"))
        .addScope("io.lib", "1.0");
    Metric c = Metric.sum("http.server.requests", Temporality.CUMULATIVE, true);
    c.addPoint(NumberPoint.ofLong(Attributes.of("http.method", "GET", "9lives", "x", "_under", "u", "empty", ""), 0, T, 7));
    s.metrics().add(c);
    Metric g = Metric.gauge("cpu.utilization");
    g.setUnit("1");
    NumberPoint stale = NumberPoint.ofDouble(Attributes.of(), 0, T, 0);
    stale.setNoRecordedValue(true);
    g.addPoint(stale);
    s.metrics().add(g);
    Metric ud = Metric.sum("queue.depth", Temporality.CUMULATIVE, false);
    ud.setUnit("{items}");
    ud.addPoint(NumberPoint.ofDouble(Attributes.of("a.b", "1", "a_b", "2"), 0, T, 3));
    s.metrics().add(ud);
    Metric delta = Metric.sum("delta.sum", Temporality.DELTA, true);
    delta.addPoint(NumberPoint.ofDouble(Attributes.of(), 0, T, 1));
    s.metrics().add(delta);
    Metric h = new Metric("rpc.latency", MetricType.HISTOGRAM);
    h.setUnit("ms");
    HistogramPoint hp = new HistogramPoint();
    hp.setTimeNanos(T);
    hp.setBounds(new double[] {0.5, 10});
    hp.setBucketCounts(new long[] {1, 2, 3});
    hp.setCount(6);
    hp.setSum(42.5);
    h.addPoint(hp);
    s.metrics().add(h);
    Metric bw = Metric.sum("net.io", Temporality.CUMULATIVE, true);
    bw.setUnit("By/s");
    bw.addPoint(NumberPoint.ofDouble(Attributes.of(), 0, T, 5));
    s.metrics().add(bw);
    return b;
  }

  static List<String> text(SeriesSet set) {
    List<String> out = new ArrayList<>();
    for (PromSeries s : set.series()) {
      StringBuilder sb = new StringBuilder(s.labelsText());
      for (int i = 0; i < s.sampleCount(); i++) {
        double v = s.value(i);
        sb.append(' ').append(Double.doubleToRawLongBits(v) == Translator.STALE_NAN_BITS ? "StaleNaN" : NameRules.formatFloat(v)).append('@').append(s.timestamp(i));
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void translate_matchesContribRules() {
    Translator.Result r = translator(Map.of("cluster", "c1", "job", "ignored")).translate(batch());
    String scope = "otel_scope_name=\"io.lib\", otel_scope_version=\"1.0\"";
    String id = "instance=\"i-1\", job=\"shop/api\"";
    assertThat(text(r.series())).containsExactly(
        "{__name__=\"http_server_requests_total\", _under=\"u\"".replace("_under", "key_under").replace("{__name__=\"http_server_requests_total\", key_under=\"u\"",
            "{__name__=\"http_server_requests_total\", cluster=\"c1\", http_method=\"GET\", " + id + ", key_9lives=\"x\", key_under=\"u\", " + scope) + "} 7@1700000000123",
        "{__name__=\"cpu_utilization_ratio\", cluster=\"c1\", " + id + ", " + scope + "} StaleNaN@1700000000123",
        "{__name__=\"queue_depth\", a_b=\"1;2\", cluster=\"c1\", " + id + ", " + scope + "} 3@1700000000123",
        "{__name__=\"rpc_latency_milliseconds_sum\", cluster=\"c1\", " + id + ", " + scope + "} 42.5@1700000000123",
        "{__name__=\"rpc_latency_milliseconds_count\", cluster=\"c1\", " + id + ", " + scope + "} 6@1700000000123",
        "{__name__=\"rpc_latency_milliseconds_bucket\", cluster=\"c1\", " + id + ", le=\"0.5\", " + scope + "} 1@1700000000123",
        "{__name__=\"rpc_latency_milliseconds_bucket\", cluster=\"c1\", " + id + ", le=\"10\", " + scope + "} 3@1700000000123",
        "{__name__=\"rpc_latency_milliseconds_bucket\", cluster=\"c1\", " + id + ", le=\"+Inf\", " + scope + "} 6@1700000000123",
        "{__name__=\"net_io_bytes_per_second_total\", cluster=\"c1\", " + id + ", " + scope + "} 5@1700000000123",
        "{__name__=\"target_info\", cluster=\"c1\", host_name=\"h1\", " + id + "} 1@1700000000123");
    assertThat(r.errors()).containsExactly("invalid temporality and type combination for metric \"delta.sum\"");
  }

  @Test
  void translate_labelNamesThatMeetAfterSanitizing_joinInKeyOrder_whicheverComesFirst() {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of()).addScope("", "");
    Metric g = Metric.gauge("g");
    // a clean key sorted before the one sanitized onto it, and the other way round
    g.addPoint(NumberPoint.ofDouble(Attributes.of("z", "3", "a~b", "2", "a_b", "1", "c.d", "4", "c_d", "5", "c0", "6"), 0, T, 1));
    s.metrics().add(g);
    Translator.Result r = translator(Map.of()).translate(b);
    assertThat(text(r.series())).containsExactly(
        "{__name__=\"g\", a_b=\"1;2\", c0=\"6\", c_d=\"4;5\", z=\"3\"} 1@1700000000123");
  }

  @Test
  void translate_pointsWithChangingAttributeKeys_eachSortedAndLabelledRight() {
    // The translator reuses the last point's key order and sanitized names while the keys are the
    // same strings; here they change from point to point, come back, go empty and collide.
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of("service.name", "api")).addScope("", "");
    Metric g = Metric.gauge("g");
    g.addPoint(NumberPoint.ofDouble(Attributes.of("b", "1", "a", "2"), 0, T, 1));
    g.addPoint(NumberPoint.ofDouble(Attributes.of("b", "3", "a", "4"), 0, T, 2));
    g.addPoint(NumberPoint.ofDouble(Attributes.of("c", "5", "a", "6"), 0, T, 3));
    g.addPoint(NumberPoint.ofDouble(Attributes.of("b", "7", "a", ""), 0, T, 4));
    g.addPoint(NumberPoint.ofDouble(Attributes.of("b.x", "8", "b_x", "9"), 0, T, 5));
    g.addPoint(NumberPoint.ofDouble(Attributes.of("b", "10", "a", "11"), 0, T, 6));
    g.addPoint(NumberPoint.ofDouble(Attributes.of("zz", "\u00e9", "a", "12"), 0, T, 7));
    g.addPoint(NumberPoint.ofDouble(Attributes.of("zz", "e", "a", "13"), 0, T, 8));
    s.metrics().add(g);
    Translator.Result r = translator(Map.of("d", "ext")).translate(b);
    assertThat(text(r.series())).containsExactly(
        "{__name__=\"g\", a=\"2\", b=\"1\", d=\"ext\", job=\"api\"} 1@1700000000123",
        "{__name__=\"g\", a=\"4\", b=\"3\", d=\"ext\", job=\"api\"} 2@1700000000123",
        "{__name__=\"g\", a=\"6\", c=\"5\", d=\"ext\", job=\"api\"} 3@1700000000123",
        "{__name__=\"g\", b=\"7\", d=\"ext\", job=\"api\"} 4@1700000000123",
        "{__name__=\"g\", b_x=\"8;9\", d=\"ext\", job=\"api\"} 5@1700000000123",
        "{__name__=\"g\", a=\"11\", b=\"10\", d=\"ext\", job=\"api\"} 6@1700000000123",
        "{__name__=\"g\", a=\"12\", d=\"ext\", job=\"api\", zz=\"\u00e9\"} 7@1700000000123",
        "{__name__=\"g\", a=\"13\", d=\"ext\", job=\"api\", zz=\"e\"} 8@1700000000123");
    List<PromSeries> series = r.series().series();
    // series with the same label names share one names array; the size is known only for ASCII
    assertThat(series.get(1).labelNames()).isSameAs(series.get(0).labelNames());
    assertThat(series.get(5).labelNames()).isNotSameAs(series.get(0).labelNames()).containsExactly(series.get(0).labelNames());
    assertThat(series.get(6).asciiLabelsSize).isEqualTo(-1);
    assertThat(series.get(7).labelNames()).isSameAs(series.get(6).labelNames());
    assertThat(series.get(7).asciiLabelsSize).isEqualTo((int) (SeriesSet.labelsHashAndSize(series.get(7).names, series.get(7).values) >> 32)).isPositive();
    // the encoded labels are those of a fresh translation of each point alone
    for (int i = 0; i < series.size(); i++) {
      PromSeries one = series.get(i);
      ByteBuf a = new ByteBuf(16);
      WireEncoder.writeSeries(one, a);
      SeriesSet alone = new SeriesSet();
      PromSeries copy = alone.series(one.names.clone(), one.values.clone());
      copy.addSample(one.value(0), one.timestamp(0));
      ByteBuf c = new ByteBuf(16);
      WireEncoder.writeSeries(copy, c);
      assertThat(java.util.Arrays.copyOf(a.array(), a.length())).isEqualTo(java.util.Arrays.copyOf(c.array(), c.length()));
    }
  }

  /** A point of rpc.latency for route /r{i}: bounds 0.5 and 10, buckets 1, 2, 3, sum 42.5. */
  static HistogramPoint routeHistogramPoint(int i) {
    HistogramPoint hp = new HistogramPoint();
    hp.setAttributes(Attributes.of("route", "/r" + i));
    hp.setTimeNanos(T);
    hp.setBounds(new double[] {0.5, 10});
    hp.setBucketCounts(new long[] {1, 2, 3});
    hp.setCount(6);
    hp.setSum(42.5);
    return hp;
  }

  @Test
  void histogramExemplars_goToTheBucketOfTheirValue_pointsWithoutExemplarsGetNone() {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of("service.name", "api")).addScope("", "");
    Metric h = new Metric("rpc.latency", MetricType.HISTOGRAM);
    for (int i = 0; i < 2; i++) {
      HistogramPoint hp = routeHistogramPoint(i);
      if (i == 1) {
        for (double v : new double[] {0.5, 7, 11}) {
          Exemplar e = new Exemplar();
          e.setDoubleValue(v);
          e.setTimeNanos(T);
          hp.addExemplar(e);
        }
      }
      h.addPoint(hp);
    }
    s.metrics().add(h);
    Map<String, List<Double>> byLe = new TreeMap<>();
    for (PromSeries ps : translator(Map.of()).translate(b).series().series()) {
      String text = ps.labelsText();
      if (!text.contains("_bucket")) {
        assertThat(ps.exemplars()).as(text).isEmpty();
        continue;
      }
      List<Double> values = new ArrayList<>();
      for (PromSeries.PromExemplar e : ps.exemplars()) {
        values.add(e.value());
      }
      byLe.put(text, values);
    }
    assertThat(byLe).hasSize(6);
    byLe.forEach((text, values) -> {
      if (text.contains("/r0")) {
        assertThat(values).as(text).isEmpty();
      } else if (text.contains("le=\"0.5\"")) {
        assertThat(values).as(text).containsExactly(0.5);
      } else if (text.contains("le=\"10\"")) {
        assertThat(values).as(text).containsExactly(7.0);
      } else {
        assertThat(values).as(text).containsExactly(11.0);
      }
    });
  }

  @Test
  void expectedSeries_countsEveryBucketAndQuantileSeries_soTheSetIsSizedOnce() {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of("service.name", "api")).addScope("", "");
    Metric h = new Metric("rpc.latency", MetricType.HISTOGRAM);
    for (int i = 0; i < 2; i++) {
      HistogramPoint hp = routeHistogramPoint(i);
      h.addPoint(hp);
    }
    s.metrics().add(h);
    Metric q = new Metric("rpc.duration", MetricType.SUMMARY);
    SummaryPoint sp = new SummaryPoint();
    sp.setTimeNanos(T);
    sp.setCount(3);
    sp.setSum(1.5);
    sp.setQuantiles(new double[] {0.5, 0.9}, new double[] {0.4, 0.8});
    q.addPoint(sp);
    s.metrics().add(q);
    Metric g = Metric.gauge("temp");
    for (int i = 0; i < 3; i++) {
      g.addPoint(NumberPoint.ofDouble(Attributes.of("room", "r" + i), 0, T, i));
    }
    s.metrics().add(g);
    assertThat(Translator.expectedSeries(h)).isEqualTo(2 * (2 + 3));
    assertThat(Translator.expectedSeries(q)).isEqualTo(2 + 2);
    assertThat(Translator.expectedSeries(g)).isEqualTo(3);
    Translator t = new Translator(new Translator.Settings("", true, Map.of(), false, false, false, false));
    assertThat(t.translate(b).series().size()).as("no series repeats another here: the estimate is exact").isEqualTo(10 + 4 + 3);
  }

  @Test
  void seriesSet_mergesEqualLabelSets_keepsHashCollisionsApart_andGrows() {
    SeriesSet set = new SeriesSet(1);
    // "Aa" and "BB" have the same String.hashCode, so these label sets have the same label hash
    PromSeries aa = set.series(new String[] {"k"}, new String[] {"Aa"});
    PromSeries bb = set.series(new String[] {"k"}, new String[] {"BB"});
    assertThat(bb.hash()).isEqualTo(aa.hash());
    assertThat(bb).isNotSameAs(aa);
    for (int i = 0; i < 5000; i++) {
      set.series(new String[] {"i", "k"}, new String[] {Integer.toString(i), "v"});
    }
    assertThat(set.series(new String[] {"k"}, new String[] {new String("BB")})).isSameAs(bb);
    assertThat(set.series(new String[] {"k"}, new String[] {"Aa"})).isSameAs(aa);
    for (int i = 0; i < 5000; i++) {
      assertThat(set.series(new String[] {"i", "k"}, new String[] {Integer.toString(i), "v"}).values[0]).isEqualTo(Integer.toString(i));
    }
    assertThat(set.size()).isEqualTo(5002);
    assertThat(set.series().get(0)).isSameAs(aa);
    assertThat(set.series().get(1)).isSameAs(bb);
    assertThat(set.series().get(5001).values[0]).isEqualTo("4999");
    // The list is read-only: the table indexes positions in it.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> set.series().remove(0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(set.series(new String[] {"k"}, new String[] {"BB"})).isSameAs(bb);
  }

  @Test
  void layout_exponentialBucketsBecomeSpansAndDeltas() {
    Translator.Layout l = Translator.layout(-1, new long[] {2, 0, 0, 0, 0, 1, 3}, 0);
    assertThat(l.offsets()).containsExactly(0, 4);
    assertThat(l.lengths()).containsExactly(1, 2);
    assertThat(l.deltas()).containsExactly(2, -1, 2);
  }

  @Test
  void encode_matchesGeneratedClassesByteForByte() throws Exception {
    MetricsBatch b = batch();
    Metric e = new Metric("exp", MetricType.EXPONENTIAL_HISTOGRAM);
    ExponentialHistogramPoint p = new ExponentialHistogramPoint();
    p.setTimeNanos(T);
    p.setScale(3);
    p.setCount(9);
    p.setSum(12.5);
    p.setZeroCount(1);
    p.setPositive(2, new long[] {1, 2, 0, 0, 0, 5});
    p.setNegative(-3, new long[] {0, 0});
    e.addPoint(p);
    b.resourceMetrics().get(0).scopeMetrics().get(0).metrics().add(e);
    SeriesSet set = translator(Map.of()).translate(b).series();
    ByteBuf out = new ByteBuf(16);
    for (PromSeries s : set.series()) {
      WireEncoder.writeSeries(s, out);
    }
    Remote.WriteRequest.Builder expected = Remote.WriteRequest.newBuilder();
    for (PromSeries s : set.series()) {
      Types.TimeSeries.Builder ts = Types.TimeSeries.newBuilder();
      for (int i = 0; i < s.labelNames().length; i++) {
        ts.addLabels(Types.Label.newBuilder().setName(s.labelNames()[i]).setValue(s.labelValues()[i]));
      }
      for (int i = 0; i < s.sampleCount(); i++) {
        ts.addSamples(Types.Sample.newBuilder().setValue(s.value(i)).setTimestamp(s.timestamp(i)));
      }
      for (PromSeries.NativeHistogram h : s.histograms()) {
        Types.Histogram.Builder hb = Types.Histogram.newBuilder().setCountInt(h.countBits).setSum(h.sum).setSchema(h.schema)
            .setZeroThreshold(h.zeroThreshold).setZeroCountInt(h.zeroCount).setTimestamp(h.timestamp);
        for (int i = 0; i < h.posSpanOffsets.length; i++) {
          hb.addPositiveSpans(Types.BucketSpan.newBuilder().setOffset(h.posSpanOffsets[i]).setLength(h.posSpanLengths[i]));
        }
        for (long d : h.posDeltas) {
          hb.addPositiveDeltas(d);
        }
        ts.addHistograms(hb);
      }
      expected.addTimeseries(ts);
    }
    assertThat(out.toByteArray()).isEqualTo(expected.build().toByteArray());
    Remote.WriteRequest decoded = Remote.WriteRequest.parseFrom(out.toByteArray());
    assertThat(decoded.getTimeseriesCount()).isEqualTo(set.size());
    Types.Histogram h = decoded.getTimeseries(set.size() - 2).getHistograms(0);
    assertThat(h.getSchema()).isEqualTo(3);
    assertThat(h.getPositiveDeltasList()).containsExactly(1L, 1L, 3L);
  }
}
