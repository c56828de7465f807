package dev.otelcoljava.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.MetricsSink;
import dev.otelcoljava.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The processors of the shared scenarios load unchanged; every registered factory keeps the factory contract. */
class ScenarioProcessorsTest {
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, ProcessorFactory<Object>> factories() {
    Map<String, ProcessorFactory<Object>> out = new HashMap<>();
    for (ComponentFactory f : ServiceLoader.load(ComponentFactory.class)) {
      if (f instanceof ProcessorFactory pf && pf.getClass().getName().startsWith("dev.otelcoljava.processor.")) {
        out.put(pf.type(), pf);
        for (Object alias : pf.deprecatedTypes()) {
          out.put((String) alias, pf);
        }
      }
    }
    return out;
  }

  @Test
  void serviceLoader_registersEveryProcessor() {
    assertThat(factories().keySet()).contains("filter", "metrics_transform", "metricstransform", "cumulativetodelta",
        "deltatorate", "metricsgeneration", "experimental_metricsgeneration", "batch", "memory_limiter", "resource",
        "attributes");
  }

  @Test
  @SuppressWarnings("unchecked")
  void eksFargateScenarios_processorSectionsLoadUnchanged() throws Exception {
    Map<String, ProcessorFactory<Object>> factories = factories();
    List<String> files = List.of("eks-fargate-container-insights.yaml", "eks-fargate-container-insights-2022.yaml",
        "eks-fargate-container-insights-2022b.yaml");
    for (String file : files) {
      Path path = SharedFiles.scenarios().resolve(file);
      // the runtime's expansion of "$$" to "$" (no ${env} references in these sections)
      String text = Files.readString(path).replace("$$", "$");
      Map<String, Object> root = new ObjectMapper(new YAMLFactory()).readValue(text, Map.class);
      Map<String, Object> processors = (Map<String, Object>) root.get("processors");
      int loaded = 0;
      for (Map.Entry<String, Object> e : processors.entrySet()) {
        String type = e.getKey().contains("/") ? e.getKey().substring(0, e.getKey().indexOf('/')) : e.getKey();
        ProcessorFactory<Object> f = factories.get(type);
        if (f == null) {
          continue; // resourcedetection lives in another module
        }
        ConfigProblems problems = new ConfigProblems();
        ConfigNode node = ConfigNode.root(e.getValue(), "processors::" + e.getKey(), problems);
        Object config = f.createConfig(node, type);
        node.reportUnknownKeys();
        assertThat(problems.errors()).as(file + " " + e.getKey()).isEmpty();
        Processor p = f.createProcessor(new TestSupport.Telemetry().settings(e.getKey()), config, new MetricsSink());
        p.start(null);
        p.shutdown(Duration.ofSeconds(5));
        loaded++;
      }
      assertThat(loaded).as(file).isEqualTo(9);
    }
  }

  @Test
  void everyFactory_typeForm_defaultConfig_mutationFlag_startShutdownTwice() throws Exception {
    for (ProcessorFactory<Object> f : new java.util.LinkedHashSet<>(factories().values())) {
      assertThat(f.type()).matches("^[a-zA-Z][0-9a-zA-Z_]{0,62}$");
      ConfigProblems problems = new ConfigProblems();
      Object config = f.createConfig(ConfigNode.root(null, "processors::" + f.type(), problems), f.type());
      if (!problems.hasErrors()) {
        MetricsConsumer next = new MetricsSink();
        Processor p = f.createProcessor(new TestSupport.Telemetry().settings(f.type()), config, next);
        p.start(null);
        p.start(null);
        p.shutdown(Duration.ofSeconds(5));
        p.shutdown(Duration.ofSeconds(5));
        // only memory_limiter (which only passes batches on) leaves its input untouched
        assertThat(p.mutatesData()).as(f.type()).isEqualTo(!f.type().equals("memory_limiter"));
      } else {
        assertThat(problems.errors()).as(f.type()).allMatch(s -> s.startsWith("processors::" + f.type() + ": "));
      }
    }
  }
}
