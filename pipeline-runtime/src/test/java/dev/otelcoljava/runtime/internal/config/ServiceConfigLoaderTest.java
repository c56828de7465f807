package dev.otelcoljava.runtime.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.FeatureGates;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.internal.TestComponents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigLoaderTest {
  private final ComponentRegistry registry = new TestComponents().registry();

  private static String testdata(String name) throws IOException {
    try (InputStream in = ServiceConfigLoaderTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private ServiceConfig load(String name, Map<String, String> env) throws Exception {
    ConfigResolver.Resolved r = ConfigResolver.resolveYaml(testdata(name), EnvLookup.of(env));
    return ServiceConfigLoader.load(r.config(), registry);
  }

  private List<String> errors(String name) throws Exception {
    try {
      load(name, Map.of());
    } catch (ConfigException e) {
      assertThat(e.header()).isEqualTo("invalid configuration:");
      return e.problems();
    }
    throw new AssertionError(name + " loaded without errors");
  }

  @Test
  void load_validConfig_readsEverything() throws Exception {
    ServiceConfig cfg = load("valid.yaml", Map.of("AMP_REMOTE_WRITE_URL", "http://amp/write"));
    assertThat(cfg.pipelines()).extracting(ServiceConfig.Pipeline::id).containsExactly("metrics", "metrics/second");
    assertThat(cfg.pipelines().get(0).exporters())
        .containsExactly(new ComponentId("testexp", "a"), ComponentId.of("prometheusremotewrite"));
    assertThat(cfg.extensions()).containsExactly(ComponentId.of("health_check"), ComponentId.of("sigv4auth"));
    assertThat(cfg.components().get(ComponentKind.RECEIVER)).containsKey(new ComponentId("testrcv", "unused"));
    assertThat(cfg.component(ComponentKind.EXPORTER, ComponentId.of("prometheusremotewrite")).config())
        .hasToString("PrwConfig[endpoint=http://amp/write, authenticator=sigv4auth]");
    assertThat(cfg.warnings()).containsExactly(
        "exporters::prometheusremotewrite: \"prometheusremotewrite\" alias is deprecated; use \"prometheus_remote_write\" instead",
        "service::telemetry::metrics: address is deprecated; use readers: [{pull: {exporter: {prometheus: {host: \"127.0.0.1\", port: 18888}}}}]");
    assertThat(cfg.telemetry().logLevel()).isEqualTo(System.Logger.Level.DEBUG);
    assertThat(cfg.telemetry().logEncoding()).isEqualTo("json");
    assertThat(cfg.telemetry().initialFields()).containsEntry("deployment", "test");
    assertThat(cfg.telemetry().metricsLevel()).isEqualTo(MetricsLevel.DETAILED);
    assertThat(cfg.telemetry().metricsHost()).isEqualTo("127.0.0.1");
    assertThat(cfg.telemetry().metricsPort()).isEqualTo(18888);
  }

  @Test
  void load_unknownKeyAndType_namesNearestAndKnown() throws Exception {
    assertThat(errors("invalid_unknown_key_and_type.yaml")).containsExactlyInAnyOrder(
        "receivers::foo: unknown type \"foo\" (valid values: [testrcv])",
        "exporters::testexp: unknown key \"fial\"; did you mean \"fail\"? (known keys: fail, fail_start, hang_on_shutdown)",
        "service: unknown key \"telemetrie\"; did you mean \"telemetry\"? (known keys: extensions, pipelines, telemetry)");
  }

  @Test
  void load_pipelineErrors_reportsEveryOne() throws Exception {
    assertThat(errors("invalid_pipelines.yaml")).containsExactlyInAnyOrder(
        "service::extensions: references extension \"health_check\" which is not configured (configured: testext)",
        "service::pipelines::metrics: references receiver \"otlp\" which is not configured (configured: testrcv)",
        "service::pipelines::metrics: references processor \"batchh\" which is not configured (configured: testproc, testproc/b)",
        "service::pipelines::metrics: references processor \"testproc\" multiple times",
        "service::pipelines::metrics: references exporter \"debug\" which is not configured (configured: testexp)",
        "service::pipelines::metrics/empty: must have at least one receiver",
        "service::pipelines::metrics/empty: must have at least one exporter",
        "service::pipelines::metric/typo: unknown pipeline signal: \"metric\" (valid values: [metrics])",
        "service::pipelines::metrics/: in \"metrics/\" id: the part after / should not be empty");
  }

  @Test
  void load_tracesLogsAndConnectors_refusedAsMetricsOnly() throws Exception {
    assertThat(errors("invalid_other_signals.yaml")).containsExactlyInAnyOrder(
        "connectors: this collector handles metrics only and has no connectors; remove spanmetrics and connect"
            + " metrics pipelines through a shared receiver or exporter",
        "service::pipelines::traces: this collector handles metrics only; remove the traces pipeline \"traces\""
            + " (receivers [otlp], exporters [awsxray]) or run it in another collector",
        "service::pipelines::logs/app: this collector handles metrics only; remove the logs pipeline \"logs/app\""
            + " (receivers [filelog], exporters [awscloudwatchlogs]) or run it in another collector");
  }

  @Test
  void load_authenticatorConfiguredButNotEnabled_namesComponentPathAndFix() throws Exception {
    assertThat(errors("invalid_sigv4_not_enabled.yaml")).containsExactly(
        "exporters::prometheusremotewrite::auth::authenticator: references extension \"sigv4auth\", which is"
            + " configured but not enabled; add it to service::extensions (now [health_check])");
  }

  @Test
  void load_authenticatorNotConfigured_saysSo() throws Exception {
    assertThat(errors("invalid_extension_not_configured.yaml")).containsExactly(
        "exporters::prometheusremotewrite::auth::authenticator: references extension \"sigv4auth/amp\", which is"
            + " not configured; add it under extensions and to service::extensions (configured: health_check)");
  }

  @Test
  void load_emptySections_missingReceiversExportersPipelines() throws Exception {
    assertThat(errors("invalid_empty_sections.yaml")).containsExactlyInAnyOrder(
        "receivers: no receiver configuration specified in config",
        "exporters: no exporter configuration specified in config",
        "service::pipelines: service must have at least one pipeline");
  }

  @Test
  void load_badIds_useComponentIdMessages() {
    String yaml = """
        receivers:
          "te st":
          testrcv/:
        exporters:
          testexp:
        service:
          pipelines:
            metrics: {receivers: [testrcv], exporters: [testexp]}
        """;
    assertThatThrownBy(() -> ServiceConfigLoader.load(
            ConfigResolver.resolveYaml(yaml, EnvLookup.of(Map.of())).config(), registry))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "receivers::te st: invalid character(s) in type \"te st\"",
            "receivers::testrcv/: in \"testrcv/\" id: the part after / should not be empty",
            "service::pipelines::metrics: references receiver \"testrcv\" which is not configured (configured: none)"));
  }

  @Test
  void load_telemetryReaders_modernForm() throws Exception {
    String yaml = """
        receivers: {testrcv: }
        exporters: {testexp: }
        service:
          telemetry:
            metrics:
              level: basic
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: 127.0.0.1
                        port: 9999
                        without_units: true
          pipelines:
            metrics: {receivers: [testrcv], exporters: [testexp]}
        """;
    ServiceConfig cfg = ServiceConfigLoader.load(ConfigResolver.resolveYaml(yaml, EnvLookup.of(Map.of())).config(), registry);
    assertThat(cfg.telemetry().metricsLevel()).isEqualTo(MetricsLevel.BASIC);
    assertThat(cfg.telemetry().metricsHost()).isEqualTo("127.0.0.1");
    assertThat(cfg.telemetry().metricsPort()).isEqualTo(9999);
    assertThat(cfg.warnings()).isEmpty();
  }

  @Test
  void load_telemetryBadValues_reported() {
    String yaml = """
        receivers: {testrcv: }
        exporters: {testexp: }
        service:
          telemetry:
            logs: {level: verbose, encoding: xml}
            metrics: {level: all, address: "nohost"}
          pipelines:
            metrics: {receivers: [testrcv], exporters: [testexp]}
        """;
    assertThatThrownBy(() -> ServiceConfigLoader.load(
            ConfigResolver.resolveYaml(yaml, EnvLookup.of(Map.of())).config(), registry))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "service::telemetry::logs::level: \"verbose\" must be in [debug, info, warn, error]",
            "service::telemetry::logs::encoding: \"xml\" must be in [console, json]",
            "service::telemetry::metrics::level: \"all\" must be in [none, basic, normal, detailed]",
            "service::telemetry::metrics::address: \"nohost\" must be host:port, e.g. localhost:8888 or 0.0.0.0:8888"));
  }

  @Test
  void registry_duplicateType_failsFast() {
    TestComponents a = new TestComponents();
    ComponentRegistry.Builder b = ComponentRegistry.builder();
    for (var kind : ComponentKind.values()) {
      a.registry().factories(kind).forEach(b::add);
    }
    b.add(a.registry().factories(ComponentKind.EXPORTER).get(0));
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("duplicate exporter factory for type \"prometheus_remote_write\"")
        .hasMessageContaining("duplicate exporter factory for type \"prometheusremotewrite\"");
  }

  @Test
  void featureGates_unknownGate_listsKnown() throws Exception {
    FeatureGates g = FeatureGates.withDefaults();
    g.apply("+confmap.enableMergeAppendOption");
    assertThat(g.isEnabled("confmap.enableMergeAppendOption")).isTrue();
    g.apply("-confmap.enableMergeAppendOption");
    assertThat(g.isEnabled("confmap.enableMergeAppendOption")).isFalse();
    assertThatThrownBy(() -> g.apply("+nope"))
        .hasMessageContaining("--feature-gates: no such feature gate \"nope\" (known: confmap.enableMergeAppendOption, ");
  }
}
