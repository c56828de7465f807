package dev.otelcoljava.exporter.awsemf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.runtime.api.data.Attributes;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Table-driven golden EMF documents (src/test/resources/.../golden/*.txt: one event per two lines,
 * destination then JSON). Regenerate with -Dgolden.update=true and review the diff.
 */
class EmfTranslatorTest {
  static final long T = 1_700_000_000_123L;
  static final long TN = T * 1_000_000L;
  static final ObjectMapper JSON = new ObjectMapper();

  final Map<String, Long> dropped = new TreeMap<>();
  final List<List<String>> droppedSets = new ArrayList<>();

  EmfTranslator translator(String yaml) throws Exception {
    return new EmfTranslator(TestData.config(yaml), "otel-stream-test", new DeltaCache(), new EmfTranslator.Listener() {
      @Override
      public void droppedPoints(String reason, long points) {
        dropped.merge(reason, points, Long::sum);
      }

      @Override
      public void droppedDimensionSet(List<String> set) {
        droppedSets.add(set);
      }

      @Override
      public void warn(String key, String message) {}
    });
  }

  static ScopeMetrics scope(MetricsBatch b, Attributes resource, String scopeName) {
    ResourceMetrics rm = b.addResource(resource);
    return rm.addScope(scopeName, "1.0");
  }

  static NumberPoint dbl(double v, Object... attrs) {
    return NumberPoint.ofDouble(Attributes.of(attrs), 0, TN, v);
  }

  static Metric gauge(String name, String unit, NumberPoint... points) {
    Metric m = Metric.gauge(name);
    m.setUnit(unit);
    for (NumberPoint p : points) {
      m.addPoint(p);
    }
    return m;
  }

  static String render(List<EmfEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (EmfEvent e : events) {
      sb.append(e.logGroup()).append(' ').append(e.logStream()).append(' ').append(e.timestampMs()).append(' ')
          .append(e.points()).append('\n').append(e.message()).append('\n');
    }
    return sb.toString();
  }

  void assertGolden(String name, List<EmfEvent> events) throws Exception {
    String actual = render(events);
    for (EmfEvent e : events) {
      List<String> problems = EmfSchemaRules.validate(JSON.readTree(e.message()));
      assertThat(problems).as("EMF rules for %s", e.message()).isEmpty();
    }
    if (Boolean.getBoolean("golden.update")) {
      Path p = Path.of("src/test/resources/dev/otelcoljava/exporter/awsemf/golden/" + name + ".txt");
      Files.createDirectories(p.getParent());
      Files.writeString(p, actual);
    }
    assertThat(actual).isEqualTo(TestData.resource("golden/" + name + ".txt"));
  }

  @Test
  void gauge_zeroAndSingleRollup_fullSetAndRollups() throws Exception {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = scope(b, Attributes.of("service.name", "svc", "service.namespace", "ns"), "otel-lib");
    s.metrics().add(gauge("cpu", "1", dbl(0.5, "host", "a", "region", "r")));
    s.metrics().add(gauge("mem", "By", dbl(1024, "host", "a", "region", "r")));
    assertGolden("gauge_zero_and_single_rollup", translator("").translate(b, T, 0));
  }

  @Test
  void gauge_singleLabel_fullSetOmitted() throws Exception {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = scope(b, Attributes.of("service.name", "svc"), "otel-lib");
    s.metrics().add(gauge("latency", "ms", dbl(12.25, "host", "a")));
    assertGolden("gauge_single_label", translator("").translate(b, T, 0));
  }

  @Test
  void gauge_noRollupNoScope_onlyFullSet() throws Exception {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = scope(b, Attributes.of(), "");
    s.metrics().add(gauge("temp", "", dbl(1e21, "host", "a", "zone", "z"), dbl(-2.5e-7, "host", "b", "zone", "z")));
    assertGolden("gauge_no_rollup", translator("dimension_rollup_option: NoDimensionRollup\nnamespace: custom").translate(b, T, 0));
  }

  @Test
  void cumulativeSum_firstDroppedThenDeltaThenResetRaw() throws Exception {
    EmfTranslator t = translator("namespace: ns");
    List<EmfEvent> all = new ArrayList<>();
    double[] values = {10, 15, 4};
    for (int i = 0; i < values.length; i++) {
      MetricsBatch b = new MetricsBatch();
      Metric m = Metric.sum("requests_total", Temporality.CUMULATIVE, true);
      m.addPoint(NumberPoint.ofLong(Attributes.of("code", "200"), 0, TN + i * 60_000_000_000L, (long) values[i]));
      scope(b, Attributes.of(), "").metrics().add(m);
      all.addAll(t.translate(b, T, i));
    }
    assertThat(dropped).containsEntry("initial_value", 1L);
    assertGolden("cumulative_sum_delta", all);
  }

  @Test
  void cumulativeSum_retainInitialValue_sendsFirstValue() throws Exception {
    MetricsBatch b = new MetricsBatch();
    Metric m = Metric.sum("requests_total", Temporality.CUMULATIVE, true);
    m.addPoint(NumberPoint.ofLong(Attributes.of("code", "200"), 0, TN, 10));
    scope(b, Attributes.of(), "").metrics().add(m);
    List<EmfEvent> events = translator("namespace: ns\nretain_initial_value_of_delta_metric: true").translate(b, T, 0);
    assertThat(events).singleElement().extracting(EmfEvent::message).asString().contains("\"requests_total\":10");
  }

  @Test
  void deltaSum_sentAsIs() throws Exception {
    MetricsBatch b = new MetricsBatch();
    Metric m = Metric.sum("bytes", Temporality.DELTA, true);
    m.addPoint(NumberPoint.ofLong(Attributes.of(), 0, TN, 7));
    scope(b, Attributes.of(), "").metrics().add(m);
    List<EmfEvent> events = translator("namespace: ns").translate(b, T, 0);
    assertThat(events).singleElement().extracting(EmfEvent::message).asString().contains("\"bytes\":7");
  }

  @Test
  void histogramSummaryExponential_statisticSets() throws Exception {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = scope(b, Attributes.of("service.name", "app"), "lib");
    Metric h = new Metric("http_duration", MetricType.HISTOGRAM);
    h.setUnit("s");
    HistogramPoint hp = new HistogramPoint();
    hp.setAttributes(Attributes.of("route", "/a"));
    hp.setTimeNanos(TN);
    hp.setCount(4);
    hp.setSum(2.5);
    hp.setMin(0.1);
    hp.setMax(1.5);
    hp.setBounds(new double[] {1});
    hp.setBucketCounts(new long[] {3, 1});
    h.addPoint(hp);
    s.metrics().add(h);
    Metric sm = new Metric("rpc_latency", MetricType.SUMMARY);
    SummaryPoint sp = new SummaryPoint();
    sp.setAttributes(Attributes.of("route", "/a"));
    sp.setTimeNanos(TN);
    sp.setCount(10);
    sp.setSum(55);
    sp.setQuantiles(new double[] {0, 0.5, 1}, new double[] {1, 5, 10});
    sm.addPoint(sp);
    s.metrics().add(sm);
    Metric e = new Metric("size", MetricType.EXPONENTIAL_HISTOGRAM);
    ExponentialHistogramPoint ep = new ExponentialHistogramPoint();
    ep.setAttributes(Attributes.of("route", "/a"));
    ep.setTimeNanos(TN);
    ep.setScale(0);
    ep.setCount(5);
    ep.setSum(9);
    ep.setMin(-3);
    ep.setMax(7);
    ep.setZeroCount(1);
    ep.setPositive(1, new long[] {1, 2});
    ep.setNegative(1, new long[] {1});
    e.addPoint(ep);
    s.metrics().add(e);
    assertGolden("histogram_summary_exponential", translator("").translate(b, T, 0));
  }

  @Test
  void exponentialHistogram_over100Buckets_splitIntoEvents() throws Exception {
    MetricsBatch b = new MetricsBatch();
    Metric e = new Metric("size", MetricType.EXPONENTIAL_HISTOGRAM);
    ExponentialHistogramPoint ep = new ExponentialHistogramPoint();
    ep.setTimeNanos(TN);
    ep.setScale(3);
    long[] counts = new long[150];
    java.util.Arrays.fill(counts, 1);
    ep.setPositive(0, counts);
    ep.setCount(150);
    ep.setSum(1000);
    ep.setMin(1);
    ep.setMax(400);
    e.addPoint(ep);
    scope(b, Attributes.of(), "").metrics().add(e);
    List<EmfEvent> events = translator("namespace: ns").translate(b, T, 0);
    assertThat(events).hasSize(2);
    JsonNode first = JSON.readTree(events.get(0).message()).get("size");
    JsonNode second = JSON.readTree(events.get(1).message()).get("size");
    assertThat(first.get("Values").size()).isEqualTo(100);
    assertThat(second.get("Values").size()).isEqualTo(50);
    assertThat(first.get("Count").asLong() + second.get("Count").asLong()).isEqualTo(150);
    assertThat(first.get("Sum").asDouble()).isEqualTo(1000);
    assertThat(second.get("Sum").asDouble()).isZero();
    assertThat(first.get("Max").asDouble()).isEqualTo(400);
    assertThat(second.get("Min").asDouble()).isEqualTo(1);
  }

  @Test
  void summary_prometheusReceiver_deltaAndPromType() throws Exception {
    EmfTranslator t = translator("namespace: ns");
    List<EmfEvent> all = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      MetricsBatch b = new MetricsBatch();
      ScopeMetrics s = scope(b, Attributes.of("receiver", "prometheus"), "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver");
      Metric sm = new Metric("go_gc_duration_seconds", MetricType.SUMMARY);
      SummaryPoint sp = new SummaryPoint();
      sp.setTimeNanos(TN + i * 1_000_000_000L);
      sp.setCount(10 + i * 5);
      sp.setSum(1.5 + i);
      sp.setQuantiles(new double[] {0, 1}, new double[] {0.001, 0.02});
      sm.addPoint(sp);
      s.metrics().add(sm);
      s.metrics().add(gauge("up", "", NumberPoint.ofDouble(Attributes.of(), 0, TN + i * 1_000_000_000L, 1)));
      all.addAll(t.translate(b, T, i));
    }
    assertGolden("summary_prometheus", all);
  }

  @Test
  void summary_detailedMetrics_quantileSeries() throws Exception {
    MetricsBatch b = new MetricsBatch();
    Metric sm = new Metric("rpc_latency", MetricType.SUMMARY);
    SummaryPoint sp = new SummaryPoint();
    sp.setTimeNanos(TN);
    sp.setCount(10);
    sp.setSum(55);
    sp.setQuantiles(new double[] {0.5, 0.99}, new double[] {5, 9.5});
    sm.addPoint(sp);
    scope(b, Attributes.of(), "").metrics().add(sm);
    assertGolden("summary_detailed", translator("namespace: ns\ndetailed_metrics: true\ndimension_rollup_option: NoDimensionRollup").translate(b, T, 0));
  }

  @Test
  void declarations_labelMatchersSelectorsAndRollup() throws Exception {
    String yaml = """
        namespace: ContainerInsights
        metric_declarations:
          - dimensions: [[ClusterName, Namespace], [ClusterName, Namespace, PodName], [ClusterName, Missing]]
            label_matchers:
              - label_names: [Type, Namespace]
                separator: "/"
                regex: ^Pod/kube
            metric_name_selectors: [^pod_cpu, memory$]
          - dimensions: [[ClusterName]]
            metric_name_selectors: [pod_cpu_utilization]
        """;
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = scope(b, Attributes.of(), "");
    Object[] labels = {"Type", "Pod", "Namespace", "kube-system", "ClusterName", "c1", "PodName", "p1"};
    s.metrics().add(gauge("pod_cpu_utilization", "Percent", dbl(3.5, labels)));
    s.metrics().add(gauge("pod_memory", "", dbl(100, labels)));
    s.metrics().add(gauge("pod_network_rx", "", dbl(7, labels)));
    s.metrics().add(gauge("node_cpu", "", dbl(1, "Type", "Node", "ClusterName", "c1")));
    assertGolden("declarations", translator(yaml).translate(b, T, 0));
  }

  @Test
  void version0_topLevelDirectiveAndStringTimestamp() throws Exception {
    MetricsBatch b = new MetricsBatch();
    scope(b, Attributes.of(), "lib").metrics().add(gauge("g", "", dbl(1, "k", "v")));
    assertGolden("version0", translator("namespace: ns\nversion: \"0\"").translate(b, T, 0));
  }

  @Test
  void eksFargate_kubernetesObjectParsedAndPlaceholders() throws Exception {
    String yaml = """
        namespace: ContainerInsights
        log_group_name: /aws/containerinsights/{ClusterName}/performance
        log_stream_name: "{PodName}"
        eks_fargate_container_insights_enabled: true
        parse_json_encoded_attr_values: [kubernetes, Sources]
        dimension_rollup_option: NoDimensionRollup
        metric_declarations:
          - dimensions: [[ClusterName, Namespace, PodName]]
            metric_name_selectors: [^pod_]
        """;
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = scope(b, Attributes.of("ClusterName", "fargate-cluster"), "");
    s.metrics().add(gauge("pod_cpu_usage_total", "", dbl(12.5, "Type", "Pod", "ClusterName", "fargate-cluster",
        "Namespace", "default", "PodName", "web-1", "NodeName", "fargate-ip-1", "PodId", "uid-1",
        "app", "web", "Sources", "[\"cadvisor\",\"calculated\"]")));
    assertGolden("eks_fargate", translator(yaml).translate(b, T, 0));
  }

  @Test
  void placeholders_unresolved_undefined() throws Exception {
    MetricsBatch b = new MetricsBatch();
    scope(b, Attributes.of(), "").metrics().add(gauge("g", "", dbl(1)));
    List<EmfEvent> events = translator("log_group_name: /ecs/{TaskDefinitionFamily}\nlog_stream_name: \"{TaskId}\"").translate(b, T, 0);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.logGroup()).isEqualTo("/ecs/undefined");
      assertThat(e.logStream()).isEqualTo("undefined");
    });
  }

  @Test
  void badValues_droppedPointByPoint_batchKept() throws Exception {
    MetricsBatch b = new MetricsBatch();
    NumberPoint stale = dbl(1, "s", "stale");
    stale.setNoRecordedValue(true);
    scope(b, Attributes.of(), "").metrics().add(gauge("g", "", dbl(Double.NaN, "s", "nan"),
        dbl(Double.POSITIVE_INFINITY, "s", "pinf"), dbl(Double.NEGATIVE_INFINITY, "s", "ninf"), stale, dbl(2, "s", "ok")));
    List<EmfEvent> events = translator("namespace: ns").translate(b, T, 0);
    assertThat(dropped).containsExactlyInAnyOrderEntriesOf(Map.of("nan", 1L, "inf", 2L, "stale", 1L));
    assertThat(events).singleElement().extracting(EmfEvent::message).asString().contains("\"g\":2", "\"s\":\"ok\"");
  }

  @Test
  void metrics150_splitIntoEventsOfAtMost100() throws Exception {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = scope(b, Attributes.of(), "lib");
    for (int i = 0; i < 150; i++) {
      s.metrics().add(gauge(String.format("m%03d", i), "", dbl(i, "host", "a")));
    }
    List<EmfEvent> events = translator("namespace: ns").translate(b, T, 0);
    assertThat(events).hasSize(2);
    int total = 0;
    for (EmfEvent e : events) {
      JsonNode doc = JSON.readTree(e.message());
      int defs = doc.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics").size();
      assertThat(defs).isLessThanOrEqualTo(100);
      total += defs;
      assertThat(EmfSchemaRules.validate(doc)).isEmpty();
    }
    assertThat(total).isEqualTo(150);
    assertThat(events.get(0).points() + events.get(1).points()).isEqualTo(150);
  }

  @Test
  void labels35_fullSetLeftOutRollupsKept() throws Exception {
    MetricsBatch b = new MetricsBatch();
    Object[] attrs = new Object[70];
    for (int i = 0; i < 35; i++) {
      attrs[2 * i] = String.format("l%02d", i);
      attrs[2 * i + 1] = "v";
    }
    scope(b, Attributes.of(), "").metrics().add(gauge("g", "", dbl(1, attrs)));
    List<EmfEvent> events = translator("namespace: ns").translate(b, T, 0);
    assertThat(droppedSets).singleElement().satisfies(set -> assertThat(set).hasSize(35));
    JsonNode dims = JSON.readTree(events.get(0).message()).get("_aws").get("CloudWatchMetrics").get(0).get("Dimensions");
    assertThat(dims.size()).isEqualTo(36); // [] plus one per label
    assertThat(EmfSchemaRules.validate(JSON.readTree(events.get(0).message()))).isEmpty();
  }

  @Test
  void descriptors_unitOnlyWhenEmptyOrOverwrite() throws Exception {
    String yaml = """
        namespace: ns
        dimension_rollup_option: NoDimensionRollup
        metric_descriptors:
          - {metric_name: a, unit: Count}
          - {metric_name: b, unit: Count}
          - {metric_name: c, unit: Count, overwrite: true}
        """;
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = scope(b, Attributes.of(), "");
    s.metrics().add(gauge("a", "", dbl(1)));
    s.metrics().add(gauge("b", "ms", dbl(1)));
    s.metrics().add(gauge("c", "ms", dbl(1)));
    JsonNode metrics = JSON.readTree(translator(yaml).translate(b, T, 0).get(0).message())
        .get("_aws").get("CloudWatchMetrics").get(0).get("Metrics");
    Map<String, String> units = new TreeMap<>();
    metrics.forEach(m -> units.put(m.get("Name").asText(), m.get("Unit").asText()));
    assertThat(units).containsExactlyEntriesOf(new TreeMap<>(Map.of("a", "Count", "b", "Milliseconds", "c", "Count")));
  }

  @Test
  void contribDocumentedExample_sameFieldsAsFixture() throws Exception {
    // contrib's testTranslateCWMetricToEMF expectation (fixtures/emf/otel-contrib-awsemfexporter)
    JsonNode fixture = JSON.readTree(Files.readString(dev.otelcoljava.testing.SharedFiles.fixtures()
        .resolve("emf/otel-contrib-awsemfexporter/testTranslateCWMetricToEMF.json")));
    String yaml = """
        namespace: test-emf
        dimension_rollup_option: NoDimensionRollup
        parse_json_encoded_attr_values: [Sources, kubernetes]
        metric_declarations:
          - dimensions: [[spanName]]
            metric_name_selectors: [spanCounter]
        metric_descriptors:
          - {metric_name: spanCounter, unit: Count}
        """;
    MetricsBatch b = new MetricsBatch();
    String kubernetes = fixture.get("kubernetes").toString();
    NumberPoint p = NumberPoint.ofLong(Attributes.of("spanName", "test", "Sources", "[\"cadvisor\",\"pod\",\"calculated\"]",
        "kubernetes", kubernetes), 0, 1596151098037L * 1_000_000L, 0);
    scope(b, Attributes.of(), "cloudwatch-otel").metrics().add(gauge("spanCounter", "", p));
    List<EmfEvent> events = translator(yaml).translate(b, T, 0);
    assertThat(events).hasSize(1);
    JsonNode doc = JSON.readTree(events.get(0).message());
    for (String field : List.of("OTelLib", "Sources", "kubernetes", "spanCounter", "spanName")) {
      assertThat(doc.get(field)).as(field).isEqualTo(fixture.get(field));
    }
    JsonNode ours = doc.get("_aws");
    JsonNode theirs = fixture.get("_aws");
    assertThat(ours.get("Timestamp")).isEqualTo(theirs.get("Timestamp"));
    JsonNode d = ours.get("CloudWatchMetrics").get(0);
    JsonNode e = theirs.get("CloudWatchMetrics").get(0);
    assertThat(d.get("Namespace")).isEqualTo(e.get("Namespace"));
    assertThat(d.get("Metrics").get(0).get("Name")).isEqualTo(e.get("Metrics").get(0).get("Name"));
    assertThat(d.get("Metrics").get(0).get("Unit")).isEqualTo(e.get("Metrics").get(0).get("Unit"));
    assertThat(EmfSchemaRules.validate(doc)).isEmpty();
  }
}
