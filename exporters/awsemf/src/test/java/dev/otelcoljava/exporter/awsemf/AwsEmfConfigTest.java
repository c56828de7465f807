package dev.otelcoljava.exporter.awsemf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AwsEmfConfigTest {
  @Test
  void createConfig_absentNode_isValidDefault() {
    ConfigProblems problems = new ConfigProblems();
    AwsEmfConfig c = new AwsEmfExporterFactory().createConfig(ConfigNode.root(null, "exporters::awsemf", problems), "awsemf");
    assertThat(problems.errors()).isEmpty();
    assertThat(c).isEqualTo(AwsEmfConfig.defaults());
    assertThat(c.session().maxRetries()).isEqualTo(2);
    assertThat(c.version()).isEqualTo("1");
    assertThat(c.dimensionRollupOption()).isEqualTo("ZeroAndSingleDimensionRollup");
  }

  @Test
  void createConfig_fullTestdata_loadsEveryKey() throws Exception {
    TestData.Loaded l = TestData.loadYaml(TestData.resource("config.yaml"));
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.problems().warnings()).containsExactlyInAnyOrder(
        "exporters::awsemf::metric_declarations[1]: dropped metric declaration: invalid metric declaration: no metric name selectors defined",
        "exporters::awsemf::metric_declarations[2]::dimensions[0]: dropped dimension set: more than 10 dimensions specified",
        "exporters::awsemf::metric_descriptors[1]: dropped metric descriptor: unit \"Parsecs\" is not a CloudWatch unit "
            + new java.util.TreeSet<>(AwsEmfConfig.CLOUDWATCH_UNITS));
    AwsEmfConfig c = l.config();
    assertThat(c.namespace()).isEqualTo("ContainerInsights");
    assertThat(c.logGroupName()).isEqualTo("/aws/containerinsights/{ClusterName}/performance");
    assertThat(c.logStreamName()).isEqualTo("{PodName}");
    assertThat(c.logRetention()).isEqualTo(30);
    assertThat(c.tags()).isEqualTo(Map.of("team", "obs", "env", "prod"));
    assertThat(c.dimensionRollupOption()).isEqualTo("SingleDimensionRollupOnly");
    assertThat(c.metricDeclarations()).hasSize(2);
    assertThat(c.metricDeclarations().get(0).dimensions())
        .containsExactly(List.of("ClusterName", "Namespace"), List.of("ClusterName", "Namespace", "PodName"));
    assertThat(c.metricDeclarations().get(0).labelMatchers()).singleElement().satisfies(m -> {
      assertThat(m.labelNames()).containsExactly("Type");
      assertThat(m.separator()).isEqualTo(";");
      assertThat(m.regex().pattern()).isEqualTo("^Pod$");
    });
    assertThat(c.metricDeclarations().get(1).dimensions()).containsExactly(List.of("ClusterName"));
    assertThat(c.metricDescriptors()).containsExactly(new AwsEmfConfig.MetricDescriptor("pod_cpu", "Percent", true));
    assertThat(c.outputDestination()).isEqualTo("stdout");
    assertThat(c.resourceToTelemetryConversion()).isTrue();
    assertThat(c.parseJsonEncodedAttrValues()).containsExactly("Sources", "kubernetes");
    assertThat(c.detailedMetrics()).isTrue();
    assertThat(c.retainInitialValueOfDeltaMetric()).isTrue();
    assertThat(c.eksFargateContainerInsightsEnabled()).isTrue();
    assertThat(c.disableMetricExtraction()).isFalse();
    assertThat(c.version()).isEqualTo("0");
    assertThat(c.session()).isEqualTo(new AwsEmfConfig.AwsSession("us-west-2", "https://logs.us-west-2.amazonaws.com",
        "arn:aws:iam::123456789012:role/emf", "ext", "http://proxy.local:3128", true, Duration.ofSeconds(10), 5));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "invalid_log_retention.yaml|exporters::awsemf::log_retention: invalid value for retention policy (2); use one of [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] (0: never expire)",
      "invalid_request_timeout.yaml|exporters::awsemf::request_timeout_seconds: (0) must be > 0",
      "invalid_tags.yaml|exporters::awsemf::tags: key \"bad#key\" is invalid: 1-128 letters, digits, spaces or _.:/=+-@",
  })
  void createConfig_invalid_failsWithMessage(String file, String message) throws Exception {
    assertThat(TestData.loadYaml(TestData.resource(file)).problems().errors()).containsExactly(message);
  }

  @Test
  void createConfig_unknownKey_namesNearest() throws Exception {
    assertThat(TestData.loadYaml(TestData.resource("invalid_unknown_key.yaml")).problems().errors()).singleElement()
        .asString().startsWith("exporters::awsemf: unknown key \"namespce\"; did you mean \"namespace\"?");
  }

  @Test
  void createConfig_unknownOutputDestination_warnsAndUsesCloudwatch() throws Exception {
    TestData.Loaded l = TestData.loadYaml(TestData.resource("warn_output_destination.yaml"));
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.problems().warnings()).containsExactly(
        "exporters::awsemf::output_destination: \"kinesis\" is not cloudwatch or stdout; using cloudwatch");
    assertThat(l.config().outputDestination()).isEqualTo("cloudwatch");
  }

  @Test
  void createConfig_tooManyTags_fails() throws Exception {
    StringBuilder y = new StringBuilder("tags:\n");
    for (int i = 0; i < 51; i++) {
      y.append("  k").append(i).append(": v\n");
    }
    assertThat(TestData.loadYaml(y.toString()).problems().errors())
        .containsExactly("exporters::awsemf::tags: invalid amount of items (51); use at most 50 tags");
  }
}
