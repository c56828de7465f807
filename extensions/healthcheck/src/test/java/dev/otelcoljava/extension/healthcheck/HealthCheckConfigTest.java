package dev.otelcoljava.extension.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HealthCheckConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  record Loaded(HealthCheckConfig config, ConfigProblems problems) {}

  static String resource(String name) throws Exception {
    try (InputStream in = HealthCheckConfigTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @SuppressWarnings("unchecked")
  static Loaded load(String file, String id) throws Exception {
    Map<String, Object> ext = (Map<String, Object>) YAML.readValue(resource(file), Map.class).get("extensions");
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(ext.get(id), "extensions::" + id, problems);
    HealthCheckConfig c = new HealthCheckExtensionFactory().createConfig(node, "health_check");
    node.reportUnknownKeys();
    return new Loaded(c, problems);
  }

  @Test
  void createConfig_absentNode_givesDefaults() throws Exception {
    Loaded l = load("config.yaml", "health_check");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config()).isEqualTo(HealthCheckConfig.defaults());
    assertThat(l.config().endpoint()).isEqualTo("localhost:13133");
    assertThat(l.config().path()).isEqualTo("/");
  }

  @Test
  void createConfig_fullTestdata_loadsExpectedRecord() throws Exception {
    Loaded l = load("config.yaml", "health_check/full");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.problems().warnings()).isEmpty();
    assertThat(l.config()).isEqualTo(new HealthCheckConfig("localhost", 13134, "/health/status", "I'm OK",
        "I'm not well", false, Duration.ofMinutes(1), 3, List.of("https://example.com"), Map.of("X-Probe", "otelcol-java")));
    assertThat(load("config.yaml", "health_check/allinterfaces").config().endpoint()).isEqualTo("0.0.0.0:13135");
  }

  @Test
  void createConfig_checkCollectorPipelineEnabled_warns() {
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(Map.of("check_collector_pipeline", Map.of("enabled", true)), "extensions::health_check", problems);
    HealthCheckConfig c = new HealthCheckExtensionFactory().createConfig(node, "health_check");
    assertThat(c.checkPipeline()).isTrue();
    assertThat(problems.errors()).isEmpty();
    assertThat(problems.warnings()).containsExactly("extensions::health_check: check_collector_pipeline is documented as "
        + "not working in otelcol and is ignored here; health reflects whether the pipelines are running");
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid_endpoint.yaml", "invalid_port.yaml", "invalid_v2_http.yaml", "invalid_tls.yaml",
      "invalid_unknown_key.yaml"})
  void createConfig_invalidFile_failsWithExactMessage(String file) throws Exception {
    String text = resource(file);
    String expected = text.substring("# expect: ".length(), text.indexOf('\n'));
    assertThat(load(file, "health_check").problems().errors()).containsExactly(expected);
  }

  @Test
  void goTime_formatsLikeGo() {
    assertThat(GoTime.duration(0)).isEqualTo("0s");
    assertThat(GoTime.duration(1_500_000_000L)).isEqualTo("1.5s");
    assertThat(GoTime.duration(250_000_000L)).isEqualTo("250ms");
    assertThat(GoTime.duration(1_234L)).isEqualTo("1.234µs");
    assertThat(GoTime.duration(12L)).isEqualTo("12ns");
    assertThat(GoTime.duration(Duration.ofHours(72).plusMinutes(3).plusMillis(500).toNanos())).isEqualTo("72h3m0.5s");
    assertThat(GoTime.duration(Duration.ofMinutes(2).toNanos())).isEqualTo("2m0s");
    assertThat(GoTime.rfc3339Nano(java.time.Instant.parse("2026-01-02T03:04:05.120Z"))).isEqualTo("2026-01-02T03:04:05.12Z");
    assertThat(GoTime.rfc3339Nano(java.time.Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05Z");
  }
}
