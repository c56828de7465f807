package dev.otelcoljava.processor.metricsgeneration;

import static dev.otelcoljava.processor.internal.TestSupport.at;
import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.dbl;
import static dev.otelcoljava.processor.internal.TestSupport.gauge;
import static dev.otelcoljava.processor.internal.TestSupport.lng;
import static dev.otelcoljava.processor.internal.TestSupport.render;
import static dev.otelcoljava.processor.internal.TestSupport.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.Temporality;
import dev.otelcoljava.testing.MetricsSink;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsGenerationProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/metricsgeneration/";
  private final MetricsGenerationProcessorFactory factory = new MetricsGenerationProcessorFactory();

  @Test
  void factory_typeAndOldName() {
    assertThat(factory.type()).isEqualTo("metricsgeneration");
    assertThat(factory.deprecatedTypes()).containsExactly("experimental_metricsgeneration");
  }

  @Test
  void createConfig_absent_isValidDefault() {
    TestSupport.Loaded<MetricsGenerationConfig> l = TestSupport.loadTree(factory, null, "metricsgeneration");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config().rules()).isEmpty();
  }

  @Test
  void createConfig_fullTestdata_loadsReadmeExample() throws Exception {
    TestSupport.Loaded<MetricsGenerationConfig> l = TestSupport.load(factory, DIR + "config.yaml", "metricsgeneration");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config().rules()).containsExactly(
        new MetricsGenerationConfig.Rule("new_metric", "Percent", "calculate", "metric1", "metric2", "percent", 0),
        new MetricsGenerationConfig.Rule("new_metric_scaled", "unit", "scale", "metric1", "", "multiply", 1000));
  }

  @Test
  void createConfig_invalidFiles_failWithContribMessages() throws Exception {
    assertThat(errors("invalid_no_name.yaml")).containsExactly(
        "processors::metricsgeneration::rules[0]: missing required field \"name\"");
    assertThat(errors("invalid_no_metric2.yaml")).containsExactly(
        "processors::metricsgeneration::rules[0]: missing required field \"metric2\" for generation type \"calculate\"");
    assertThat(errors("invalid_scale_by.yaml")).containsExactly(
        "processors::metricsgeneration::rules[0]: field \"scale_by\" required to be greater than 0 for generation type \"scale\"");
    assertThat(errors("invalid_name_is_metric1.yaml")).containsExactly(
        "processors::metricsgeneration::rules[0]: value of field \"name\" may not match value of field \"metric1\"");
    assertThat(errors("invalid_operation.yaml")).containsExactly(
        "processors::metricsgeneration::rules[0]: \"operation\" must be in [\"add\" \"subtract\" \"multiply\" \"divide\" \"percent\"]");
  }

  private List<String> errors(String file) throws Exception {
    return TestSupport.load(factory, DIR + file, "metricsgeneration").problems().errors();
  }

  private String run(String yaml, MetricsBatch in) {
    TestSupport.Loaded<MetricsGenerationConfig> l = TestSupport.loadTree(factory, TestSupport.parseYaml(yaml), "metricsgeneration");
    assertThat(l.problems().errors()).isEmpty();
    MetricsSink sink = new MetricsSink();
    factory.createProcessor(new TestSupport.Telemetry().settings("metricsgeneration"), l.config(), sink).consume(in);
    return render(sink.batches().get(0));
  }

  @Test
  void calculate_eachOperation_pairsPointsByAttributes() {
    String[][] cases = {
        {"add", "150.0", "400.0"},
        {"subtract", "-50.0", "0.0"},
        {"multiply", "5000.0", "40000.0"},
        {"divide", "0.5", "1.0"},
        {"percent", "50.0", "100.0"},
    };
    for (String[] c : cases) {
      MetricsBatch in = batch(
          gauge("pod_memory_working_set", lng(50, "pod", "a"), lng(200, "pod", "b")),
          gauge("pod_memory_limit", lng(200, "pod", "b"), lng(100, "pod", "a")));
      assertThat(run("""
          rules:
            - name: out
              unit: Percent
              type: calculate
              metric1: pod_memory_working_set
              metric2: pod_memory_limit
              operation: %s
          """.formatted(c[0]), in)).as(c[0]).endsWith("""
            out GAUGE unit=Percent
              {pod=a} %s
              {pod=b} %s
          """.formatted(c[1], c[2]));
    }
  }

  @Test
  void calculate_divisionByZeroSkipsPoint_andMetric2AttributesAreMerged() {
    MetricsBatch in = batch(
        gauge("usage", dbl(5, "pod", "a"), dbl(7, "pod", "b")),
        gauge("limit", dbl(0, "pod", "a", "unit", "cores"), dbl(14, "pod", "b", "unit", "cores")));
    assertThat(run("""
        rules:
          - name: util
            type: calculate
            metric1: usage
            metric2: limit
            operation: percent
        """, in)).endsWith("""
          util GAUGE
            {pod=b, unit=cores} 50.0
        """);
  }

  @Test
  void scale_andGeneratedMetricsAreNotInputsOfLaterRules() {
    MetricsBatch in = batch(
        gauge("pod_cpu_usage_seconds_total", at(dbl(0.25, "pod", "a"), 1, 2)),
        gauge("pod_cpu_limit_raw", lng(50000, "pod", "a")));
    assertThat(run("""
        rules:
          - name: pod_cpu_usage_total
            unit: Millicore
            type: scale
            metric1: pod_cpu_usage_seconds_total
            operation: multiply
            scale_by: 1000
          - name: pod_cpu_limit
            unit: Millicore
            type: scale
            metric1: pod_cpu_limit_raw
            operation: divide
            scale_by: 100
          - name: pod_cpu_utilization_over_pod_limit
            type: calculate
            unit: Percent
            metric1: pod_cpu_usage_total
            metric2: pod_cpu_limit
            operation: percent
        """, in)).isEqualTo("""
        resource {}
          pod_cpu_usage_seconds_total GAUGE
            {pod=a} 0.25 @1..2
          pod_cpu_limit_raw GAUGE
            {pod=a} int 50000
          pod_cpu_usage_total GAUGE unit=Millicore
            {pod=a} 250.0 @1..2
          pod_cpu_limit GAUGE unit=Millicore
            {pod=a} 500.0
        """);
  }

  @Test
  void missingOperand_skipsRule_andSumKeepsTemporality() {
    MetricsBatch in = batch(sum("bytes", Temporality.CUMULATIVE, true, lng(10)));
    assertThat(run("""
        rules:
          - name: x
            type: calculate
            metric1: bytes
            metric2: absent
            operation: add
          - name: kib
            type: scale
            metric1: bytes
            operation: divide
            scale_by: 1024
        """, in)).isEqualTo("""
        resource {}
          bytes SUM CUMULATIVE monotonic
            {} int 10
          kib SUM CUMULATIVE monotonic
            {} 0.009765625
        """);
  }
}
