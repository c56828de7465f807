package dev.otelcoljava.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every processor of this module used in ADOT's shipped configs loads without a config error. */
class AdotConfigsTest {
  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void adotShippedConfigs_processorsOfThisModuleLoad() throws Exception {
    Map<String, ProcessorFactory<Object>> factories = new HashMap<>();
    for (ComponentFactory f : ServiceLoader.load(ComponentFactory.class)) {
      if (f instanceof ProcessorFactory pf && pf.getClass().getName().startsWith("dev.otelcoljava.processor.")) {
        factories.put(pf.type(), pf);
        for (Object alias : pf.deprecatedTypes()) {
          factories.put((String) alias, pf);
        }
      }
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(SharedFiles.fixtures().resolve("adot/config"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    List<String> problems = new ArrayList<>();
    int loaded = 0;
    for (Path file : files) {
      Map<String, Object> root = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file).replace("$$", "$"), Map.class);
      Object procs = root == null ? null : root.get("processors");
      if (!(procs instanceof Map)) {
        continue;
      }
      for (Map.Entry<String, Object> e : ((Map<String, Object>) procs).entrySet()) {
        String type = e.getKey().contains("/") ? e.getKey().substring(0, e.getKey().indexOf('/')) : e.getKey();
        ProcessorFactory<Object> f = factories.get(type);
        if (f == null) {
          continue;
        }
        ConfigProblems p = new ConfigProblems();
        ConfigNode node = ConfigNode.root(e.getValue(), "processors::" + e.getKey(), p);
        f.createConfig(node, type);
        node.reportUnknownKeys();
        for (String err : p.errors()) {
          problems.add(file.getFileName() + ": " + err);
        }
        loaded++;
      }
    }
    assertThat(problems).isEmpty();
    assertThat(loaded).isGreaterThan(5);
  }
}
