package dev.otelcoljava.processor.resource;

import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.dbl;
import static dev.otelcoljava.processor.internal.TestSupport.gauge;
import static dev.otelcoljava.processor.internal.TestSupport.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.internal.AttributeActions;
import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.testing.MetricsSink;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/resource/";
  private final ResourceProcessorFactory factory = new ResourceProcessorFactory();

  @Test
  void createConfig_absent_failsWithRequiredKeyError() {
    assertThat(TestSupport.loadTree(factory, null, "resource").problems().errors())
        .containsExactly("processors::resource: missing required field \"attributes\"");
  }

  @Test
  void createConfig_fullTestdata_loadsReadmeExample() throws Exception {
    TestSupport.Loaded<ResourceConfig> l = TestSupport.load(factory, DIR + "config.yaml", "resource");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config().attributes()).containsExactly(
        new AttributeActions.Action("cloud.availability_zone", "zone-1", "", "", "", "", "upsert"),
        new AttributeActions.Action("k8s.cluster.name", null, "k8s-cluster", "", "", "", "insert"),
        new AttributeActions.Action("redundant-attribute", null, "", "", "", "", "delete"));
  }

  @Test
  void createConfig_invalidFiles_failWithContribMessages() throws Exception {
    assertThat(TestSupport.load(factory, DIR + "invalid_two_sources.yaml", "resource").problems().errors()).containsExactly(
        "processors::resource::attributes: error with key \"a\" (1-th action): error creating AttrProc due to multiple value sources being set");
    assertThat(TestSupport.load(factory, DIR + "invalid_action.yaml", "resource").problems().errors()).containsExactly(
        "processors::resource::attributes: error with key \"a\" (0-th action): error creating AttrProc due to unsupported action \"rename\"");
  }

  @Test
  void readmeExample_appliesToResourceAttributes() throws Exception {
    TestSupport.Loaded<ResourceConfig> l = TestSupport.load(factory, DIR + "config.yaml", "resource");
    MetricsSink sink = new MetricsSink();
    factory.createProcessor(new TestSupport.Telemetry().settings("resource"), l.config(), sink).consume(
        batch(Attributes.of("cloud.availability_zone", "old", "k8s-cluster", "prod", "redundant-attribute", "x"),
            gauge("g", dbl(1, "redundant-attribute", "point attrs are untouched"))));
    assertThat(render(sink.batches().get(0))).isEqualTo("""
        resource {cloud.availability_zone=zone-1, k8s-cluster=prod, k8s.cluster.name=prod}
          g GAUGE
            {redundant-attribute=point attrs are untouched} 1.0
        """);
  }

  @Test
  void insertDoesNotOverwrite_updateNeedsExistingKey() {
    AttributeActions a = AttributeActions.of(List.of(
        new AttributeActions.Action("a", "new", "", "", "", "", "insert"),
        new AttributeActions.Action("b", "new", "", "", "", "", "update"),
        new AttributeActions.Action("c", 7L, "", "", "", "", "upsert")));
    Attributes attrs = Attributes.of("a", "old");
    a.apply(attrs);
    assertThat(attrs).isEqualTo(Attributes.of("a", "old", "c", 7L));
  }

  @Test
  void defaultValue_usedWhenFromAttributeIsMissing() {
    AttributeActions a = AttributeActions.of(List.of(
        new AttributeActions.Action("env", null, "environment", "", "", "", "insert", "production"),
        new AttributeActions.Action("tenant", null, "", "", "", "", "upsert", 42L)));
    Attributes missing = new Attributes();
    a.apply(missing);
    assertThat(missing).isEqualTo(Attributes.of("env", "production", "tenant", 42L));
    Attributes present = Attributes.of("environment", "staging");
    a.apply(present);
    assertThat(present).isEqualTo(Attributes.of("environment", "staging", "env", "staging", "tenant", 42L));
  }
}
