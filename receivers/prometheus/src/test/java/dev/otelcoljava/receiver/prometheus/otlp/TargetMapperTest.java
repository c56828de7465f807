package dev.otelcoljava.receiver.prometheus.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.RelabelConfig;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetMapperTest {
  static final String TEXT = "text/plain; version=0.0.4";
  static final String OM = "application/openmetrics-text; version=1.0.0";
  static final long MS = 1_000_000L;

  static MapperSettings settings(boolean honorLabels, List<RelabelConfig> metricRelabel, long sampleLimit,
      long labelLimit) {
    return new MapperSettings(Labels.of("job", "test", "instance", "localhost:8080", "env", "dev"),
        Labels.of("__scheme__", "http", "__address__", "localhost:8080", "__meta_kubernetes_pod_name", "p1"),
        honorLabels, true, false, metricRelabel, sampleLimit, labelLimit, 0, 0, Labels.EMPTY, TEXT, "1.2.3", false,
        Duration.ofSeconds(15));
  }

  static TargetMapper mapper() {
    return new TargetMapper(settings(false, List.of(), 0, 0));
  }

  static MetricsBatch scrape(TargetMapper m, long timeMs, String body, String contentType) throws ScrapeException {
    m.beginScrape(timeMs);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    m.appendBody(b, b.length, contentType);
    return m.commit(new TargetMapper.Report(true, 0.25));
  }

  static Metric metric(MetricsBatch b, String name) {
    for (ResourceMetrics r : b.resourceMetrics()) {
      for (ScopeMetrics s : r.scopeMetrics()) {
        for (Metric m : s.metrics()) {
          if (m.name().equals(name)) {
            return m;
          }
        }
      }
    }
    return null;
  }

  @Test
  void commit_mapsCounterGaugeUntypedWithResourceAndScope() throws Exception {
    MetricsBatch b = scrape(mapper(), 1000, """
        # HELP http_requests_total Total requests.
        # TYPE http_requests_total counter
        http_requests_total{code="200",method="get"} 1027
        http_requests_total{code="400",method="post"} 3
        # TYPE temp gauge
        temp{empty=""} 21.5
        untyped_metric{a="b"} 7
        """, TEXT);
    assertThat(b.resourceMetrics()).hasSize(1);
    ResourceMetrics r = b.resourceMetrics().get(0);
    assertThat(r.resource()).isEqualTo(Attributes.of("service.name", "test", "service.instance.id", "localhost:8080",
        "server.port", "8080", "url.scheme", "http", "k8s.pod.name", "p1"));
    assertThat(r.scopeMetrics()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo(TargetMapper.SCOPE_NAME);
      assertThat(s.version()).isEqualTo("1.2.3");
    });
    Metric c = metric(b, "http_requests_total");
    assertThat(c.type()).isEqualTo(MetricType.SUM);
    assertThat(c.monotonic()).isTrue();
    assertThat(c.temporality()).isEqualTo(Temporality.CUMULATIVE);
    assertThat(c.description()).isEqualTo("Total requests.");
    assertThat(c.metadata().getString("prometheus.type")).isEqualTo("counter");
    assertThat(c.numberPoints()).extracting(NumberPoint::attributes, NumberPoint::value, NumberPoint::startTimeNanos,
            NumberPoint::timeNanos)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Attributes.of("code", "200", "env", "dev", "method", "get"), 1027.0,
                1000 * MS, 1000 * MS),
            org.assertj.core.groups.Tuple.tuple(Attributes.of("code", "400", "env", "dev", "method", "post"), 3.0,
                1000 * MS, 1000 * MS));
    Metric g = metric(b, "temp");
    assertThat(g.type()).isEqualTo(MetricType.GAUGE);
    assertThat(g.numberPoints()).singleElement().satisfies(p -> {
      assertThat(p.value()).isEqualTo(21.5);
      assertThat(p.attributes()).isEqualTo(Attributes.of("env", "dev"));
      assertThat(p.startTimeNanos()).isZero();
    });
    Metric u = metric(b, "untyped_metric");
    assertThat(u.type()).isEqualTo(MetricType.GAUGE);
    assertThat(u.metadata().getString("prometheus.type")).isEqualTo("unknown");
    assertThat(metric(b, "up").numberPoints().get(0).value()).isEqualTo(1.0);
    assertThat(metric(b, "scrape_samples_scraped").numberPoints().get(0).value()).isEqualTo(4.0);
    assertThat(metric(b, "scrape_samples_post_metric_relabeling").numberPoints().get(0).value()).isEqualTo(4.0);
    assertThat(metric(b, "scrape_series_added").numberPoints().get(0).value()).isEqualTo(4.0);
    assertThat(metric(b, "scrape_duration_seconds").numberPoints().get(0).value()).isEqualTo(0.25);
    assertThat(metric(b, "scrape_duration_seconds").unit()).isEqualTo("s");
    assertThat(metric(b, "up").numberPoints().get(0).attributes()).isEqualTo(Attributes.of("env", "dev"));
  }

  @Test
  void commit_mapsHistogramAndSummary() throws Exception {
    MetricsBatch b = scrape(mapper(), 2000, """
        # TYPE rpc_seconds histogram
        rpc_seconds_bucket{le="0.1"} 2
        rpc_seconds_bucket{le="0.5"} 5
        rpc_seconds_bucket{le="+Inf"} 6
        rpc_seconds_sum 1.5
        rpc_seconds_count 6
        # TYPE lat summary
        lat{quantile="0.5"} 0.2
        lat{quantile="0.99"} 0.9
        lat_sum 12
        lat_count 40
        """, TEXT);
    Metric h = metric(b, "rpc_seconds");
    assertThat(h.type()).isEqualTo(MetricType.HISTOGRAM);
    HistogramPoint hp = h.histogramPoints().get(0);
    assertThat(hp.bounds()).containsExactly(0.1, 0.5);
    assertThat(hp.bucketCounts()).containsExactly(2, 3, 1);
    assertThat(hp.count()).isEqualTo(6);
    assertThat(hp.sum()).isEqualTo(1.5);
    assertThat(hp.attributes()).isEqualTo(Attributes.of("env", "dev"));
    assertThat(hp.startTimeNanos()).isEqualTo(2000 * MS);
    Metric s = metric(b, "lat");
    assertThat(s.type()).isEqualTo(MetricType.SUMMARY);
    SummaryPoint sp = s.summaryPoints().get(0);
    assertThat(sp.quantiles()).containsExactly(0.5, 0.99);
    assertThat(sp.values()).containsExactly(0.2, 0.9);
    assertThat(sp.count()).isEqualTo(40);
    assertThat(sp.sum()).isEqualTo(12);
  }

  @Test
  void commit_openMetricsCreatedInfoUnitAndTargetInfo() throws Exception {
    MetricsBatch b = scrape(mapper(), 3000, """
        # TYPE foo counter
        # HELP foo A counter.
        foo_total 17.0
        foo_created 1520430000.5
        # TYPE req_seconds histogram
        # UNIT req_seconds seconds
        req_seconds_bucket{le="1.0"} 1
        req_seconds_bucket{le="+Inf"} 3
        req_seconds_count 3
        req_seconds_sum 4.5
        req_seconds_created 1520430001
        # TYPE build info
        build_info{version="1.0"} 1
        # TYPE target info
        target_info{region="eu",job="test",instance="localhost:8080"} 1
        # EOF
        """, OM);
    Metric foo = metric(b, "foo_total");
    assertThat(foo.type()).isEqualTo(MetricType.SUM);
    assertThat(foo.description()).isEqualTo("A counter.");
    assertThat(foo.numberPoints()).singleElement().satisfies(p -> {
      assertThat(p.value()).isEqualTo(17.0);
      assertThat(p.startTimeNanos()).isEqualTo(1_520_430_000_500_000_000L);
    });
    assertThat(metric(b, "foo_created")).isNull();
    Metric h = metric(b, "req_seconds");
    assertThat(h.unit()).isEqualTo("s");
    assertThat(h.histogramPoints().get(0).startTimeNanos()).isEqualTo(1_520_430_001_000_000_000L);
    Metric info = metric(b, "build");
    assertThat(info.type()).isEqualTo(MetricType.SUM);
    assertThat(info.monotonic()).isFalse();
    assertThat(info.numberPoints().get(0).attributes()).isEqualTo(Attributes.of("env", "dev", "version", "1.0"));
    assertThat(metric(b, "target_info")).isNull();
    assertThat(b.resourceMetrics()).singleElement()
        .satisfies(r -> assertThat(r.resource().getString("region")).isEqualTo("eu"));
  }

  @Test
  void commit_honorLabelsFalseRenamesClashesToExported() throws Exception {
    MetricsBatch b = scrape(mapper(), 1000, "m{job=\"other\",instance=\"x\",env=\"e\"} 1\n", TEXT);
    assertThat(metric(b, "m").numberPoints().get(0).attributes()).isEqualTo(
        Attributes.of("env", "dev", "exported_env", "e", "exported_instance", "x", "exported_job", "other"));
    assertThat(b.resourceMetrics()).hasSize(1);
  }

  @Test
  void commit_honorLabelsTrueKeepsScrapedValuesAndTheirResource() throws Exception {
    TargetMapper m = new TargetMapper(settings(true, List.of(), 0, 0));
    MetricsBatch b = scrape(m, 1000, "m{job=\"other\",env=\"e\"} 1\n", TEXT);
    ResourceMetrics other = b.resourceMetrics().stream()
        .filter(r -> "other".equals(r.resource().getString("service.name"))).findFirst().orElseThrow();
    assertThat(other.scopeMetrics().get(0).metrics().get(0).numberPoints().get(0).attributes())
        .isEqualTo(Attributes.of("env", "e"));
  }

  @Test
  void commit_startTimeIsFirstObservationAndResetsOnDecrease() throws Exception {
    TargetMapper m = mapper();
    String t = "# TYPE c counter\nc_total %s\n";
    long[] starts = new long[4];
    double[] values = {10, 15, 5, 7};
    for (int i = 0; i < 4; i++) {
      MetricsBatch b = scrape(m, 1000L * (i + 1), t.formatted(values[i]), TEXT);
      starts[i] = metric(b, "c_total").numberPoints().get(0).startTimeNanos();
    }
    assertThat(starts).containsExactly(1000 * MS, 1000 * MS, 3000 * MS, 3000 * MS);
  }

  @Test
  void commit_histogramResetOnCountDecrease() throws Exception {
    TargetMapper m = mapper();
    String t = "# TYPE h histogram\nh_bucket{le=\"+Inf\"} %1$s\nh_count %1$s\nh_sum %1$s\n";
    long[] starts = new long[3];
    int[] counts = {5, 8, 2};
    for (int i = 0; i < 3; i++) {
      starts[i] = metric(scrape(m, 1000L * (i + 1), t.formatted(counts[i]), TEXT), "h").histogramPoints().get(0)
          .startTimeNanos();
    }
    assertThat(starts).containsExactly(1000 * MS, 1000 * MS, 3000 * MS);
  }

  @Test
  void commit_seriesThatLeavesGetsStalenessMarker() throws Exception {
    TargetMapper m = mapper();
    scrape(m, 1000, "a 1\nb 2\n", TEXT);
    MetricsBatch b = scrape(m, 2000, "a 1\n", TEXT);
    assertThat(metric(b, "b").numberPoints()).singleElement().satisfies(p -> {
      assertThat(p.noRecordedValue()).isTrue();
      assertThat(p.timeNanos()).isEqualTo(2000 * MS);
    });
    assertThat(metric(b, "a").numberPoints().get(0).noRecordedValue()).isFalse();
    MetricsBatch third = scrape(m, 3000, "a 1\n", TEXT);
    assertThat(metric(third, "b")).as("one marker only").isNull();
  }

  @Test
  void fail_marksEverySeriesStaleAndReportsUpZero() throws Exception {
    TargetMapper m = mapper();
    scrape(m, 1000, "a 1\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n", TEXT);
    m.beginScrape(2000);
    MetricsBatch b = m.fail(new TargetMapper.Report(false, 0.1));
    assertThat(metric(b, "a").numberPoints().get(0).noRecordedValue()).isTrue();
    assertThat(metric(b, "h").histogramPoints().get(0).noRecordedValue()).isTrue();
    assertThat(metric(b, "up").numberPoints().get(0).value()).isZero();
    assertThat(metric(b, "scrape_samples_scraped").numberPoints().get(0).value()).isZero();
    // the next good scrape brings the series back without new markers
    MetricsBatch next = scrape(m, 3000, "a 1\n", TEXT);
    assertThat(metric(next, "a").numberPoints().get(0).noRecordedValue()).isFalse();
    assertThat(metric(next, "h")).isNull();
  }

  @Test
  void fail_afterAParseErrorMarksOnlyTheSeriesTheBodyNoLongerHad() throws Exception {
    TargetMapper m = mapper();
    scrape(m, 1000, "a 1\nb 2\nc 3\n", TEXT);
    m.beginScrape(2000);
    byte[] broken = "a 1\nb 2\nc{ 3\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> m.appendBody(broken, broken.length, TEXT)).isInstanceOf(ScrapeException.class);
    MetricsBatch b = m.fail(new TargetMapper.Report(false, 0.1));
    // Prometheus 2.42 tracked a and b before the error: only c gets a marker, nothing else is sent
    assertThat(metric(b, "a")).isNull();
    assertThat(metric(b, "b")).isNull();
    assertThat(metric(b, "c").numberPoints()).singleElement().satisfies(p -> {
      assertThat(p.noRecordedValue()).isTrue();
      assertThat(p.timeNanos()).isEqualTo(2000 * MS);
    });
    assertThat(metric(b, "up").numberPoints().get(0).value()).isZero();
    // the series of the failed body are the reference now: b leaving gets its marker, c none again
    MetricsBatch next = scrape(m, 3000, "a 1\n", TEXT);
    assertThat(metric(next, "b").numberPoints().get(0).noRecordedValue()).isTrue();
    assertThat(metric(next, "c")).isNull();
    assertThat(metric(next, "a").numberPoints().get(0).noRecordedValue()).isFalse();
  }

  @Test
  void stop_staleSummaryKeepsItsQuantilesAsContribDoes() throws Exception {
    TargetMapper m = mapper();
    scrape(m, 1000, "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.99\"} 2\ns_sum 3\ns_count 4\n", TEXT);
    MetricsBatch b = m.stop(5000);
    assertThat(metric(b, "s").summaryPoints()).singleElement().satisfies(p -> {
      assertThat(p.noRecordedValue()).isTrue();
      assertThat(p.quantiles()).containsExactly(0.5, 0.99);
      assertThat(p.values()).containsExactly(0.0, 0.0);
    });
  }

  @Test
  void stop_marksAllSeriesIncludingSyntheticStale() throws Exception {
    TargetMapper m = mapper();
    scrape(m, 1000, "a 1\n", TEXT);
    MetricsBatch b = m.stop(5000);
    assertThat(metric(b, "a").numberPoints().get(0).noRecordedValue()).isTrue();
    assertThat(metric(b, "up").numberPoints()).singleElement().satisfies(p -> {
      assertThat(p.noRecordedValue()).isTrue();
      assertThat(p.timeNanos()).isEqualTo(5000 * MS);
    });
  }

  @Test
  void appendBody_repeatedLabelNameFailsTheScrape_knownSeriesAreNotCheckedAgain() throws Exception {
    TargetMapper m = mapper();
    scrape(m, 1000, "a{x=\"1\",y=\"2\"} 1\nb 2\n", TEXT);
    // the series line seen before is looked up by its bytes; the new line with a repeated name
    // fails the scrape with Prometheus' message, whether it comes first or after known ones
    for (String body : new String[] {"a{x=\"1\",y=\"2\"} 1\nb{y=\"1\",y=\"2\"} 2\n",
        "a{x=\"1\",x=\"2\"} 1\nb 2\n"}) {
      m.beginScrape(2000);
      byte[] broken = body.getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> m.appendBody(broken, broken.length, TEXT)).as(body).isInstanceOf(ScrapeException.class)
          .hasMessageContaining("is not unique: invalid sample");
      MetricsBatch b = m.fail(new TargetMapper.Report(false, 0.1));
      assertThat(metric(b, "up").numberPoints().get(0).value()).isZero();
    }
    MetricsBatch ok = scrape(m, 3000, "a{x=\"1\",y=\"2\"} 5\nb 6\n", TEXT);
    assertThat(metric(ok, "a").numberPoints().get(0).value()).isEqualTo(5.0);
    assertThat(metric(ok, "up").numberPoints().get(0).value()).isEqualTo(1.0);
  }

  @Test
  void appendBody_sampleLimitFailsWholeScrape() throws Exception {
    TargetMapper m = new TargetMapper(settings(false, List.of(), 1, 0));
    m.beginScrape(1000);
    byte[] body = "a 1\nb 2\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> m.appendBody(body, body.length, TEXT)).isInstanceOf(ScrapeException.class)
        .hasMessage("sample limit exceeded");
    MetricsBatch b = m.fail(new TargetMapper.Report(false, 0));
    assertThat(metric(b, "a")).isNull();
    assertThat(metric(b, "up").numberPoints().get(0).value()).isZero();
  }

  @Test
  void appendBody_sampleLimitReportsTheWholeBodyAsPrometheusDoes() throws Exception {
    TargetMapper m = new TargetMapper(settings(false, List.of(), 2, 0));
    byte[] body = "a 1\nb 2\nc 3\nd 4\ne 5\n".getBytes(StandardCharsets.UTF_8);
    m.beginScrape(1000);
    assertThatThrownBy(() -> m.appendBody(body, body.length, TEXT)).isInstanceOf(ScrapeException.class)
        .hasMessage("sample limit exceeded");
    MetricsBatch b = m.fail(new TargetMapper.Report(false, 0));
    // Prometheus 2.42 parses on after the limit: scraped and post-relabeling count all 5 samples,
    // series_added the 2 appended before the limit; nothing of the body is sent
    assertThat(metric(b, "scrape_samples_scraped").numberPoints().get(0).value()).isEqualTo(5.0);
    assertThat(metric(b, "scrape_samples_post_metric_relabeling").numberPoints().get(0).value()).isEqualTo(5.0);
    assertThat(metric(b, "scrape_series_added").numberPoints().get(0).value()).isEqualTo(2.0);
    assertThat(metric(b, "a")).isNull();
    m.beginScrape(2000);
    assertThatThrownBy(() -> m.appendBody(body, body.length, TEXT)).isInstanceOf(ScrapeException.class);
    MetricsBatch again = m.fail(new TargetMapper.Report(false, 0));
    assertThat(metric(again, "scrape_series_added").numberPoints().get(0).value()).as("cached by now").isZero();
    assertThat(metric(again, "scrape_samples_scraped").numberPoints().get(0).value()).isEqualTo(5.0);
  }

  @Test
  void appendBody_parseErrorAfterTheSampleLimitWins() throws Exception {
    TargetMapper m = new TargetMapper(settings(false, List.of(), 1, 0));
    m.beginScrape(1000);
    byte[] body = "a 1\nb 2\nc{ 3\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> m.appendBody(body, body.length, TEXT)).isInstanceOf(ScrapeException.class)
        .satisfies(e -> assertThat(((ScrapeException) e).reason()).isEqualTo("parse"));
    MetricsBatch b = m.fail(new TargetMapper.Report(false, 0));
    assertThat(metric(b, "scrape_samples_scraped").numberPoints().get(0).value()).isEqualTo(2.0);
  }

  @Test
  void appendBody_labelLimitFailsWholeScrape() throws Exception {
    TargetMapper m = new TargetMapper(settings(false, List.of(), 0, 3));
    m.beginScrape(1000);
    byte[] body = "a{x=\"1\",y=\"2\"} 1\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> m.appendBody(body, body.length, TEXT)).isInstanceOf(ScrapeException.class)
        .hasMessageStartingWith("label_limit exceeded (metric: a, number of labels: 6, limit: 3)");
  }

  @Test
  void appendBody_seriesSeenBeforeComeFromTheCache() throws Exception {
    TargetMapper m = mapper();
    String body = "a{x=\"1\"} 1\na{x=\"2\"} 2\n";
    MetricsBatch first = scrape(m, 1000, body, TEXT);
    assertThat(metric(first, "scrape_series_added").numberPoints().get(0).value()).isEqualTo(2);
    assertThat(m.cachedSeries()).isEqualTo(2);
    MetricsBatch second = scrape(m, 2000, body.replace("} 1", "} 9"), TEXT);
    assertThat(metric(second, "scrape_series_added").numberPoints().get(0).value()).isZero();
    assertThat(metric(second, "a").numberPoints()).extracting(NumberPoint::value).containsExactlyInAnyOrder(9.0, 2.0);
  }

  @Test
  void appendBody_honorsTimestamps() throws Exception {
    MetricsBatch b = scrape(mapper(), 5000, "a 1 1234\n", TEXT);
    assertThat(metric(b, "a").numberPoints().get(0).timeNanos()).isEqualTo(1234 * MS);
  }

  @Test
  void commit_mapsExemplarsWithTraceAndSpanIds() throws Exception {
    MetricsBatch b = scrape(mapper(), 1000, """
        # TYPE c counter
        c_total 5 # {trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331",user="u"} 1.5 123.456
        # EOF
        """, OM);
    NumberPoint p = metric(b, "c_total").numberPoints().get(0);
    assertThat(p.exemplars()).singleElement().satisfies(e -> {
      assertThat(e.doubleValue()).isEqualTo(1.5);
      assertThat(e.traceId()).hasSize(16).startsWith((byte) 0x0a, (byte) 0xf7);
      assertThat(e.spanId()).hasSize(8).startsWith((byte) 0xb7);
      assertThat(e.filteredAttributes()).isEqualTo(Attributes.of("user", "u"));
      assertThat(e.timeNanos()).isEqualTo(123_456 * MS);
    });
  }

  @Test
  void commit_seriesWithExplicitTimestampsGetNoStalenessMarkers() throws Exception {
    TargetMapper m = mapper();
    scrape(m, 1000, "a 1 900\nb 2\n", TEXT);
    MetricsBatch b = scrape(m, 2000, "c 3\n", TEXT);
    assertThat(metric(b, "a")).isNull();
    assertThat(metric(b, "b").numberPoints().get(0).noRecordedValue()).isTrue();
  }

  @Test
  void commit_familiesWhoseSeriesInterleaveKeepEachPointInItsOwnMetric() throws Exception {
    // new series reach their family through a one-entry cache; a family that comes back after
    // another must find its own metric again, in this scrape and the next
    String body = """
        # TYPE a gauge
        # TYPE b gauge
        a{x="1"} 1
        b{x="1"} 10
        a{x="2"} 2
        b{x="2"} 20
        a{x="3"} 3
        """;
    TargetMapper m = mapper();
    for (long t = 1000; t <= 2000; t += 1000) {
      MetricsBatch batch = scrape(m, t, body, TEXT);
      assertThat(metric(batch, "a").numberPoints()).extracting(NumberPoint::value).containsExactly(1.0, 2.0, 3.0);
      assertThat(metric(batch, "b").numberPoints()).extracting(NumberPoint::value).containsExactly(10.0, 20.0);
    }
  }

  @Test
  void appendBody_failsOnAnUnpairedSurrogateInATargetLabelButKeepsAPair() throws Exception {
    for (String v : List.of("bad\uD800", "\uDC00bad", "bad\uD800x")) {
      TargetMapper m = new TargetMapper(new MapperSettings(Labels.of("job", "test", "instance", "h:1", "zone", v),
          Labels.EMPTY, false, true, false, List.of(), 0, 0, 0, 0, Labels.EMPTY, TEXT, "1.2.3", false,
          Duration.ofSeconds(15)));
      m.beginScrape(1000);
      byte[] b = "up_like 1\n".getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> m.appendBody(b, b.length, TEXT)).as(v).isInstanceOf(ScrapeException.class)
          .hasMessageContaining("invalid metric name or label names");
    }
    TargetMapper ok = new TargetMapper(new MapperSettings(Labels.of("job", "test", "instance", "h:1", "zone",
        "pair \uD83D\uDE00 ok"), Labels.EMPTY, false, true, false, List.of(), 0, 0, 0, 0,
        Labels.EMPTY, TEXT, "1.2.3", false, Duration.ofSeconds(15)));
    assertThat(metric(scrape(ok, 1000, "up_like 1\n", TEXT), "up_like")).isNotNull();
  }

  @Test
  void commit_replicasWithIdenticalSeriesGetNoMarkers() throws Exception {
    TargetMapper r1 = mapper();
    TargetMapper r2 = new TargetMapper(new MapperSettings(Labels.of("job", "test", "instance", "replica2:8080"),
        Labels.of("__scheme__", "http"), false, true, false, List.of(), 0, 0, 0, 0, Labels.EMPTY, TEXT, "1.2.3",
        false, Duration.ofSeconds(15)));
    String body = "# TYPE c counter\nc_total 5\n";
    for (int i = 1; i <= 3; i++) {
      for (TargetMapper m : List.of(r1, r2)) {
        MetricsBatch b = scrape(m, 1000L * i, body, TEXT);
        assertThat(metric(b, "c_total").numberPoints()).noneMatch(NumberPoint::noRecordedValue);
      }
    }
  }

  @Test
  void resourceAttributes_omitLoopbackButKeepRealHosts() {
    assertThat(TargetMapper.resourceAttributes("j", "10.1.2.3:9100", Labels.of("__scheme__", "https")))
        .isEqualTo(Attributes.of("service.name", "j", "server.address", "10.1.2.3", "service.instance.id",
            "10.1.2.3:9100", "server.port", "9100", "url.scheme", "https"));
    assertThat(TargetMapper.resourceAttributes("j", "127.0.0.1:9100", Labels.EMPTY).containsKey("server.address"))
        .isFalse();
    assertThat(TargetMapper.resourceAttributes("j", "[::]:9100", Labels.EMPTY).containsKey("server.address"))
        .isFalse();
  }

  @Test
  void summaryWithoutQuantilesAndHistogramWithoutBucketsStillMap() throws Exception {
    TargetMapper m = mapper();
    String body = "# TYPE s summary\ns_sum 3\ns_count 4\n# TYPE h histogram\nh_sum 1\nh_count 2\n";
    scrape(m, 1000, body, TEXT);
    MetricsBatch b = scrape(m, 2000, body, TEXT);
    assertThat(metric(b, "s").summaryPoints()).singleElement().satisfies(p -> {
      assertThat(p.quantiles()).isEmpty();
      assertThat(p.count()).isEqualTo(4);
    });
    assertThat(metric(b, "h").histogramPoints()).singleElement().satisfies(p -> {
      assertThat(p.bounds()).isEmpty();
      assertThat(p.bucketCounts()).containsExactly(2);
    });
    b = scrape(m, 3000, "", TEXT);
    assertThat(metric(b, "s").summaryPoints()).singleElement().satisfies(p -> assertThat(p.quantiles()).isEmpty());
    assertThat(metric(b, "h").histogramPoints()).singleElement().satisfies(p -> assertThat(p.bounds()).isEmpty());
  }

  @Test
  void pointsOfDifferentSeriesShareOneCopyOfEachLabelString() throws Exception {
    TargetMapper m = mapper();
    MetricsBatch b = scrape(m, 1000, """
        # TYPE a gauge
        a{container="c0ffee",namespace="prod"} 1
        # TYPE b counter
        b_total{container="c0ffee",namespace="prod"} 2
        """, TEXT);
    Attributes x = metric(b, "a").numberPoints().get(0).attributes();
    Attributes y = metric(b, "b_total").numberPoints().get(0).attributes();
    assertThat(x).isEqualTo(Attributes.of("container", "c0ffee", "env", "dev", "namespace", "prod"));
    assertThat(x).isEqualTo(y);
    for (int i = 0; i < x.size(); i++) {
      assertThat(x.key(i)).isSameAs(y.key(i));
      assertThat(x.value(i)).isSameAs(y.value(i));
    }
  }

  @Test
  void histogramsOfAFamilyKeepTheirOwnBoundsThroughStaleness() throws Exception {
    TargetMapper m = mapper();
    scrape(m, 1000, """
        # TYPE h histogram
        h_bucket{a="1",le="1"} 1
        h_bucket{a="1",le="+Inf"} 2
        h_sum{a="1"} 3
        h_count{a="1"} 2
        h_bucket{a="2",le="5"} 1
        h_bucket{a="2",le="10"} 1
        h_bucket{a="2",le="+Inf"} 2
        h_sum{a="2"} 3
        h_count{a="2"} 2
        """, TEXT);
    MetricsBatch b = scrape(m, 2000, "", TEXT);
    List<HistogramPoint> ps = metric(b, "h").histogramPoints();
    assertThat(ps).hasSize(2);
    for (HistogramPoint p : ps) {
      assertThat(p.noRecordedValue()).isTrue();
      if (p.attributes().get("a").equals("1")) {
        assertThat(p.bounds()).containsExactly(1);
      } else {
        assertThat(p.bounds()).containsExactly(5, 10);
      }
    }
  }
}
