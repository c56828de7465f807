package dev.otelcoljava.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DebugExporterConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  record Loaded(DebugExporterConfig config, ConfigProblems problems) {}

  static String resource(String name) throws Exception {
    try (InputStream in = DebugExporterConfigTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @SuppressWarnings("unchecked")
  static Loaded load(String file, String id) throws Exception {
    Map<String, Object> root = YAML.readValue(resource(file), Map.class);
    Map<String, Object> exporters = (Map<String, Object>) root.get("exporters");
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(exporters.get(id), "exporters::" + id, problems);
    ExporterFactory<DebugExporterConfig> f = ComponentId.parse(id).type().equals("logging")
        ? new LoggingExporterFactory() : new DebugExporterFactory();
    DebugExporterConfig c = f.createConfig(node, ComponentId.parse(id).type());
    node.reportUnknownKeys();
    return new Loaded(c, problems);
  }

  @Test
  void createConfig_absentNode_givesDefaultsWithoutProblems() {
    ConfigProblems problems = new ConfigProblems();
    DebugExporterConfig c = new DebugExporterFactory().createConfig(ConfigNode.root(null, "exporters::debug", problems), "debug");
    assertThat(problems.errors()).isEmpty();
    assertThat(problems.warnings()).isEmpty();
    assertThat(c).isEqualTo(DebugExporterConfig.debugDefaults());
    assertThat(c.verbosity()).isEqualTo(Verbosity.BASIC);
    assertThat(c.samplingInitial()).isEqualTo(2);
    assertThat(c.samplingThereafter()).isEqualTo(1);
  }

  @Test
  void createConfig_fullTestdata_loadsExpectedRecords() throws Exception {
    assertThat(load("config.yaml", "debug").config()).isEqualTo(DebugExporterConfig.debugDefaults());
    Loaded detailed = load("config.yaml", "debug/detailed");
    assertThat(detailed.problems().errors()).isEmpty();
    assertThat(detailed.config()).isEqualTo(new DebugExporterConfig(Verbosity.DETAILED, 10, 50, true,
        List.of("stdout"), Map.of("enabled", false)));
    assertThat(load("config.yaml", "debug/file").config()).isEqualTo(new DebugExporterConfig(Verbosity.BASIC, 2, 1,
        false, List.of("stderr"), Map.of()));
  }

  @Test
  void createConfig_logging_hasItsOwnDefaultsAndWarnsOnce() throws Exception {
    Loaded l = load("config.yaml", "logging");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config()).isEqualTo(DebugExporterConfig.loggingDefaults());
    assertThat(l.config().verbosity()).isEqualTo(Verbosity.NORMAL);
    assertThat(l.config().samplingThereafter()).isEqualTo(500);
    assertThat(l.problems().warnings()).containsExactly(
        "exporters::logging: the \"logging\" exporter is deprecated; use \"debug\" instead");
  }

  @Test
  void createConfig_loglevel_mapsToVerbosityWithWarning() throws Exception {
    Loaded debug = load("config.yaml", "logging/loglevel");
    assertThat(debug.config().verbosity()).isEqualTo(Verbosity.DETAILED);
    assertThat(debug.problems().warnings()).containsExactly(
        "exporters::logging/loglevel: the \"logging\" exporter is deprecated; use \"debug\" instead",
        "exporters::logging/loglevel: loglevel is deprecated; use verbosity: detailed instead");
    assertThat(load("config.yaml", "logging/warn").config().verbosity()).isEqualTo(Verbosity.BASIC);
    assertThat(load("config.yaml", "logging/verbosity").config().verbosity()).isEqualTo(Verbosity.BASIC);
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid_verbosity.yaml", "invalid_loglevel_and_verbosity.yaml",
      "invalid_output_paths_with_internal_logger.yaml", "invalid_output_paths_empty.yaml", "invalid_unknown_key.yaml"})
  void createConfig_invalidFile_failsWithExactMessage(String file) throws Exception {
    String text = resource(file);
    String expected = text.substring("# expect: ".length(), text.indexOf('\n'));
    @SuppressWarnings("unchecked")
    Map<String, Object> exporters = (Map<String, Object>) YAML.readValue(text, Map.class).get("exporters");
    String id = exporters.keySet().iterator().next();
    assertThat(load(file, id).problems().errors()).containsExactly(expected);
  }
}
