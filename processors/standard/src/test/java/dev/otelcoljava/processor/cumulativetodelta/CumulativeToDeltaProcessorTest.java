package dev.otelcoljava.processor.cumulativetodelta;

import static dev.otelcoljava.processor.internal.TestSupport.at;
import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.dbl;
import static dev.otelcoljava.processor.internal.TestSupport.gauge;
import static dev.otelcoljava.processor.internal.TestSupport.lng;
import static dev.otelcoljava.processor.internal.TestSupport.render;
import static dev.otelcoljava.processor.internal.TestSupport.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import dev.otelcoljava.testing.MetricsSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CumulativeToDeltaProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/cumulativetodelta/";
  private final CumulativeToDeltaProcessorFactory factory = new CumulativeToDeltaProcessorFactory();
  private final AtomicLong clock = new AtomicLong(1_000);
  private final MetricsSink sink = new MetricsSink();

  @Test
  void createConfig_absent_isValidDefault() {
    TestSupport.Loaded<CumulativeToDeltaConfig> l = TestSupport.loadTree(factory, null, "cumulativetodelta");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config()).isEqualTo(new CumulativeToDeltaConfig(CumulativeToDeltaConfig.Match.EMPTY,
        CumulativeToDeltaConfig.Match.EMPTY, Duration.ofHours(1), "auto"));
  }

  @Test
  void createConfig_fullTestdata_loadsEveryKey() throws Exception {
    TestSupport.Loaded<CumulativeToDeltaConfig> l = TestSupport.load(factory, DIR + "config.yaml", "cumulativetodelta/full");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.problems().warnings()).isEmpty();
    assertThat(l.config()).isEqualTo(new CumulativeToDeltaConfig(
        new CumulativeToDeltaConfig.Match(List.of(".*"), "regexp", List.of("sum")),
        new CumulativeToDeltaConfig.Match(List.of("metric1", "metric2"), "strict", List.of("histogram")),
        Duration.ofMinutes(10), "drop"));
  }

  @Test
  void createConfig_oldMetricsList_isStrictIncludeWithOneWarning() throws Exception {
    TestSupport.Loaded<CumulativeToDeltaConfig> l = TestSupport.load(factory, DIR + "config.yaml", "cumulativetodelta/old");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config().include()).isEqualTo(new CumulativeToDeltaConfig.Match(
        List.of("new_container_cpu_usage_seconds_total", "pod_cpu_usage_seconds_total"), "strict", List.of()));
    assertThat(l.problems().warnings()).containsExactly("processors::cumulativetodelta/old: \"metrics\" is deprecated; "
        + "use include: {match_type: strict, metrics: [...]} instead");
  }

  @Test
  void createConfig_invalidFiles_failWithExactMessages() throws Exception {
    assertThat(errors("invalid_match_type_without_metrics.yaml"))
        .containsExactly("processors::cumulativetodelta: metrics must be supplied if match_type is set");
    assertThat(errors("invalid_metrics_without_match_type.yaml"))
        .containsExactly("processors::cumulativetodelta: match_type must be set if metrics are supplied");
    assertThat(errors("invalid_metric_type.yaml")).containsExactly("processors::cumulativetodelta::include: "
        + "found invalid metric type in include.metric_types: gauge. Valid values are [sum, histogram, exponentialhistogram]");
    assertThat(errors("invalid_initial_value.yaml"))
        .containsExactly("processors::cumulativetodelta::initial_value: \"first\" must be in [auto, keep, drop]");
  }

  private List<String> errors(String file) throws Exception {
    return TestSupport.load(factory, DIR + file, "cumulativetodelta").problems().errors();
  }

  private CumulativeToDeltaProcessor processor(String yaml) {
    TestSupport.Loaded<CumulativeToDeltaConfig> l = TestSupport.loadTree(factory, TestSupport.parseYaml(yaml), "cumulativetodelta");
    assertThat(l.problems().errors()).isEmpty();
    return new CumulativeToDeltaProcessor(l.config(), new TestSupport.CapturingLogger(), sink, clock::get);
  }

  private static Metric counter(String name, NumberPoint p) {
    return sum(name, Temporality.CUMULATIVE, true, p);
  }

  private String feed(CumulativeToDeltaProcessor p, MetricsBatch b) {
    sink.clear();
    p.consume(b);
    return render(sink.batches().get(0));
  }

  @Test
  void keep_sequenceWithReset() {
    CumulativeToDeltaProcessor p = processor("initial_value: keep");
    assertThat(feed(p, batch(counter("c", at(lng(100), 500, 1000))))).isEqualTo("resource {}\n  c SUM DELTA monotonic\n    {} int 100 @500..1000\n");
    assertThat(feed(p, batch(counter("c", at(lng(150), 500, 2000))))).isEqualTo("resource {}\n  c SUM DELTA monotonic\n    {} int 50 @1000..2000\n");
    // decrease: dropped, and the metric with no point left is removed; it becomes the baseline
    assertThat(feed(p, batch(counter("c", at(lng(130), 500, 3000))))).isEqualTo("resource {}\n");
    assertThat(feed(p, batch(counter("c", at(lng(160), 500, 4000))))).isEqualTo("resource {}\n  c SUM DELTA monotonic\n    {} int 30 @3000..4000\n");
  }

  @Test
  void auto_firstPointRules() {
    clock.set(1_000);
    CumulativeToDeltaProcessor p = processor("initial_value: auto");
    MetricsBatch in = batch(
        counter("before_start", at(dbl(5), 500, 2000)),
        counter("after_start", at(dbl(6), 1500, 2000)),
        counter("start_eq_time", at(dbl(7), 2000, 2000)),
        counter("start_zero", at(dbl(8), 0, 2000)));
    assertThat(feed(p, in)).isEqualTo("resource {}\n  after_start SUM DELTA monotonic\n    {} 6.0 @1500..2000\n");
    MetricsBatch second = batch(
        counter("before_start", at(dbl(15), 500, 3000)),
        counter("start_zero", at(dbl(18), 0, 3000)));
    assertThat(feed(p, second)).isEqualTo("""
        resource {}
          before_start SUM DELTA monotonic
            {} 10.0 @2000..3000
          start_zero SUM DELTA monotonic
            {} 10.0 @2000..3000
        """);
  }

  @Test
  void drop_firstPointOnly_andNewStartTimeIsNewStream() {
    CumulativeToDeltaProcessor p = processor("initial_value: drop");
    assertThat(feed(p, batch(counter("c", at(dbl(10, "a", "1"), 5000, 6000))))).isEqualTo("resource {}\n");
    assertThat(feed(p, batch(counter("c", at(dbl(12, "a", "1"), 5000, 7000))))).isEqualTo("resource {}\n  c SUM DELTA monotonic\n    {a=1} 2.0 @6000..7000\n");
    // restart of the source: a new start time is a new stream, its first point is dropped again
    assertThat(feed(p, batch(counter("c", at(dbl(1, "a", "1"), 7500, 8000))))).isEqualTo("resource {}\n");
    assertThat(p.streamCount()).isEqualTo(2);
  }

  @Test
  void nanIsDroppedAndNotTracked() {
    CumulativeToDeltaProcessor p = processor("initial_value: keep");
    feed(p, batch(counter("c", at(dbl(10), 1, 1000))));
    assertThat(feed(p, batch(counter("c", at(dbl(Double.NaN), 1, 2000))))).isEqualTo("resource {}\n");
    assertThat(feed(p, batch(counter("c", at(dbl(15), 1, 3000))))).isEqualTo("resource {}\n  c SUM DELTA monotonic\n    {} 5.0 @1000..3000\n");
  }

  @Test
  void ineligibleMetricsPassThrough_andFiltersApply() {
    CumulativeToDeltaProcessor p = processor("""
        initial_value: keep
        include:
          match_type: regexp
          metrics: ["^pod_"]
        exclude:
          match_type: strict
          metrics: [pod_skip]
        """);
    MetricsBatch in = batch(
        gauge("pod_gauge", dbl(1)),
        sum("pod_updown", Temporality.CUMULATIVE, false, dbl(2)),
        sum("pod_delta", Temporality.DELTA, true, dbl(3)),
        counter("pod_skip", dbl(4)),
        counter("container_x", dbl(5)),
        counter("pod_yes", at(dbl(6), 1, 2)));
    assertThat(feed(p, in)).isEqualTo("""
        resource {}
          pod_gauge GAUGE
            {} 1.0
          pod_updown SUM CUMULATIVE
            {} 2.0
          pod_delta SUM DELTA monotonic
            {} 3.0
          pod_skip SUM CUMULATIVE monotonic
            {} 4.0
          container_x SUM CUMULATIVE monotonic
            {} 5.0
          pod_yes SUM DELTA monotonic
            {} 6.0 @1..2
        """);
  }

  private static Metric histogram(long count, double sum, long[] buckets, long start, long time) {
    Metric m = new Metric("h", MetricType.HISTOGRAM);
    HistogramPoint p = new HistogramPoint();
    p.setCount(count);
    p.setSum(sum);
    p.setBounds(new double[] {1, 10});
    p.setBucketCounts(buckets);
    p.setStartTimeNanos(start);
    p.setTimeNanos(time);
    m.addPoint(p);
    return m;
  }

  @Test
  void histogram_deltas_andResetKeepsOldBaseline() {
    CumulativeToDeltaProcessor p = processor("initial_value: drop");
    feed(p, batch(histogram(4, 10, new long[] {1, 2, 1}, 1, 1000)));
    assertThat(feed(p, batch(histogram(7, 25, new long[] {2, 3, 2}, 1, 2000)))).isEqualTo(
        "resource {}\n  h HISTOGRAM DELTA\n    {} count=3 sum=15.0 bounds=[1.0, 10.0] buckets=[1, 1, 1] @1000..2000\n");
    assertThat(feed(p, batch(histogram(5, 30, new long[] {1, 2, 2}, 1, 3000)))).isEqualTo("resource {}\n");
    // the baseline stayed at count 7 (contrib #50828)
    assertThat(feed(p, batch(histogram(9, 40, new long[] {3, 4, 2}, 1, 4000)))).isEqualTo(
        "resource {}\n  h HISTOGRAM DELTA\n    {} count=2 sum=15.0 bounds=[1.0, 10.0] buckets=[1, 1, 0] @2000..4000\n");
  }

  @Test
  void state_expiresAfterMaxStaleness() {
    CumulativeToDeltaProcessor p = processor("initial_value: keep\nmax_staleness: 1m");
    feed(p, batch(counter("a", at(dbl(1), 1, 1000))));
    clock.addAndGet(Duration.ofSeconds(40).toNanos());
    feed(p, batch(counter("b", at(dbl(1), 1, 1000))));
    assertThat(p.streamCount()).isEqualTo(2);
    clock.addAndGet(Duration.ofSeconds(40).toNanos());
    feed(p, batch(counter("b", at(dbl(2), 1, 2000))));
    assertThat(p.streamCount()).isEqualTo(1);
    // "a" was forgotten: its next point starts over
    assertThat(feed(p, batch(counter("a", at(dbl(5), 1, 3000))))).isEqualTo("resource {}\n  a SUM DELTA monotonic\n    {} 5.0 @1..3000\n");
  }

  @Test
  void pointAttributesChangedDownstream_doNotCorruptState() {
    CumulativeToDeltaProcessor p = processor("initial_value: keep");
    MetricsBatch b = batch(counter("c", at(dbl(1, "k", "v"), 1, 1000)));
    p.consume(b);
    b.resourceMetrics().get(0).scopeMetrics().get(0).metrics().get(0).points().get(0).attributes().put("k", "changed");
    assertThat(feed(p, batch(counter("c", at(dbl(3, "k", "v"), 1, 2000))))).isEqualTo("resource {}\n  c SUM DELTA monotonic\n    {k=v} 2.0 @1000..2000\n");
  }
}
