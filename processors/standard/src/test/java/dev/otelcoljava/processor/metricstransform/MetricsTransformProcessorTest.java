package dev.otelcoljava.processor.metricstransform;

import static dev.otelcoljava.processor.internal.TestSupport.at;
import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.dbl;
import static dev.otelcoljava.processor.internal.TestSupport.gauge;
import static dev.otelcoljava.processor.internal.TestSupport.lng;
import static dev.otelcoljava.processor.internal.TestSupport.render;
import static dev.otelcoljava.processor.internal.TestSupport.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.Temporality;
import dev.otelcoljava.testing.MetricsSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTransformProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/metricstransform/";
  private final MetricsTransformProcessorFactory factory = new MetricsTransformProcessorFactory();

  @Test
  void factory_typeAndAlias() {
    assertThat(factory.type()).isEqualTo("metrics_transform");
    assertThat(factory.deprecatedTypes()).containsExactly("metricstransform");
    assertThat(factory.createProcessor(new TestSupport.Telemetry().settings("metrics_transform"),
        new MetricsTransformConfig(List.of()), new MetricsSink()).mutatesData()).isTrue();
  }

  @Test
  void createConfig_absent_isValidDefault() {
    TestSupport.Loaded<MetricsTransformConfig> l = TestSupport.loadTree(factory, null, "metrics_transform");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config().transforms()).isEmpty();
  }

  @Test
  void createConfig_fullTestdata_loadsEveryKey() throws Exception {
    TestSupport.Loaded<MetricsTransformConfig> l = TestSupport.load(factory, DIR + "config.yaml", "metricstransform/full");
    assertThat(l.problems().errors()).isEmpty();
    List<MetricsTransformConfig.Transform> t = l.config().transforms();
    assertThat(t).hasSize(5);
    assertThat(t.get(0)).isEqualTo(new MetricsTransformConfig.Transform("system.cpu.usage", "", Map.of(), "update",
        "system.cpu.usage_time", null, "", "", List.of()));
    assertThat(t.get(1).newName()).isEqualTo("system.processor.${1}");
    assertThat(t.get(2).matchLabels()).isEqualTo(Map.of("state", "idle"));
    assertThat(t.get(2).operations()).containsExactly(
        new MetricsTransformConfig.Operation("add_label", "", "version", List.of(), "", List.of(), List.of(),
            "opentelemetry collector {{version}}", "", 0),
        new MetricsTransformConfig.Operation("update_label", "state", "cpu_state",
            List.of(new MetricsTransformConfig.ValueAction("idle", "-")), "", List.of(), List.of(), "", "", 0),
        new MetricsTransformConfig.Operation("aggregate_labels", "", "", List.of(), "sum", List.of("state"), List.of(), "", "", 0),
        new MetricsTransformConfig.Operation("aggregate_label_values", "state", "", List.of(), "sum", List.of(),
            List.of("user", "system"), "used", "", 0),
        new MetricsTransformConfig.Operation("delete_label_value", "state", "", List.of(), "", List.of(), List.of(), "", "idle", 0),
        new MetricsTransformConfig.Operation("toggle_scalar_data_type", "", "", List.of(), "", List.of(), List.of(), "", "", 0),
        new MetricsTransformConfig.Operation("experimental_scale_value", "", "", List.of(), "", List.of(), List.of(), "", "", 1000));
    assertThat(t.get(3)).isEqualTo(new MetricsTransformConfig.Transform("^k8s\\.pod\\.(?P<kind>.*)$", "regexp", Map.of(),
        "combine", "k8s.pod.all", null, "max", "upper", List.of()));
    assertThat(t.get(4).groupResourceLabels()).isEqualTo(Map.of("resource.type", "system"));
  }

  @Test
  void createConfig_invalidFiles_failWithContribMessages() throws Exception {
    assertThat(errors("invalid_insert_without_new_name.yaml")).containsExactly(
        "processors::metricstransform::transforms[0]: missing required field \"new_name\" while \"action\" is insert");
    assertThat(errors("invalid_action.yaml")).containsExactly(
        "processors::metricstransform::transforms[0]: \"action\" must be in [\"update\" \"insert\" \"combine\" \"group\"]");
    assertThat(errors("invalid_operation.yaml")).containsExactly(
        "processors::metricstransform::transforms[0]: operation 2: missing required field \"label\" while \"action\" is update_label");
    assertThat(errors("invalid_aggregation.yaml")).containsExactly(
        "processors::metricstransform::transforms[0]: \"aggregation_type\" must be in [\"sum\" \"mean\" \"min\" \"max\" \"count\" \"median\"]");
    assertThat(errors("invalid_missing_include.yaml")).containsExactly(
        "processors::metricstransform::transforms[0]: missing required field \"include\"");
  }

  private List<String> errors(String file) throws Exception {
    return TestSupport.load(factory, DIR + file, "metricstransform").problems().errors();
  }

  private static String run(String yaml, MetricsBatch in) {
    MetricsTransformProcessorFactory f = new MetricsTransformProcessorFactory();
    TestSupport.Loaded<MetricsTransformConfig> l = TestSupport.loadTree(f, TestSupport.parseYaml(yaml), "metricstransform");
    assertThat(l.problems().errors()).isEmpty();
    MetricsSink sink = new MetricsSink();
    f.createProcessor(new TestSupport.Telemetry().settings("metricstransform"), l.config(), sink).consume(in);
    return render(sink.batches().get(0));
  }

  private static Metric cpu() {
    return gauge("system.cpu.usage", lng(10, "cpu", "0", "state", "idle"), lng(5, "cpu", "0", "state", "user"),
        lng(3, "cpu", "1", "state", "system"), lng(2, "cpu", "1", "state", "idle"));
  }

  @Test
  void update_renameStrict() {
    assertThat(run("""
        transforms:
          - include: system.cpu.usage
            action: update
            new_name: system.cpu.usage_time
        """, batch(gauge("system.cpu.usage", dbl(1)), gauge("other", dbl(2))))).isEqualTo("""
        resource {}
          system.cpu.usage_time GAUGE
            {} 1.0
          other GAUGE
            {} 2.0
        """);
  }

  @Test
  void update_renameRegexpWithCaptureGroups_unanchored() {
    assertThat(run("""
        transforms:
          - include: ^system\\.cpu\\.(.*)$
            match_type: regexp
            action: update
            new_name: system.processor.${1}
          - include: mem\\.(?P<part>[a-z]+)
            match_type: regexp
            action: update
            new_name: memory_$part
        """, batch(gauge("system.cpu.usage", dbl(1)), gauge("my.mem.free.bytes", dbl(2))))).isEqualTo("""
        resource {}
          system.processor.usage GAUGE
            {} 1.0
          memory_free GAUGE
            {} 2.0
        """);
  }

  @Test
  void update_withLabelFilter_renamesOnlyWhenAllPointsMatch_butUpdatesLabelsPerPoint() {
    assertThat(run("""
        transforms:
          - include: system.cpu.usage
            experimental_match_labels: {"state": "idle"}
            action: update
            new_name: renamed
            operations:
              - action: update_label
                label: cpu
                new_label: core
        """, batch(cpu()))).isEqualTo("""
        resource {}
          system.cpu.usage GAUGE
            {core=0, state=idle} int 10
            {cpu=0, state=user} int 5
            {cpu=1, state=system} int 3
            {core=1, state=idle} int 2
        """);
  }

  @Test
  void insert_copiesOnlyMatchingPoints_andAddsVersionLabel() {
    assertThat(run("""
        transforms:
          - include: system.cpu.usage
            experimental_match_labels: {"state": "idle"}
            action: insert
            new_name: system.cpu.usage.idle
            operations:
              - action: add_label
                new_label: version
                new_value: opentelemetry collector {{version}}
              - action: add_label
                new_label: state
                new_value: never-overwrites
        """, batch(cpu()))).isEqualTo("""
        resource {}
          system.cpu.usage GAUGE
            {cpu=0, state=idle} int 10
            {cpu=0, state=user} int 5
            {cpu=1, state=system} int 3
            {cpu=1, state=idle} int 2
          system.cpu.usage.idle GAUGE
            {cpu=0, state=idle, version=opentelemetry collector 1.2.3} int 10
            {cpu=1, state=idle, version=opentelemetry collector 1.2.3} int 2
        """);
  }

  @Test
  void updateLabel_valueActions_andDeleteLabelValue() {
    assertThat(run("""
        transforms:
          - include: system.cpu.usage
            action: update
            operations:
              - action: update_label
                label: state
                value_actions:
                  - value: idle
                    new_value: "-"
              - action: delete_label_value
                label: state
                label_value: user
        """, batch(cpu()))).isEqualTo("""
        resource {}
          system.cpu.usage GAUGE
            {cpu=0, state=-} int 10
            {cpu=1, state=system} int 3
            {cpu=1, state=-} int 2
        """);
  }

  @Test
  void aggregateLabels_eachAggregationType() {
    String[][] cases = {
        {"sum", "{state=idle} int 12", "{state=user} int 5"},
        {"mean", "{state=idle} int 6", "{state=user} int 5"},
        {"min", "{state=idle} int 2", "{state=user} int 5"},
        {"max", "{state=idle} int 10", "{state=user} int 5"},
        {"count", "{state=idle} int 2", "{state=user} int 5"},
        {"median", "{state=idle} int 6", "{state=user} int 5"},
    };
    for (String[] c : cases) {
      Metric m = gauge("system.cpu.usage", lng(10, "cpu", "0", "state", "idle"), lng(5, "cpu", "0", "state", "user"),
          lng(2, "cpu", "1", "state", "idle"));
      assertThat(run("""
          transforms:
            - include: system.cpu.usage
              action: update
              operations:
                - action: aggregate_labels
                  label_set: [state]
                  aggregation_type: %s
          """.formatted(c[0]), batch(m))).as(c[0]).isEqualTo("resource {}\n  system.cpu.usage GAUGE\n    " + c[1] + "\n    " + c[2] + "\n");
    }
  }

  @Test
  void aggregateLabels_doubleMeanAndMedianOfThree() {
    Metric m = gauge("g", dbl(1, "a", "x", "b", "1"), dbl(2, "a", "x", "b", "2"), dbl(6, "a", "x", "b", "3"));
    String yaml = """
        transforms:
          - include: g
            action: update
            operations:
              - action: aggregate_labels
                label_set: [a]
                aggregation_type: %s
        """;
    assertThat(run(yaml.formatted("mean"), batch(m.copy()))).isEqualTo("resource {}\n  g GAUGE\n    {a=x} 3.0\n");
    assertThat(run(yaml.formatted("median"), batch(m.copy()))).isEqualTo("resource {}\n  g GAUGE\n    {a=x} 2.0\n");
  }

  @Test
  void aggregateLabelValues_mergesListedValues() {
    assertThat(run("""
        transforms:
          - include: system.cpu.usage
            action: update
            operations:
              - action: aggregate_label_values
                label: state
                aggregated_values: [user, system]
                new_value: used
                aggregation_type: sum
        """, batch(gauge("system.cpu.usage", lng(10, "state", "idle"), lng(5, "state", "user"), lng(3, "state", "system")))))
        .isEqualTo("""
            resource {}
              system.cpu.usage GAUGE
                {state=idle} int 10
                {state=used} int 8
            """);
  }

  @Test
  void aggregation_keepsPointsWithDifferentTimestampsApart_andMinStart() {
    Metric m = sum("s", Temporality.CUMULATIVE, true, at(lng(1, "a", "1"), 50, 100), at(lng(2, "a", "2"), 40, 100),
        at(lng(4, "a", "1"), 50, 200));
    assertThat(run("""
        transforms:
          - include: s
            action: update
            operations:
              - action: aggregate_labels
                label_set: []
                aggregation_type: sum
        """, batch(m))).isEqualTo("""
        resource {}
          s SUM CUMULATIVE monotonic
            {} int 3 @40..100
            {} int 4 @50..200
        """);
  }

  @Test
  void toggleAndScale() {
    assertThat(run("""
        transforms:
          - include: g
            action: update
            operations:
              - action: toggle_scalar_data_type
          - include: h
            action: update
            operations:
              - action: experimental_scale_value
                experimental_scale: 1000
          - include: i
            action: update
            operations:
              - action: experimental_scale_value
                experimental_scale: 0.5
        """, batch(gauge("g", dbl(2.9), lng(3)), gauge("h", dbl(0.25)), gauge("i", lng(3))))).isEqualTo("""
        resource {}
          g GAUGE
            {} int 2
            {} 3.0
          h GAUGE
            {} 250.0
          i GAUGE
            {} int 1
        """);
  }

  @Test
  void scale_histogramSumAndBounds() {
    Metric h = new Metric("h", MetricType.HISTOGRAM);
    HistogramPoint p = new HistogramPoint();
    p.setCount(3);
    p.setSum(1.5);
    p.setBounds(new double[] {0.1, 1});
    p.setBucketCounts(new long[] {1, 1, 1});
    h.addPoint(p);
    assertThat(run("""
        transforms:
          - include: h
            action: update
            operations:
              - action: experimental_scale_value
                experimental_scale: 1000
        """, batch(h))).isEqualTo("""
        resource {}
          h HISTOGRAM CUMULATIVE
            {} count=3 sum=1500.0 bounds=[100.0, 1000.0] buckets=[1, 1, 1]
        """);
  }

  @Test
  void combine_submatchesBecomeAttributes_andAreAggregated() {
    assertThat(run("""
        transforms:
          - include: ^k8s\\.pod\\.(?P<kind>[a-z]+)\\.(.*)$
            match_type: regexp
            action: combine
            new_name: k8s.pod.all
            aggregation_type: sum
            submatch_case: upper
        """, batch(gauge("k8s.pod.cpu.used", dbl(1, "pod", "a")), gauge("k8s.pod.mem.used", dbl(2, "pod", "a")),
        gauge("other", dbl(3))))).isEqualTo("""
        resource {}
          other GAUGE
            {} 3.0
          k8s.pod.all GAUGE
            {$2=USED, kind=CPU, pod=a} 1.0
            {$2=USED, kind=MEM, pod=a} 2.0
        """);
  }

  @Test
  void combine_differentTypes_isSkippedWithWarning() {
    TestSupport.Telemetry tel = new TestSupport.Telemetry();
    TestSupport.Loaded<MetricsTransformConfig> l = TestSupport.loadTree(factory, TestSupport.parseYaml("""
        transforms:
          - include: ^x\\.
            match_type: regexp
            action: combine
            new_name: x
            aggregation_type: sum
        """), "metricstransform");
    MetricsSink sink = new MetricsSink();
    factory.createProcessor(tel.settings("metricstransform"), l.config(), sink)
        .consume(batch(gauge("x.a", dbl(1)), sum("x.b", Temporality.CUMULATIVE, true, dbl(2))));
    assertThat(sink.allMetrics()).extracting(Metric::name).containsExactly("x.a", "x.b");
    assertThat(tel.logger.lines).containsExactly(
        "WARNING metrics cannot be combined as they are of different types: x.a (Gauge) and x.b (Sum)");
  }

  @Test
  void group_movesMatchesToNewResource() {
    assertThat(run("""
        transforms:
          - include: ^system\\.
            match_type: regexp
            action: group
            group_resource_labels: {"resource.type": "system"}
        """, batch(Attributes.of("host", "h1"), gauge("system.cpu", dbl(1)), gauge("app.x", dbl(2))))).isEqualTo("""
        resource {host=h1}
          app.x GAUGE
            {} 2.0
        resource {host=h1, resource.type=system}
          system.cpu GAUGE
            {} 1.0
        """);
  }

  @Test
  void containerInsightsChain_labelRenamesMatchLabelsAndCaptureRename() {
    // The shapes of the eks-fargate-container-insights scenario (after $$ expansion).
    MetricsBatch in = batch(gauge("container_memory_usage_bytes",
        lng(100, "container", "app", "kubernetes_io_hostname", "n1", "eks_amazonaws_com_compute_type", "fargate", "pod", "p1", "namespace", "ns"),
        lng(300, "container", "", "image", "", "kubernetes_io_hostname", "n1", "eks_amazonaws_com_compute_type", "fargate", "pod", "p1", "namespace", "ns"),
        lng(7, "container", "x", "kubernetes_io_hostname", "n1", "eks_amazonaws_com_compute_type", "ec2", "pod", "p2", "namespace", "ns")));
    String out = run("""
        transforms:
          - include: .*
            match_type: regexp
            action: update
            operations:
              - action: update_label
                label: kubernetes_io_hostname
                new_label: NodeName
              - action: update_label
                label: eks_amazonaws_com_compute_type
                new_label: LaunchType
          - include: container_memory_usage_bytes
            new_name: new_container_memory_usage
            action: insert
            match_type: regexp
            experimental_match_labels: {"container": "\\\\S", "LaunchType": "fargate"}
          - include: container_memory_usage_bytes
            new_name: pod_memory_usage
            action: insert
            match_type: regexp
            experimental_match_labels: {"image": "^$", "container": "^$", "pod": "\\\\S", "LaunchType": "fargate"}
          - include: pod_.*
            match_type: regexp
            action: update
            operations:
              - action: add_label
                new_label: Type
                new_value: "Pod"
          - include: ^new_container_(.*)$
            match_type: regexp
            action: update
            new_name: container_$1
        """, in);
    assertThat(out).isEqualTo("""
        resource {}
          container_memory_usage_bytes GAUGE
            {LaunchType=fargate, NodeName=n1, container=app, namespace=ns, pod=p1} int 100
            {LaunchType=fargate, NodeName=n1, container=, image=, namespace=ns, pod=p1} int 300
            {LaunchType=ec2, NodeName=n1, container=x, namespace=ns, pod=p2} int 7
          container_memory_usage GAUGE
            {LaunchType=fargate, NodeName=n1, container=app, namespace=ns, pod=p1} int 100
          pod_memory_usage GAUGE
            {LaunchType=fargate, NodeName=n1, Type=Pod, container=, image=, namespace=ns, pod=p1} int 300
        """);
  }
}
