package dev.otelcoljava.receiver.awsecscontainermetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class AwsEcsContainerMetricsConfigTest {
  private final AwsEcsContainerMetricsReceiverFactory factory = new AwsEcsContainerMetricsReceiverFactory();

  private AwsEcsContainerMetricsConfig read(String resource, ConfigProblems problems) throws Exception {
    ConfigNode node = TestSupport.load(resource, problems);
    AwsEcsContainerMetricsConfig c = factory.createConfig(node, "awsecscontainermetrics");
    node.reportUnknownKeys();
    return c;
  }

  @Test
  void createConfig_absent_isDefault() throws Exception {
    ConfigProblems p = new ConfigProblems();
    assertThat(read(null, p)).isEqualTo(new AwsEcsContainerMetricsConfig(Duration.ofSeconds(20)));
    assertThat(p.hasErrors()).isFalse();
  }

  @Test
  void createConfig_testdata_loads() throws Exception {
    ConfigProblems p = new ConfigProblems();
    assertThat(read("config.yaml", p).collectionInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.errors()).isEmpty();
  }

  @Test
  void createConfig_invalidFiles_failWithExactMessages() throws Exception {
    ConfigProblems p = new ConfigProblems();
    read("invalid_zero_interval.yaml", p);
    assertThat(p.errors()).containsExactly(
        "receivers::awsecscontainermetrics::collection_interval: (0s) must be greater than 0, e.g. 20s");
    p = new ConfigProblems();
    read("invalid_not_a_duration.yaml", p);
    assertThat(p.errors()).containsExactly(
        "receivers::awsecscontainermetrics::collection_interval: expected a duration such as 30s, 1m or 500ms, got \"often\"");
    p = new ConfigProblems();
    read("invalid_unknown_key.yaml", p);
    assertThat(p.errors()).singleElement().asString()
        .startsWith("receivers::awsecscontainermetrics: unknown key \"collection_intervall\"; did you mean \"collection_interval\"?");
  }

  @Test
  void serviceLoader_findsFactory() {
    boolean found = false;
    for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
      if (f.type().equals("awsecscontainermetrics")) {
        found = true;
        assertThat(f.kind()).isEqualTo(ComponentKind.RECEIVER);
      }
    }
    assertThat(found).isTrue();
  }
}
