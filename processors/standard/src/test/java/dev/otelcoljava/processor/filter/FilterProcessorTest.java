package dev.otelcoljava.processor.filter;

import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.dbl;
import static dev.otelcoljava.processor.internal.TestSupport.gauge;
import static dev.otelcoljava.processor.internal.TestSupport.lng;
import static dev.otelcoljava.processor.internal.TestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.testing.MetricsSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/filter/";
  private final FilterProcessorFactory factory = new FilterProcessorFactory();

  private TestSupport.Loaded<FilterConfig> load(String file, String key) throws Exception {
    return TestSupport.load(factory, DIR + file, key);
  }

  @Test
  void createConfig_absent_isValidDefault() {
    TestSupport.Loaded<FilterConfig> l = TestSupport.loadTree(factory, null, "filter");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config()).isEqualTo(FilterConfig.defaults());
    assertThat(factory.type()).isEqualTo("filter");
  }

  @Test
  void createConfig_fullTestdata_loadsEveryKey() throws Exception {
    TestSupport.Loaded<FilterConfig> legacy = load("config.yaml", "filter/legacy");
    assertThat(legacy.problems().errors()).isEmpty();
    assertThat(legacy.config()).isEqualTo(new FilterConfig("ignore",
        new FilterConfig.MatchProperties("regexp", List.of("prefix/.*", "prefix_.*"), List.of(),
            List.of(new FilterConfig.ResourceAttribute("container.name", "app_container_1"))),
        new FilterConfig.MatchProperties("strict", List.of("hello_world", "hello/world"), List.of(), List.of()),
        null, null, null, null));
    TestSupport.Loaded<FilterConfig> ottl = load("config.yaml", "filter/ottl");
    assertThat(ottl.problems().errors()).isEmpty();
    assertThat(ottl.config()).isEqualTo(new FilterConfig("ignore", null, null, null,
        List.of("name == \"my.metric\" and resource.attributes[\"my_label\"] == \"abc123\"", "type == METRIC_DATA_TYPE_HISTOGRAM"),
        List.of("metric.type == METRIC_DATA_TYPE_SUMMARY", "resource.attributes[\"service.name\"] == \"my_service_name\""), null));
    TestSupport.Loaded<FilterConfig> inferred = load("config.yaml", "filter/inferred");
    assertThat(inferred.problems().errors()).isEmpty();
    assertThat(inferred.config().inferred()).containsExactly(
        new FilterConfig.ConditionGroup("", "", List.of("metric.name == \"drop.me\"")),
        new FilterConfig.ConditionGroup("datapoint", "silent", List.of("attributes[\"env\"] == \"dev\" or value_int < 0")));
    TestSupport.Loaded<FilterConfig> expr = load("config.yaml", "filter/expr");
    assertThat(expr.problems().errors()).isEmpty();
    assertThat(expr.config().exclude().expressions()).containsExactly("Label(\"http.method\") == \"GET\" && MetricName == \"requests\"");
  }

  @Test
  void createConfig_invalidFiles_failWithExactMessages() throws Exception {
    assertThat(load("invalid_mixed.yaml", "filter").problems().errors()).containsExactly(
        "processors::filter: cannot use \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\" and the settings \"metrics.include\", \"metrics.exclude\" at the same time");
    assertThat(load("invalid_inferred_mixed.yaml", "filter").problems().errors()).containsExactly(
        "processors::filter: cannot use context inferred metric conditions \"metric_conditions\" and the settings \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\", \"metrics.include\", \"metrics.exclude\" at the same time");
    assertThat(load("invalid_function.yaml", "filter").problems().errors()).containsExactly(
        "processors::filter::metrics::metric[1]: unsupported OTTL condition \"Len(name) > 3\": function Len is not supported (supported: IsMatch, HasAttrKeyOnDatapoint, HasAttrOnDatapoint)"
            + " (otelcol-java supports comparisons, and/or/not, IsMatch, HasAttrKeyOnDatapoint, HasAttrOnDatapoint on resource, scope, metric and datapoint fields)");
    assertThat(load("invalid_match_type.yaml", "filter").problems().errors()).containsExactly(
        "processors::filter::metrics::include::match_type: unrecognized match_type: 'glob', valid types are: [regexp strict expr]");
    assertThat(load("invalid_unprefixed.yaml", "filter").problems().errors()).singleElement().asString()
        .startsWith("processors::filter::metric_conditions[0]: unsupported OTTL condition \"name == \"a\"\": path \"name\" must start with a context");
  }

  private MetricsBatch run(String key, MetricsBatch in, MetricsSink sink, TestSupport.Telemetry tel) throws Exception {
    TestSupport.Loaded<FilterConfig> l = load("config.yaml", key);
    assertThat(l.problems().errors()).isEmpty();
    factory.createProcessor(tel.settings(key), l.config(), sink).consume(in);
    return sink.batches().isEmpty() ? null : sink.batches().get(0);
  }

  @Test
  void legacy_readmeExample_includeRegexpAndResourceThenExcludeStrict() throws Exception {
    MetricsSink sink = new MetricsSink();
    TestSupport.Telemetry tel = new TestSupport.Telemetry();
    MetricsBatch in = new MetricsBatch();
    in.resourceMetrics().add(TestSupport.batch(Attributes.of("container.name", "app_container_1"),
        gauge("prefix/metric1", dbl(1)), gauge("other_prefix_x", dbl(2)), gauge("nomatch", dbl(3)),
        gauge("hello_world", dbl(4))).resourceMetrics().get(0));
    in.resourceMetrics().add(TestSupport.batch(Attributes.of("container.name", "other"),
        gauge("prefix/metric1", dbl(5))).resourceMetrics().get(0));
    MetricsBatch out = run("filter/legacy", in, sink, tel);
    // unanchored regexp: "other_prefix_x" contains "prefix_"; the second resource fails the attribute check
    assertThat(render(out)).isEqualTo("""
        resource {container.name=app_container_1}
          prefix/metric1 GAUGE
            {} 1.0
          other_prefix_x GAUGE
            {} 2.0
        """);
    assertThat(tel.sum("otelcol_processor_filter_datapoints.filtered")).isEqualTo(3);
    assertThat(tel.points("otelcol_processor_filter_datapoints.filtered")).containsExactly("{filter=filter/legacy}=3");
  }

  @Test
  void ottl_readmeExample_dropsMetricsAndPoints() throws Exception {
    MetricsSink sink = new MetricsSink();
    Metric hist = new Metric("latency", MetricType.HISTOGRAM);
    hist.addPoint(new HistogramPoint());
    Metric summary = new Metric("sizes", MetricType.SUMMARY);
    summary.addPoint(new SummaryPoint());
    MetricsBatch in = batch(Attributes.of("my_label", "abc123", "service.name", "svc"),
        gauge("my.metric", dbl(1)), gauge("keep", lng(2, "a", "b")), hist, summary);
    MetricsBatch out = run("filter/ottl", in, sink, new TestSupport.Telemetry());
    assertThat(render(out)).isEqualTo("""
        resource {my_label=abc123, service.name=svc}
          keep GAUGE
            {a=b} int 2
        """);
  }

  @Test
  void ottl_allDropped_sendsNothing() throws Exception {
    MetricsSink sink = new MetricsSink();
    TestSupport.Telemetry tel = new TestSupport.Telemetry();
    MetricsBatch in = batch(Attributes.of("service.name", "my_service_name"), gauge("a", dbl(1), dbl(2)));
    assertThat(run("filter/ottl", in, sink, tel)).isNull();
    assertThat(sink.batches()).isEmpty();
    assertThat(tel.sum("otelcol_processor_filter_datapoints.filtered")).isEqualTo(2);
  }

  @Test
  void inferred_metricAndDatapointConditions() throws Exception {
    MetricsSink sink = new MetricsSink();
    MetricsBatch in = batch(gauge("drop.me", dbl(1)),
        gauge("m", lng(1, "env", "dev"), lng(-5, "env", "prod"), lng(7, "env", "prod"), dbl(-1.0, "env", "prod")),
        gauge("all.dev", lng(1, "env", "dev")));
    MetricsBatch out = run("filter/inferred", in, sink, new TestSupport.Telemetry());
    // value_int of a double point is 0 (pdata), so the double -1.0 point stays
    assertThat(render(out)).isEqualTo("""
        resource {}
          m GAUGE
            {env=prod} int 7
            {env=prod} -1.0
        """);
  }

  @Test
  void expr_excludesWhenAnyPointMatches() throws Exception {
    MetricsSink sink = new MetricsSink();
    MetricsBatch in = batch(gauge("requests", lng(1, "http.method", "POST"), lng(2, "http.method", "GET")),
        gauge("requests2", lng(3, "http.method", "GET")), gauge("requests", lng(4, "http.method", "PUT")));
    MetricsBatch out = run("filter/expr", in, sink, new TestSupport.Telemetry());
    assertThat(render(out)).isEqualTo("""
        resource {}
          requests2 GAUGE
            {http.method=GET} int 3
          requests GAUGE
            {http.method=PUT} int 4
        """);
  }

  @Test
  void conditions_table() throws Exception {
    record Case(String condition, boolean dropsFirst) {}
    List<Case> cases = List.of(
        new Case("metric.name == \"a\"", true),
        new Case("metric.name != \"a\"", false),
        new Case("IsMatch(metric.name, \"^a\")", true),
        new Case("IsMatch(metric.name, \"b\")", false),
        new Case("metric.type == METRIC_DATA_TYPE_GAUGE", true),
        new Case("metric.type == METRIC_DATA_TYPE_SUM", false),
        new Case("not (metric.name == \"a\")", false),
        new Case("metric.name == \"x\" or resource.attributes[\"r\"] == \"1\"", true),
        new Case("metric.name == \"a\" and resource.attributes[\"r\"] == \"2\"", false),
        new Case("HasAttrKeyOnDatapoint(\"k\")", true),
        new Case("HasAttrOnDatapoint(\"k\", \"v\")", true),
        new Case("HasAttrOnDatapoint(\"k\", \"w\")", false),
        new Case("datapoint.value_double > 1.5", true),
        new Case("datapoint.value_double >= 2.5", false),
        new Case("datapoint.attributes[\"missing\"] == nil", true),
        new Case("metric.unit == \"By\" and not metric.is_monotonic", false));
    for (Case c : cases) {
      Metric a = gauge("a", dbl(2.0, "k", "v"));
      Metric b = gauge("b", dbl(3.0));
      MetricsBatch in = batch(Attributes.of("r", "1"), a, b);
      TestSupport.Loaded<FilterConfig> l = TestSupport.loadTree(factory,
          Map.of("metric_conditions", List.of(c.condition)), "filter");
      assertThat(l.problems().errors()).as(c.condition).isEmpty();
      MetricsSink sink = new MetricsSink();
      factory.createProcessor(new TestSupport.Telemetry().settings("filter"), l.config(), sink).consume(in);
      List<String> names = sink.allMetrics().stream().map(Metric::name).toList();
      assertThat(names.contains("a")).as(c.condition).isEqualTo(!c.dropsFirst);
    }
  }

  @Test
  void datapointCondition_emptiedMetricIsRemoved_otherPointsKept() throws Exception {
    TestSupport.Loaded<FilterConfig> l = TestSupport.loadTree(factory,
        Map.of("metrics", Map.of("datapoint", List.of("attributes[\"k\"] == \"x\""))), "filter");
    MetricsSink sink = new MetricsSink();
    MetricsBatch in = batch(gauge("a", dbl(1, "k", "x")), gauge("b", dbl(2, "k", "x"), dbl(3, "k", "y")));
    factory.createProcessor(new TestSupport.Telemetry().settings("filter"), l.config(), sink).consume(in);
    assertThat(render(sink.batches().get(0))).isEqualTo("""
        resource {}
          b GAUGE
            {k=y} 3.0
        """);
  }
}
