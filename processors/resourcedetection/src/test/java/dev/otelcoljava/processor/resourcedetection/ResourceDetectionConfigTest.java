package dev.otelcoljava.processor.resourcedetection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.SharedFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ResourceDetectionConfigTest {
  private final ResourceDetectionProcessorFactory factory = new ResourceDetectionProcessorFactory();

  private ResourceDetectionConfig read(ConfigNode node) {
    ResourceDetectionConfig c = factory.createConfig(node, "resourcedetection");
    node.reportUnknownKeys();
    return c;
  }

  @Test
  void createConfig_absent_isDefault() throws Exception {
    ConfigProblems p = new ConfigProblems();
    assertThat(read(TestSupport.load(null, p))).isEqualTo(ResourceDetectionConfig.defaults());
    assertThat(p.errors()).isEmpty();
    assertThat(factory.type()).isEqualTo("resource_detection");
    assertThat(factory.deprecatedTypes()).containsExactly("resourcedetection");
  }

  @Test
  void createConfig_testdata_loadsEveryKey() throws Exception {
    ConfigProblems p = new ConfigProblems();
    ResourceDetectionConfig c = read(TestSupport.load("config.yaml", p));
    assertThat(p.errors()).isEmpty();
    assertThat(p.warnings()).isEmpty();
    assertThat(c).isEqualTo(new ResourceDetectionConfig(
        List.of("env", "ecs", "ec2", "system", "eks"), false, Duration.ofSeconds(2), Duration.ofMinutes(5),
        List.of(),
        Map.of("system", Map.of("host.id", true, "os.type", false),
            "ec2", Map.of("host.name", false),
            "ecs", Map.of("aws.log.group.arns", false)),
        new ResourceDetectionConfig.SystemSettings(List.of("os")),
        new ResourceDetectionConfig.Ec2Settings(List.of("^Name$", "^team-"), true, 5, Duration.ofSeconds(3), true),
        new ResourceDetectionConfig.EksSettings("MY_NODE")));
    assertThat(c.enabled("system", "host.id", false)).isTrue();
    assertThat(c.enabled("system", "host.name", true)).isTrue();
  }

  @Test
  void createConfig_invalidFiles_failWithExactMessages() throws Exception {
    ConfigProblems p = new ConfigProblems();
    read(TestSupport.load("invalid_unknown_detector.yaml", p));
    assertThat(p.errors()).containsExactly(
        "processors::resourcedetection::detectors[1]: unknown detector \"gcp\" (an otelcol-contrib detector that"
            + " otelcol-java does not implement); known detectors: ec2, ecs, eks, env, system",
        "processors::resourcedetection::detectors[2]: unknown detector \"ecss\"; known detectors: ec2, ecs, eks, env, system");
    p = new ConfigProblems();
    read(TestSupport.load("invalid_timeout.yaml", p));
    assertThat(p.errors()).containsExactly("processors::resourcedetection::timeout: (0s) must be greater than 0, e.g. 5s");
    p = new ConfigProblems();
    read(TestSupport.load("invalid_resource_attribute.yaml", p));
    assertThat(p.errors()).singleElement().asString().startsWith(
        "processors::resourcedetection::ecs::resource_attributes::aws.ecs.cluster.name: unknown resource attribute"
            + " of the ecs detector; known: cloud.provider, cloud.platform,");
    p = new ConfigProblems();
    read(TestSupport.load("invalid_hostname_source.yaml", p));
    assertThat(p.errors()).containsExactly("processors::resourcedetection::system::hostname_sources[1]:"
        + " invalid hostname source \"hosts\"; use dns, os, cname or lookup");
  }

  @Test
  void createConfig_sidecarScenario_loadsWithDeprecationWarning() throws Exception {
    Object root;
    try (InputStream in = Files.newInputStream(SharedFiles.scenarios().resolve("ecs-sidecar-amp.yaml"))) {
      root = TestSupport.yaml(in);
    }
    Object section = ((Map<?, ?>) ((Map<?, ?>) root).get("processors")).get("resourcedetection");
    ConfigProblems p = new ConfigProblems();
    ResourceDetectionConfig c = read(ConfigNode.root(section, "processors::resourcedetection", p));
    assertThat(p.errors()).isEmpty();
    assertThat(c.detectors()).containsExactly("env", "ecs");
    assertThat(c.attributes()).containsExactly("cloud.region", "aws.ecs.task.arn", "aws.ecs.task.family",
        "aws.ecs.task.revision", "aws.ecs.launchtype");
    assertThat(p.warnings()).singleElement().asString()
        .startsWith("processors::resourcedetection: attributes is deprecated");
  }

  @Test
  void createConfig_otherContribSectionsAndHttpKeys_accepted() throws Exception {
    ConfigProblems p = new ConfigProblems();
    read(TestSupport.node("""
        detectors: [env, ec2]
        timeout: 10s
        gcp: {}
        azure:
          resource_attributes: {}
        headers: {x: y}
        """, p));
    assertThat(p.errors()).isEmpty();
  }

  @Test
  void serviceLoader_findsFactory() {
    boolean found = false;
    for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
      if (f.type().equals("resource_detection")) {
        found = true;
        assertThat(f.kind()).isEqualTo(ComponentKind.PROCESSOR);
      }
    }
    assertThat(found).isTrue();
  }
}
