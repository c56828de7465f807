package dev.otelcoljava.receiver.prometheus.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.receiver.prometheus.PrometheusReceiverFactory;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetBuilderTest {
  static ScrapeConfig job(String yaml) throws Exception {
    ConfigProblems problems = new ConfigProblems();
    Object parsed = new ObjectMapper(new YAMLFactory()).readValue(
        "config:\n  scrape_configs:\n" + yaml.indent(4), Object.class);
    var c = new PrometheusReceiverFactory().createConfig(ConfigNode.root(parsed, "r", problems), "prometheus");
    assertThat(problems.errors()).isEmpty();
    return c.config().scrapeConfigs().get(0);
  }

  @Test
  void build_staticTargetGetsPrometheusDefaults() throws Exception {
    ScrapeConfig cfg = job("- job_name: j\n  scrape_interval: 15s\n");
    Target t = TargetBuilder.build(cfg, Labels.of("__address__", "10.0.0.1:9100"), Labels.of("env", "prod"));
    assertThat(t.publicLabels()).isEqualTo(Labels.of("env", "prod", "instance", "10.0.0.1:9100", "job", "j"));
    assertThat(t.url().toString()).isEqualTo("http://10.0.0.1:9100/metrics");
    assertThat(t.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.discoveredLabels().get("__scrape_interval__")).isEqualTo("15s");
    assertThat(t.discoveredLabels().get("__scheme__")).isEqualTo("http");
  }

  @Test
  void build_relabelingDrivesAddressParamsIntervalAndDropsMetaAndTmp() throws Exception {
    ScrapeConfig cfg = job("""
        - job_name: blackbox
          metrics_path: /probe
          params:
            module: [http_2xx, extra]
          relabel_configs:
            - source_labels: [__address__]
              target_label: __param_target
            - source_labels: [__meta_port]
              target_label: __tmp_port
            - source_labels: [__tmp_port]
              regex: (.+)
              target_label: __address__
              replacement: exporter:$1
            - source_labels: [__param_target]
              target_label: instance
            - target_label: __scrape_interval__
              replacement: 30s
            - target_label: __scheme__
              replacement: https
        """);
    Target t = TargetBuilder.build(cfg, Labels.of("__address__", "example.com", "__meta_port", "9115"), Labels.EMPTY);
    assertThat(t.url().toString()).isEqualTo("https://exporter:9115/probe?module=http_2xx&module=extra&target=example.com");
    assertThat(t.publicLabels()).isEqualTo(Labels.of("instance", "example.com", "job", "blackbox"));
    assertThat(t.labels().has("__meta_port")).isFalse();
    assertThat(t.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.discoveredLabels().get("__meta_port")).isEqualTo("9115");
  }

  @Test
  void build_paramLabelOverridesFirstValue() throws Exception {
    ScrapeConfig cfg = job("- job_name: j\n  params:\n    module: [a, b]\n");
    Target t = TargetBuilder.build(cfg, Labels.of("__address__", "h:1", "__param_module", "x"), Labels.EMPTY);
    assertThat(t.url().getRawQuery()).isEqualTo("module=x&module=b");
  }

  @Test
  void build_droppedByKeepOrMissingAddress() throws Exception {
    ScrapeConfig keep = job("""
        - job_name: j
          relabel_configs:
            - source_labels: [env]
              regex: prod
              action: keep
        """);
    assertThatThrownBy(() -> TargetBuilder.build(keep, Labels.of("__address__", "h:1"), Labels.of("env", "dev")))
        .isInstanceOfSatisfying(TargetBuilder.TargetException.class, e -> assertThat(e.dropped()).isTrue());
    assertThat(TargetBuilder.build(keep, Labels.of("__address__", "h:1"), Labels.of("env", "prod"))).isNotNull();
    ScrapeConfig noAddress = job("""
        - job_name: j
          relabel_configs:
            - action: labeldrop
              regex: __address__
        """);
    assertThatThrownBy(() -> TargetBuilder.build(noAddress, Labels.of("__address__", "h:1"), Labels.EMPTY))
        .hasMessage("no address");
  }

  @Test
  void build_timeoutAboveIntervalIsInvalid() throws Exception {
    ScrapeConfig cfg = job("""
        - job_name: j
          scrape_interval: 10s
          relabel_configs:
            - target_label: __scrape_interval__
              replacement: 5s
        """);
    assertThatThrownBy(() -> TargetBuilder.build(cfg, Labels.of("__address__", "h:1"), Labels.EMPTY))
        .hasMessage("scrape timeout cannot be greater than scrape interval (\"10s\" > \"5s\")");
  }

  @Test
  void formatDuration_matchesPrometheus() {
    assertThat(TargetBuilder.formatDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(TargetBuilder.formatDuration(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(TargetBuilder.formatDuration(Duration.ofDays(14))).isEqualTo("2w");
    assertThat(TargetBuilder.formatDuration(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void initialDelay_isStableAndWithinInterval() {
    long d1 = ScrapeLoop.initialDelay(1_000_123, 15_000, 42, 7);
    long d2 = ScrapeLoop.initialDelay(1_000_123 + 15_000, 15_000, 42, 7);
    assertThat(d1).isEqualTo(d2).isBetween(0L, 15_000L);
    assertThat((1_000_123 + d1) % 15_000).isEqualTo(Long.remainderUnsigned(42 ^ 7, 15_000));
  }

  @Test
  void accept_isPrometheus242HeaderForDefaultProtocols() {
    assertThat(HttpScraper.accept(dev.otelcoljava.receiver.prometheus.config.GlobalConfig.DEFAULT_PROTOCOLS))
        .isEqualTo("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    assertThat(HttpScraper.seconds(Duration.ofMillis(500))).isEqualTo("0.5");
    assertThat(HttpScraper.seconds(Duration.ofSeconds(10))).isEqualTo("10");
  }

  @Test
  void seconds_writesWhatBigDecimalWrites() {
    java.util.Random r = new java.util.Random(11);
    java.util.List<Duration> ds = new java.util.ArrayList<>(java.util.List.of(Duration.ZERO, Duration.ofNanos(1),
        Duration.ofNanos(-1), Duration.ofMillis(-1500), Duration.ofNanos(Long.MAX_VALUE),
        Duration.ofNanos(Long.MIN_VALUE), Duration.ofSeconds(1, 100), Duration.ofMillis(10)));
    for (int i = 0; i < 5000; i++) {
      ds.add(Duration.ofNanos(r.nextLong() >> r.nextInt(64)));
      ds.add(Duration.ofMillis(r.nextInt(120_000)));
    }
    for (Duration d : ds) {
      assertThat(HttpScraper.seconds(d)).as(d.toString())
          .isEqualTo(java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString());
    }
  }
}
