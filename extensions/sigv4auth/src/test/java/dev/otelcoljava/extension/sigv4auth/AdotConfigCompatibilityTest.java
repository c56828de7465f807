package dev.otelcoljava.extension.sigv4auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every sigv4auth section in ADOT's shipped configs and the project's scenarios loads without error. */
class AdotConfigCompatibilityTest {
  @Test
  void createConfig_everyAdotAndScenarioSigv4Section_loadsWithoutErrors() throws Exception {
    List<Path> files = new ArrayList<>();
    for (Path dir : List.of(SharedFiles.fixtures().resolve("adot/config"), SharedFiles.scenarios())) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).forEach(files::add);
      }
    }
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<String> errors = new ArrayList<>();
    int sections = 0;
    for (Path f : files) {
      Object tree;
      try {
        tree = yaml.readValue(f.toFile(), Object.class);
      } catch (Exception e) {
        continue; // not a single-document collector config
      }
      if (!(tree instanceof Map<?, ?> root) || !(root.get("extensions") instanceof Map<?, ?> extensions)) {
        continue;
      }
      for (Map.Entry<?, ?> e : extensions.entrySet()) {
        String id = String.valueOf(e.getKey());
        if (!id.equals("sigv4auth") && !id.startsWith("sigv4auth/")) {
          continue;
        }
        sections++;
        ConfigProblems problems = new ConfigProblems();
        ConfigNode node = ConfigNode.root(e.getValue(), "extensions::" + id, problems);
        new SigV4AuthExtensionFactory().createConfig(node, "sigv4auth");
        node.reportUnknownKeys();
        for (String err : problems.errors()) {
          errors.add(SharedFiles.sharedDir().relativize(f) + ": " + err);
        }
      }
    }
    assertThat(sections).isGreaterThanOrEqualTo(4);
    assertThat(errors).isEmpty();
  }
}
