package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.otelcoljava.exporter.prometheusremotewrite.PrometheusRemoteWriteExporterFactory;
import dev.otelcoljava.receiver.prometheus.PrometheusReceiverFactory;
import dev.otelcoljava.runtime.internal.config.ComponentRegistry;
import dev.otelcoljava.runtime.internal.service.Service;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.peers.Nginx;
import dev.otelcoljava.testing.peers.PrometheusAgent;
import dev.otelcoljava.testing.peers.VictoriaMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity with Prometheus: one scrape config (static and file discovery, relabel and metric
 * relabel rules, {@code honor_timestamps}, external labels) run by Prometheus 2.42 in agent mode
 * and by this collector ({@code prometheus} receiver → {@code prometheusremotewrite} exporter)
 * against the same nginx-served fixtures, each remote-writing to its own VictoriaMetrics.
 *
 * <p>The series and values read back are the same, once the differences that ADOT shows too are
 * applied to the Prometheus side (see {@link #expectedCollectorView}):
 *
 * <ol>
 *   <li>every collector series carries {@code otel_scope_name} / {@code otel_scope_version} (the
 *       receiver's scope; the exporter's {@code disable_scope_info} is false by default);
 *   <li>the collector adds one {@code target_info} per target (job, instance, {@code server_*},
 *       {@code url_scheme});
 *   <li>{@code le} and {@code quantile} values are re-formatted from the parsed float ({@code
 *       le="1.0"} → {@code "1"}, {@code le="1.024e+06"} → {@code "1024000"}); Prometheus keeps the
 *       exposition's text;
 *   <li>a counter's name is rebuilt from its tokens: every {@code total} token is removed and one
 *       {@code _total} appended ({@code container_memory_failcnt} → {@code
 *       container_memory_failcnt_total}, {@code node_mountstats_nfs_total_read_bytes_total} →
 *       {@code node_mountstats_nfs_read_bytes_total}, which then collides with the real series of
 *       that name);
 *   <li>a classic histogram with no {@code _count} (the last one of the coredns fixture) is
 *       dropped by the receiver;
 *   <li>samples that carry an exposition timestamp older than the agent's start (cadvisor machine
 *       metrics, 2014) never leave Prometheus: its remote-write WAL watcher skips samples older than
 *       its start time. The collector sends them with their own timestamp;
 *   <li>in an OpenMetrics exposition, the {@code _created} sample of a counter, histogram or
 *       summary is a series of its own in Prometheus 2.42; the receiver takes it as the points'
 *       start time and sends no series for it.
 * </ol>
 *
 * <p>Everything else must be equal: the same series names and label sets (relabelled, with the
 * external label), the same distinct values per series (all but {@code scrape_duration_seconds}),
 * {@code up=0} and the scrape series for a target whose port is closed, and the same staleness:
 * a series that vanishes from a target and every series of a target removed from file discovery
 * end with a staleness marker on both sides, and an instant query afterwards finds nothing. A
 * target that starts answering 404 gets markers on all its series (but a histogram's {@code _sum},
 * which contrib leaves out of a stale histogram); one whose body breaks at the last line gets a
 * marker only for that line's series, as Prometheus 2.42 keeps what it parsed before the error.
 */
class PrometheusAgentParityTest {
  static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** Prometheus' staleness marker; VictoriaMetrics exports it as {@code null}. */
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  static final String SCOPE_NAME = "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver";

  /** Counter names the OTel path rebuilds (item 4 above). */
  static final Map<String, String> COUNTER_RENAMES = Map.of(
      "container_hugetlb_failcnt", "container_hugetlb_failcnt_total",
      "container_memory_failcnt", "container_memory_failcnt_total",
      "node_mountstats_nfs_total_read_bytes_total", "node_mountstats_nfs_read_bytes_total",
      "node_mountstats_nfs_total_write_bytes_total", "node_mountstats_nfs_write_bytes_total");

  /** Jobs whose targets answer with the OpenMetrics Content-Type. */
  static final Set<String> OPENMETRICS_JOBS = Set.of("flask_om", "om");

  static final List<String> JOBS =
      List.of("node", "coredns", "springboot", "flask", "cadvisor", "kubeproxy", "machine", "flask_om", "om", "federate",
          "clash", "limited", "flaky", "garbled", "down");

  /**
   * A federation-style target: samples carrying job and instance (kept with honor_labels: true,
   * renamed to exported_* with false) and a label that clashes with a target label.
   */
  static final String FEDERATE = """
      # TYPE fed_requests_total counter
      fed_requests_total{job="api",instance="10.0.0.1:8080",env="prod",code="200"} 10
      fed_requests_total{job="api",instance="10.0.0.2:8080",env="prod",code="200"} 20
      # TYPE fed_temp gauge
      fed_temp{job="sensor",instance="s1"} 21.5
      fed_temp 19
      """;

  /** The (job, instance) pairs the honor_labels job takes from the samples: resources of their own. */
  static final Set<String> FEDERATED_TARGETS = Set.of("api/10.0.0.1:8080", "api/10.0.0.2:8080", "sensor/s1");

  @TempDir
  Path dir;

  @Test
  void sameScrapeConfig_sameSeriesAndValues_upZeroAndStalenessAlike() throws Exception {
    Path fx = SharedFiles.fixtures();
    Path flaskFixture = fx.resolve("expositions/prometheus_flask_exporter/flask-exporter-0.23.2-metrics.txt");
    Path flaskDir = Files.createDirectories(dir.resolve("flask"));
    Files.copy(flaskFixture, flaskDir.resolve("metrics.txt"));
    Files.writeString(flaskDir.resolve("federate.txt"), FEDERATE);
    Files.copy(fx.resolve("cadvisor/netdata-go.d.plugin/kube-proxy-metrics.txt"), flaskDir.resolve("flaky.txt"));
    Files.copy(fx.resolve("expositions/springboot/actuator-prometheus-2.txt"), flaskDir.resolve("garbled.txt"));
    List<Path> roots = List.of(
        fx.resolve("expositions/node_exporter"),
        fx.resolve("expositions/coredns"),
        fx.resolve("expositions/springboot"),
        flaskDir,
        fx.resolve("cadvisor/google-cadvisor"),
        fx.resolve("cadvisor/netdata-go.d.plugin"),
        fx.resolve("expositions/prometheus_flask_exporter"),
        fx.resolve("expositions/prometheus"));
    List<String> contentTypes = roots.stream()
        .map(r -> r.endsWith("prometheus_flask_exporter") || r.endsWith("prometheus")
            ? Nginx.OPENMETRICS_1_0_0 : Nginx.TEXT_0_0_4).toList();
    Path sd = Files.createDirectories(dir.resolve("sd"));
    int down = FreePorts.find();
    try (Nginx nginx = Nginx.start(dir.resolve("nginx"), roots, contentTypes);
        VictoriaMetrics promSink = VictoriaMetrics.start(dir.resolve("vm-prom"));
        VictoriaMetrics colSink = VictoriaMetrics.start(dir.resolve("vm-col"))) {
      String springboot = "127.0.0.1:" + nginx.port(2);
      Files.writeString(sd.resolve("targets.json"),
          "[{\"targets\": [\"" + springboot + "\"], \"labels\": {\"team\": \"payments\"}}]");
      String global = """
            scrape_interval: 1s
            scrape_timeout: 900ms
            external_labels:
              cluster: parity
          """;
      String scrapeConfigs = scrapeConfigs(nginx, down, sd);
      String collectorYaml = """
          receivers:
            prometheus:
              config:
                global:
          %s
                scrape_configs:
          %s
          exporters:
            prometheusremotewrite:
              endpoint: %s
          service:
            telemetry:
              metrics:
                level: none
            pipelines:
              metrics:
                receivers: [prometheus]
                exporters: [prometheusremotewrite]
          """.formatted(global.indent(6).stripTrailing(), scrapeConfigs.indent(8).stripTrailing(),
          colSink.remoteWriteUrl());
      ComponentRegistry registry = ComponentRegistry.builder()
          .add(new PrometheusReceiverFactory()).add(new PrometheusRemoteWriteExporterFactory()).build();
      try (PrometheusAgent agent = PrometheusAgent.start(dir.resolve("agent"), global, scrapeConfigs,
              promSink.remoteWriteUrl());
          Service collector = Service.builder().yaml(collectorYaml).env(Map.of()).registry(registry).build()) {
        long agentStartMs = System.currentTimeMillis();
        collector.start();
        await("every target scraped 3 times on both sides", Duration.ofSeconds(30),
            () -> JOBS.stream().allMatch(j -> upSamples(promSink, j) >= 3 && upSamples(colSink, j) >= 3));

        Map<String, Series> prom = series(promSink, "{__name__=~\".+\"}");
        Map<String, Series> col = series(colSink, "{__name__=~\".+\"}");
        assertCollectorOnlyDifferences(col);
        assertTimestampedSamplesOnlyOnCollectorSide(prom, col, agentStartMs);
        assertSameSeriesAndValues(expectedCollectorView(prom), collectorViewWithoutScope(col));
        assertLabelHandlingAndLimit(prom, "prometheus");
        assertLabelHandlingAndLimit(col, "collector");
        assertDownTargetIsUpZero(prom, "prometheus");
        assertDownTargetIsUpZero(col, "collector");

        // Staleness: python_* vanishes from the flask target, the springboot target leaves file_sd.
        List<String> kept = Files.readAllLines(flaskFixture).stream()
            .filter(l -> !l.startsWith("python_") && !l.matches("# (HELP|TYPE) python_.*")).toList();
        Files.write(flaskDir.resolve("metrics.txt.tmp"), kept);
        Files.move(flaskDir.resolve("metrics.txt.tmp"), flaskDir.resolve("metrics.txt"),
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.delete(flaskDir.resolve("flaky.txt"));
        Files.writeString(flaskDir.resolve("garbled.txt"), "this is { not an exposition\n",
            java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(sd.resolve("targets.json.tmp"), "[]");
        Files.move(sd.resolve("targets.json.tmp"), sd.resolve("targets.json"),
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        String removedTarget = "{job=\"springboot\",__name__!=\"target_info\"}";
        String vanished = "{job=\"flask\",__name__=~\"python_.*\"}";
        await("flaky and garbled fail on both sides", Duration.ofSeconds(20),
            () -> lastUp(promSink, "flaky") == 0 && lastUp(colSink, "flaky") == 0
                && lastUp(promSink, "garbled") == 0 && lastUp(colSink, "garbled") == 0);
        Thread.sleep(2000);
        for (String job : List.of("flaky", "garbled")) {
          Set<String> promMarked = markedSeries(promSink, job, false);
          Set<String> colMarked = markedSeries(colSink, job, true);
          assertThat(colMarked).as(job + ": the series that got a staleness marker").isEqualTo(promMarked);
        }
        // 404: every series but the histograms' _sum; a parse error at the end: only the broken line
        assertThat(markedSeries(promSink, "flaky", false)).hasSizeGreaterThan(80);
        assertThat(markedSeries(promSink, "garbled", false)).singleElement().asString()
            .startsWith("tomcat_threads_busy_threads{");
        await("staleness markers on both sides", Duration.ofSeconds(20),
            () -> allEndStale(promSink, removedTarget) && allEndStale(colSink, removedTarget)
                && allEndStale(promSink, vanished) && allEndStale(colSink, vanished));
        for (VictoriaMetrics vm : List.of(promSink, colSink)) {
          String side = vm == promSink ? "prometheus" : "collector";
          Map<String, Series> gone = series(vm, removedTarget);
          assertThat(gone).as(side + ": springboot series").hasSizeGreaterThan(100);
          assertThat(gone.values()).as(side + ": one marker, at the end, per removed series")
              .allMatch(s -> s.staleCount() == 1 && s.endsStale());
          assertThat(series(vm, vanished)).as(side + ": vanished python_* series").hasSize(10)
              .allSatisfy((k, s) -> assertThat(s.staleCount()).as(k).isEqualTo(1));
          Map<String, Series> stillThere = series(vm, "{job=\"flask\",__name__=~\"process_.*|flask_.*\"}");
          assertThat(stillThere).as(side + ": flask series still scraped").isNotEmpty();
          assertThat(stillThere.values()).as(side + ": no marker on series that are still exposed")
              .allMatch(s -> s.staleCount() == 0);
          assertThat(resultCount(vm.query("up{job=\"springboot\"}", null)))
              .as(side + ": instant query after the marker").isZero();
          assertThat(resultCount(vm.query("python_info{job=\"flask\"}", null))).as(side + ": vanished series query").isZero();
        }
        assertThat(keysWithoutScope(series(colSink, removedTarget)))
            .as("the same series end stale on both sides")
            .isEqualTo(expectedCollectorView(series(promSink, removedTarget)).keySet());
      }
    }
  }

  static String scrapeConfigs(Nginx nginx, int down, Path sd) {
    return """
        - job_name: node
          metrics_path: /e2e-output.txt
          static_configs:
            - targets: ['127.0.0.1:%1$d']
              labels: {env: parity}
          metric_relabel_configs:
            - source_labels: [__name__]
              regex: 'node_(cpu|disk|network)_.*'
              action: drop
        - job_name: coredns
          metrics_path: /coredns-1.6.9-some_load.txt
          static_configs:
            - targets: ['127.0.0.1:%2$d']
          relabel_configs:
            - source_labels: [__address__]
              regex: '127\\.0\\.0\\.1:(\\d+)'
              target_label: port
              replacement: 'p$1'
        - job_name: springboot
          metrics_path: /actuator-prometheus-1.txt
          file_sd_configs:
            - files: ['%3$s/*.json']
              refresh_interval: 1s
        - job_name: flask
          metrics_path: /metrics.txt
          static_configs:
            - targets: ['127.0.0.1:%4$d']
          metric_relabel_configs:
            - source_labels: [status]
              target_label: code
            - regex: status
              action: labeldrop
        - job_name: cadvisor
          metrics_path: /prometheus_metrics.txt
          honor_timestamps: false
          static_configs:
            - targets: ['127.0.0.1:%5$d']
          metric_relabel_configs:
            - source_labels: [container_label_foo_label]
              regex: '(.+)'
              target_label: foo
              replacement: 'x-$1'
            - regex: 'container_(label|env)_.*'
              action: labeldrop
        - job_name: machine
          metrics_path: /prometheus_machine_metrics.txt
          static_configs:
            - targets: ['127.0.0.1:%5$d']
        - job_name: kubeproxy
          metrics_path: /kube-proxy-metrics.txt
          static_configs:
            - targets: ['127.0.0.1:%6$d']
          relabel_configs:
            - target_label: instance
              replacement: kube-proxy-0
        - job_name: flask_om
          metrics_path: /flask-exporter-0.23.2-metrics.openmetrics.txt
          static_configs:
            - targets: ['127.0.0.1:%8$d']
        - job_name: om
          metrics_path: /omtestdata.txt
          static_configs:
            - targets: ['127.0.0.1:%9$d']
        - job_name: federate
          metrics_path: /federate.txt
          honor_labels: true
          static_configs:
            - targets: ['127.0.0.1:%4$d']
              labels: {env: staging}
        - job_name: clash
          metrics_path: /federate.txt
          static_configs:
            - targets: ['127.0.0.1:%4$d']
              labels: {env: staging}
        - job_name: limited
          metrics_path: /coredns-1.6.9-some_load.txt
          sample_limit: 10
          static_configs:
            - targets: ['127.0.0.1:%2$d']
        - job_name: flaky
          metrics_path: /flaky.txt
          static_configs:
            - targets: ['127.0.0.1:%4$d']
        - job_name: garbled
          metrics_path: /garbled.txt
          static_configs:
            - targets: ['127.0.0.1:%4$d']
        - job_name: down
          static_configs:
            - targets: ['127.0.0.1:%7$d']
        """.formatted(nginx.port(0), nginx.port(1), sd, nginx.port(3), nginx.port(4), nginx.port(5), down,
        nginx.port(6), nginx.port(7));
  }

  /** Items 1 and 2: scope labels on every collector series, one target_info per target. */
  static void assertCollectorOnlyDifferences(Map<String, Series> col) {
    List<Series> infos = col.values().stream().filter(s -> "target_info".equals(s.name())).toList();
    Set<String> infoTargets = infos.stream().map(s -> s.labels().get("job") + "/" + s.labels().get("instance"))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> upTargets = col.values().stream().filter(s -> "up".equals(s.name()))
        .map(s -> s.labels().get("job") + "/" + s.labels().get("instance"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(upTargets).hasSize(JOBS.size());
    Set<String> resources = new TreeSet<>(upTargets);
    resources.addAll(FEDERATED_TARGETS);
    assertThat(infoTargets).as("one target_info per target, and per job/instance kept by honor_labels")
        .isEqualTo(resources);
    assertThat(infos).allSatisfy(s -> {
      assertThat(s.labels()).containsEntry("url_scheme", "http").doesNotContainKey("otel_scope_name");
      assertThat(s.distinctValues()).containsExactly("1.0");
    });
    assertThat(infos).filteredOn(s -> s.labels().get("instance").startsWith("127.0.0.1:"))
        .as("loopback instances: server.port, no server.address").hasSize(JOBS.size() - 1)
        .allSatisfy(s -> assertThat(s.labels()).doesNotContainKey("server_address")
            .containsEntry("server_port", s.labels().get("instance").substring("127.0.0.1:".length())));
    assertThat(col.values()).filteredOn(s -> !"target_info".equals(s.name())).allSatisfy(s ->
        assertThat(s.labels()).as(s.name()).containsEntry("otel_scope_name", SCOPE_NAME)
            .containsKey("otel_scope_version"));
  }

  /** Item 6: the machine job honours the exposition's 2014 timestamps. */
  static void assertTimestampedSamplesOnlyOnCollectorSide(Map<String, Series> prom, Map<String, Series> col,
      long agentStartMs) {
    Predicate<Series> machineSample = s -> "machine".equals(s.labels().get("job")) && s.name().startsWith("machine_");
    List<Series> promMachine = prom.values().stream().filter(machineSample).toList();
    List<Series> colMachine = col.values().stream().filter(machineSample).toList();
    assertThat(promMachine).as("prometheus: only the sample without a timestamp")
        .allSatisfy(s -> assertThat(s.timestamps()).allMatch(t -> t >= agentStartMs - 60_000))
        .hasSize(1);
    assertThat(colMachine).as("collector: every machine series").hasSize(66);
    assertThat(colMachine.stream().filter(s -> s.timestamps().contains(1395066363000L)).count())
        .as("collector keeps the exposition timestamps").isEqualTo(65);
  }

  /** honor_labels true and false, and sample_limit, as Prometheus documents them. */
  static void assertLabelHandlingAndLimit(Map<String, Series> all, String side) {
    Map<String, Set<String>> fed = new TreeMap<>();
    all.values().stream().filter(s -> s.name().startsWith("fed_")).forEach(s -> {
      Map<String, String> l = new TreeMap<>(s.labels());
      l.remove("otel_scope_name");
      l.remove("otel_scope_version");
      l.remove("cluster");
      fed.put(key(l), s.distinctValues());
    });
    String self = all.values().stream().filter(s -> "up".equals(s.name()) && "federate".equals(s.labels().get("job")))
        .map(s -> s.labels().get("instance")).findFirst().orElseThrow();
    Map<String, Set<String>> expected = new TreeMap<>();
    // honor_labels: true: the scraped job, instance and env win; a sample without them gets the target's
    expected.put("fed_requests_total{code=\"200\",env=\"prod\",instance=\"10.0.0.1:8080\",job=\"api\"}", Set.of("10.0"));
    expected.put("fed_requests_total{code=\"200\",env=\"prod\",instance=\"10.0.0.2:8080\",job=\"api\"}", Set.of("20.0"));
    expected.put("fed_temp{env=\"staging\",instance=\"s1\",job=\"sensor\"}", Set.of("21.5"));
    expected.put("fed_temp{env=\"staging\",instance=\"" + self + "\",job=\"federate\"}", Set.of("19.0"));
    // honor_labels: false: clashing scraped labels become exported_*
    expected.put("fed_requests_total{code=\"200\",env=\"staging\",exported_env=\"prod\",exported_instance=\"10.0.0.1:8080\","
        + "exported_job=\"api\",instance=\"" + self + "\",job=\"clash\"}", Set.of("10.0"));
    expected.put("fed_requests_total{code=\"200\",env=\"staging\",exported_env=\"prod\",exported_instance=\"10.0.0.2:8080\","
        + "exported_job=\"api\",instance=\"" + self + "\",job=\"clash\"}", Set.of("20.0"));
    expected.put("fed_temp{env=\"staging\",exported_instance=\"s1\",exported_job=\"sensor\",instance=\"" + self
        + "\",job=\"clash\"}", Set.of("21.5"));
    expected.put("fed_temp{env=\"staging\",instance=\"" + self + "\",job=\"clash\"}", Set.of("19.0"));
    assertThat(fed).as(side + ": honor_labels").isEqualTo(expected);

    Map<String, Set<String>> limited = new TreeMap<>();
    all.values().stream().filter(s -> "limited".equals(s.labels().get("job")) && !"target_info".equals(s.name()))
        .forEach(s -> limited.put(s.name(), s.distinctValues()));
    assertThat(limited).as(side + ": sample_limit exceeded, only the scrape series").containsOnlyKeys("up",
        "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added");
    assertThat(limited.get("up")).as(side + ": up").containsExactly("0.0");
    assertThat(limited.get("scrape_samples_scraped")).as(side).containsExactly("168.0");
  }

  static void assertDownTargetIsUpZero(Map<String, Series> all, String side) {
    Map<String, Set<String>> down = new TreeMap<>();
    all.values().stream().filter(s -> "down".equals(s.labels().get("job")) && !"target_info".equals(s.name()))
        .forEach(s -> down.put(s.name(), s.distinctValues()));
    assertThat(down).as(side + ": closed port").containsOnlyKeys("up", "scrape_duration_seconds",
        "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");
    assertThat(down.get("up")).as(side + ": up").containsExactly("0.0");
    assertThat(down.get("scrape_samples_scraped")).as(side).containsExactly("0.0");
  }

  static void assertSameSeriesAndValues(Map<String, Set<String>> expected, Map<String, Set<String>> actual) {
    List<String> problems = new ArrayList<>();
    for (var e : expected.entrySet()) {
      Set<String> got = actual.get(e.getKey());
      if (got == null) {
        problems.add("missing on the collector side: " + e.getKey());
      } else if (e.getKey().startsWith("scrape_duration_seconds{")) {
        if (got.isEmpty() || got.contains("stale")) {
          problems.add("bad scrape durations " + got + ": " + e.getKey());
        }
      } else if (!got.equals(e.getValue())) {
        problems.add("values differ, prometheus " + e.getValue() + " collector " + got + ": " + e.getKey());
      }
    }
    for (String k : actual.keySet()) {
      if (!expected.containsKey(k)) {
        problems.add("only on the collector side: " + k);
      }
    }
    assertThat(expected).as("series compared").hasSizeGreaterThan(2500);
    assertThat(problems).as("differences (first 50 shown): "
        + String.join("\n", problems.subList(0, Math.min(50, problems.size())))).isEmpty();
  }

  /**
   * The Prometheus side with items 3-7 applied: what the collector must have written, as series
   * key (with normalised le/quantile) → distinct values; the timestamped machine series are left
   * out (item 6 is checked on its own).
   */
  static Map<String, Set<String>> expectedCollectorView(Map<String, Series> prom) {
    Set<String> histogramsWithCount = new TreeSet<>();
    Set<String> cumulativeFamilies = new TreeSet<>();
    for (Series s : prom.values()) {
      for (String suffix : List.of("_total", "_count", "_bucket")) {
        if (s.name().endsWith(suffix)) {
          cumulativeFamilies.add(s.labels().get("job") + "/"
              + s.name().substring(0, s.name().length() - suffix.length()));
        }
      }
      if (s.name().endsWith("_count")) {
        Map<String, String> l = new TreeMap<>(s.labels());
        l.put("__name__", s.name().substring(0, s.name().length() - "_count".length()));
        histogramsWithCount.add(key(l));
      }
    }
    Map<String, Set<String>> out = new TreeMap<>();
    for (Series s : prom.values()) {
      if (isMachineSample(s)) {
        continue;
      }
      String job = s.labels().get("job");
      if (OPENMETRICS_JOBS.contains(job) && s.name().endsWith("_created") && cumulativeFamilies.contains(
          job + "/" + s.name().substring(0, s.name().length() - "_created".length()))) {
        continue;
      }
      Map<String, String> l = normalizedLabels(s.labels());
      if (s.name().endsWith("_bucket")) {
        Map<String, String> group = new TreeMap<>(s.labels());
        group.remove("le");
        group.put("__name__", s.name().substring(0, s.name().length() - "_bucket".length()));
        if (!histogramsWithCount.contains(key(group))) {
          continue;
        }
      }
      l.put("__name__", COUNTER_RENAMES.getOrDefault(s.name(), s.name()));
      out.computeIfAbsent(key(l), k -> new TreeSet<>()).addAll(s.distinctValues());
    }
    return out;
  }

  static Map<String, Set<String>> collectorViewWithoutScope(Map<String, Series> col) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Series s : col.values()) {
      if (!"target_info".equals(s.name()) && !isMachineSample(s)) {
        out.computeIfAbsent(keyWithoutScope(s), k -> new TreeSet<>()).addAll(s.distinctValues());
      }
    }
    return out;
  }

  static Set<String> keysWithoutScope(Map<String, Series> col) {
    return col.values().stream().map(PrometheusAgentParityTest::keyWithoutScope)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static String keyWithoutScope(Series s) {
    Map<String, String> l = normalizedLabels(s.labels());
    l.remove("otel_scope_name");
    l.remove("otel_scope_version");
    return key(l);
  }

  static boolean isMachineSample(Series s) {
    return "machine".equals(s.labels().get("job")) && s.name().startsWith("machine_");
  }

  /** Item 3: le and quantile compared as numbers. */
  static Map<String, String> normalizedLabels(Map<String, String> labels) {
    Map<String, String> l = new TreeMap<>(labels);
    for (String k : List.of("le", "quantile")) {
      if (l.containsKey(k)) {
        l.put(k, Double.toString(parseValue(l.get(k))));
      }
    }
    return l;
  }

  /** One series read back from VictoriaMetrics' export: labels and samples in time order. */
  record Series(Map<String, String> labels, List<Double> values, List<Long> timestamps) {
    String name() {
      return labels.getOrDefault("__name__", "");
    }

    static boolean isStale(double v) {
      return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    Set<String> distinctValues() {
      Set<String> out = new TreeSet<>();
      for (double v : values) {
        out.add(isStale(v) ? "stale" : Double.toString(v));
      }
      return out;
    }

    long staleCount() {
      return values.stream().filter(Series::isStale).count();
    }

    boolean endsStale() {
      return !values.isEmpty() && isStale(values.get(values.size() - 1));
    }
  }

  static Map<String, Series> series(VictoriaMetrics vm, String selector) {
    Map<String, Series> out = new TreeMap<>();
    for (String line : vm.export(selector).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(line);
        Map<String, String> labels = new TreeMap<>();
        n.path("metric").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        List<Long> ts = new ArrayList<>();
        for (JsonNode t : n.path("timestamps")) {
          ts.add(t.asLong());
        }
        List<Double> values = new ArrayList<>();
        for (JsonNode v : n.path("values")) {
          values.add(v.isNull() ? Double.longBitsToDouble(STALE_NAN_BITS)
              : v.isNumber() ? v.asDouble() : parseValue(v.asText()));
        }
        sortByTime(ts, values);
        out.put(key(labels), new Series(labels, values, ts));
      } catch (IOException e) {
        throw new AssertionError("bad export line: " + line, e);
      }
    }
    return out;
  }

  static void sortByTime(List<Long> ts, List<Double> values) {
    Map<Long, List<Double>> byTime = new TreeMap<>();
    for (int i = 0; i < ts.size(); i++) {
      byTime.computeIfAbsent(ts.get(i), t -> new ArrayList<>()).add(values.get(i));
    }
    ts.clear();
    values.clear();
    byTime.forEach((t, vs) -> vs.forEach(v -> {
      ts.add(t);
      values.add(v);
    }));
  }

  static double parseValue(String s) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  static String key(Map<String, String> labels) {
    Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(labels));
    StringBuilder sb = new StringBuilder(sorted.getOrDefault("__name__", "")).append('{');
    boolean first = true;
    for (var e : sorted.entrySet()) {
      if (e.getKey().equals("__name__")) {
        continue;
      }
      sb.append(first ? "" : ",").append(e.getKey()).append("=\"").append(e.getValue()).append('"');
      first = false;
    }
    return sb.append('}').toString();
  }

  static long upSamples(VictoriaMetrics vm, String job) {
    return series(vm, "up{job=\"" + job + "\"}").values().stream()
        .mapToLong(s -> s.values().size()).max().orElse(0);
  }

  /**
   * The series of a job (scrape series and target_info left out) that have a staleness marker,
   * keyed as the collector writes them. On the Prometheus side the _sum of a classic histogram is
   * left out: contrib's receiver drops the sum from a stale histogram point, so the exporter
   * writes no marker for it (bucket and count series get theirs); a stale summary keeps its
   * quantiles, so those do get markers.
   */
  static Set<String> markedSeries(VictoriaMetrics vm, String job, boolean collector) {
    Map<String, Series> all = series(vm, "{job=\"" + job + "\",__name__!~\"target_info|up|scrape_.*\"}");
    Set<String> histograms = new TreeSet<>();
    all.values().forEach(s -> {
      if (s.name().endsWith("_bucket")) {
        histograms.add(s.name().substring(0, s.name().length() - "_bucket".length()));
      }
    });
    Set<String> out = new TreeSet<>();
    for (Series s : all.values()) {
      if (s.staleCount() == 0) {
        continue;
      }
      if (collector) {
        out.add(keyWithoutScope(s));
      } else if (!(s.name().endsWith("_sum")
          && histograms.contains(s.name().substring(0, s.name().length() - "_sum".length())))) {
        out.add(key(normalizedLabels(s.labels())));
      }
    }
    return out;
  }

  static double lastUp(VictoriaMetrics vm, String job) {
    return series(vm, "up{job=\"" + job + "\"}").values().stream()
        .mapToDouble(s -> s.values().isEmpty() ? -1 : s.values().get(s.values().size() - 1)).findFirst().orElse(-1);
  }

  static boolean allEndStale(VictoriaMetrics vm, String selector) {
    Map<String, Series> s = series(vm, selector);
    return !s.isEmpty() && s.values().stream().allMatch(Series::endsStale);
  }

  static int resultCount(String queryResponse) {
    try {
      JsonNode root = JSON.readTree(queryResponse);
      assertThat(root.path("status").asText()).as(queryResponse).isEqualTo("success");
      return root.path("data").path("result").size();
    } catch (IOException e) {
      throw new AssertionError("bad query response: " + queryResponse, e);
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.sleep(250);
    }
  }
}
