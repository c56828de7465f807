package dev.otelcoljava.receiver.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.prometheus.config.GlobalConfig;
import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusReceiverConfigTest {

  @Test
  void createConfig_defaults() {
    ConfigTestSupport.Loaded l = ConfigTestSupport.loadNode(null);
    // as upstream: the default config has no scrape configs, which is the only problem
    assertThat(l.problems().errors())
        .containsExactly("receivers::prometheus: no Prometheus scrape_configs or target_allocator set");
    assertThat(l.config()).isEqualTo(PrometheusReceiverConfig.DEFAULT);
    assertThat(l.config().config().global()).isEqualTo(GlobalConfig.DEFAULT);
    assertThat(GlobalConfig.DEFAULT.scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(GlobalConfig.DEFAULT.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void createConfig_minimalJobIsValidWithPrometheusDefaults() {
    ConfigTestSupport.Loaded l = ConfigTestSupport.loadYaml("config:\n  scrape_configs:\n    - job_name: a\n");
    assertThat(l.problems().errors()).isEmpty();
    ScrapeConfig a = l.config().config().scrapeConfigs().get(0);
    assertThat(a.scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(a.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(a.metricsPath()).isEqualTo("/metrics");
    assertThat(a.scheme()).isEqualTo("http");
    assertThat(a.honorLabels()).isFalse();
    assertThat(a.honorTimestamps()).isTrue();
    assertThat(a.enableCompression()).isTrue();
    assertThat(a.fallbackScrapeProtocol()).isEqualTo("PrometheusText0.0.4");
    assertThat(a.scrapeProtocols()).isEqualTo(GlobalConfig.DEFAULT_PROTOCOLS);
    assertThat(a.http()).isEqualTo(HttpClientConfig.DEFAULT);
  }

  @Test
  void createConfig_fullTestdataLoadsToExpectedRecord() {
    ConfigTestSupport.Loaded l = ConfigTestSupport.load("config.yaml");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.problems().warnings()).singleElement().asString()
        .startsWith("receivers::prometheus: use_start_time_metric was removed");
    PrometheusReceiverConfig c = l.config();
    assertThat(c.trimMetricSuffixes()).isTrue();
    assertThat(c.config().global()).isEqualTo(new GlobalConfig(Duration.ofSeconds(30), Duration.ofSeconds(10),
        Labels.of("cluster", "prod"), GlobalConfig.DEFAULT_PROTOCOLS, 0, 0, 0, 0, 0, 0, 0));
    ScrapeConfig node = c.config().scrapeConfigs().get(0);
    HttpClientConfig http = new HttpClientConfig(new HttpClientConfig.BasicAuth("u", "", "p", ""), null,
        new HttpClientConfig.TlsConfig("", "", "", "example.com", true, "TLS12", ""), false, true,
        "http://127.0.0.1:3128", "localhost", Map.of(), Map.of());
    ScrapeConfig expected = new ScrapeConfig("node", Duration.ofSeconds(5), Duration.ofSeconds(5), "/m",
        Map.of("module", List.of("a", "b")), "http", true, false, false, 10L << 20, 1000, 30, 100, 200, 5, 0,
        List.of("PrometheusText0.0.4"), "PrometheusText0.0.4", false, http,
        List.of(new ScrapeConfig.StaticConfig(List.of("127.0.0.1:9100", "127.0.0.1:9101"), Labels.of("env", "test"))),
        List.of(new ScrapeConfig.FileSdConfig(List.of("/tmp/does-not-matter/*.json"), Duration.ofMinutes(1))),
        List.of(), node.relabelConfigs(), node.metricRelabelConfigs());
    assertThat(node).isEqualTo(expected);
    assertThat(node.relabelConfigs()).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo(Action.REPLACE);
      assertThat(r.sourceLabels()).containsExactly("__address__");
      assertThat(r.targetLabel()).isEqualTo("addr");
    });
    assertThat(node.metricRelabelConfigs()).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo(Action.LABELDROP);
      assertThat(r.regex()).isEqualTo("tmp_.*");
    });
    ScrapeConfig other = c.config().scrapeConfigs().get(1);
    assertThat(other.scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(other.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      invalid_duplicate_job.yaml | receivers::prometheus::config::scrape_configs[1]: found multiple scrape configs with job name "a"
      invalid_timeout.yaml | receivers::prometheus::config::scrape_configs[0]: scrape timeout greater than scrape interval for scrape config with job name "a"
      invalid_no_scrape_configs.yaml | receivers::prometheus::config: no Prometheus scrape_configs or target_allocator set
      invalid_credentials_file.yaml | receivers::prometheus::config::scrape_configs[0]: error checking authorization credentials file "/nonexistent/token": stat /nonexistent/token: no such file or directory
      invalid_kubernetes.yaml | receivers::prometheus::config::scrape_configs[0]::kubernetes_sd_configs: kubernetes_sd_configs is not supported yet by this collector
      invalid_target_allocator.yaml | receivers::prometheus::target_allocator: target_allocator is not supported by this collector; list the targets under config::scrape_configs (static_configs, file_sd_configs) instead
      invalid_global_timeout.yaml | receivers::prometheus::config::global: global scrape timeout greater than scrape interval
      invalid_file_sd.yaml | receivers::prometheus::config::scrape_configs[0]::file_sd_configs[0]::files: path name "/etc/targets/*.txt" is not valid for file discovery
      """)
  void createConfig_invalidFileFailsWithExactMessage(String file, String message) {
    assertThat(ConfigTestSupport.load(file).problems().errors()).containsExactly(message);
  }

  @Test
  void createConfig_unsupportedFeaturesAreListedSorted() {
    assertThat(ConfigTestSupport.load("invalid_unsupported.yaml").problems().errors()).containsExactly(
        "receivers::prometheus::config: unsupported features:\n\talert_config.alertmanagers\n\tremote_write\n\trule_files");
  }

  @Test
  void createConfig_kubernetesKeysAreValidated() {
    assertThat(ConfigTestSupport.load("invalid_kubernetes_role.yaml").problems().errors()).containsExactly(
        "receivers::prometheus::config::scrape_configs[0]::kubernetes_sd_configs[0]::role: unknown Kubernetes SD role \"pods\"",
        "receivers::prometheus::config::scrape_configs[0]::kubernetes_sd_configs[0]: cannot use 'kubeconfig_file' and 'api_server' simultaneously",
        "receivers::prometheus::config::scrape_configs[0]::kubernetes_sd_configs[0]: error checking kubeconfig file \"/nonexistent/kubeconfig\": stat /nonexistent/kubeconfig: no such file or directory",
        "receivers::prometheus::config::scrape_configs[0]::kubernetes_sd_configs: kubernetes_sd_configs is not supported yet by this collector");
  }

  @Test
  void createConfig_unknownKeyNamesNearestKnownKey() {
    assertThat(ConfigTestSupport.load("invalid_unknown_key.yaml").problems().errors()).singleElement().asString()
        .startsWith("receivers::prometheus::config::scrape_configs[0]: unknown key \"scrape_intervall\"; "
            + "did you mean \"scrape_interval\"?");
  }

  @Test
  void createConfig_unknownRelabelActionNamesTheRule() {
    ConfigTestSupport.Loaded l = ConfigTestSupport.loadYaml("""
        config:
          scrape_configs:
            - job_name: a
              relabel_configs:
                - action: foo
                  target_label: x
        """);
    assertThat(l.problems().errors()).singleElement().asString()
        .startsWith("receivers::prometheus::config::scrape_configs[0]::relabel_configs[0]::action: "
            + "unknown relabel action \"foo\"");
  }

  @Test
  void createConfig_scrapeConfigFilesAreLoadedAndCheckedForDuplicates(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("a.yml"),
        "scrape_configs:\n  - job_name: from_file\n    scrape_interval: 20s\n  - job_name: inline\n");
    ConfigTestSupport.Loaded l = ConfigTestSupport.loadYaml("""
        config:
          scrape_configs:
            - job_name: inline
          scrape_config_files: ["%s/*.yml"]
        """.formatted(dir));
    assertThat(l.config().config().scrapeConfigs()).extracting(ScrapeConfig::jobName)
        .containsExactly("inline", "from_file");
    assertThat(l.config().config().scrapeConfigs().get(1).scrapeInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(l.problems().errors()).singleElement().asString()
        .endsWith("found multiple scrape configs with job name \"inline\"");
  }

  @Test
  void createConfig_startupAndShutdownOptionsAreParsedWithoutWarnings() {
    ConfigTestSupport.Loaded l = ConfigTestSupport.loadYaml("""
        initial_scrape_offset: 5s
        scrape_on_shutdown: true
        discovery_reload_on_startup: true
        config:
          scrape_configs:
            - job_name: a
        """);
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.problems().warnings()).isEmpty();
    assertThat(l.config().initialScrapeOffset()).isEqualTo(Duration.ofSeconds(5));
    assertThat(l.config().scrapeOnShutdown()).isTrue();
    assertThat(l.config().discoveryReloadOnStartup()).isTrue();
    ConfigTestSupport.Loaded d = ConfigTestSupport.loadYaml("config:\n  scrape_configs:\n    - job_name: a\n");
    assertThat(d.config().initialScrapeOffset()).isEqualTo(Duration.ZERO);
    assertThat(d.config().scrapeOnShutdown()).isFalse();
  }

  @Test
  void createConfig_negativeInitialScrapeOffsetIsRefusedWithThePath() {
    ConfigTestSupport.Loaded l = ConfigTestSupport.loadYaml("""
        initial_scrape_offset: -1s
        config:
          scrape_configs:
            - job_name: a
        """);
    assertThat(l.problems().errors()).containsExactly("receivers::prometheus::initial_scrape_offset: must not be "
        + "negative, got -1s; use 0s (the default) or a positive delay such as 5s");
  }

  @Test
  void earlyFirstScrapeGate_isRegisteredOnByDefaultAsBeta() {
    new PrometheusReceiverFactory();
    assertThat(dev.otelcoljava.runtime.api.FeatureGates.global().gates())
        .filteredOn(g -> g.id().equals(PrometheusReceiverFactory.EARLY_FIRST_SCRAPE_GATE)).singleElement()
        .satisfies(g -> {
          assertThat(g.enabledByDefault()).isTrue();
          assertThat(g.stage()).isEqualTo("beta");
          assertThat(g.description()).contains("upstream");
        });
    assertThat(dev.otelcoljava.runtime.api.FeatureGates.global()
        .isEnabled(PrometheusReceiverFactory.EARLY_FIRST_SCRAPE_GATE)).isTrue();
  }

  @Test
  @SuppressWarnings("rawtypes")
  void factory_isRegisteredForServiceLoader() {
    assertThat(ServiceLoader.load(dev.otelcoljava.runtime.api.ComponentFactory.class).stream()
        .map(p -> p.get().type())).contains("prometheus");
    PrometheusReceiverFactory f = new PrometheusReceiverFactory();
    assertThat(f.transport()).isEqualTo("http");
    assertThat(f.type()).isEqualTo("prometheus");
  }
}
