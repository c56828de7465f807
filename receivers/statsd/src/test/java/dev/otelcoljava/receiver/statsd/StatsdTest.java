package dev.otelcoljava.receiver.statsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import dev.otelcoljava.testing.FactoryContract;
import dev.otelcoljava.testing.MetricsSink;
import dev.otelcoljava.testing.SharedFiles;
import io.opentelemetry.api.metrics.MeterProvider;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StatsdTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private record Read(StatsdReceiverConfig config, ConfigProblems problems) {}

  private static Read read(Object tree) {
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(tree, "receivers::statsd", problems);
    StatsdReceiverConfig c = new StatsdReceiverFactory().createConfig(node, "statsd");
    node.reportUnknownKeys();
    return new Read(c, problems);
  }

  private static Read read(String yaml) throws Exception {
    return read(yaml.isBlank() ? null : YAML.readValue(yaml, Object.class));
  }

  private static StatsdReceiverConfig config(String yaml) throws Exception {
    Read r = read(yaml);
    assertThat(r.problems().errors()).isEmpty();
    return r.config();
  }

  private static List<Metric> metrics(MetricsBatch b) {
    List<Metric> out = new ArrayList<>();
    for (ScopeMetrics s : b.resourceMetrics().get(0).scopeMetrics()) {
      assertThat(s.name()).isEqualTo(StatsdAggregator.SCOPE);
      assertThat(s.version()).isEqualTo("1.0");
      out.addAll(s.metrics());
    }
    return out;
  }

  private static Metric find(List<Metric> ms, String name) {
    return ms.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void createConfig_defaults() throws Exception {
    StatsdReceiverConfig c = config("");
    assertThat(c).isEqualTo(new StatsdReceiverConfig("localhost:8125", "udp", Duration.ofSeconds(60), false, false, false, false, false,
        StatsdReceiverConfig.Observer.GAUGE, StatsdReceiverConfig.Observer.GAUGE));
    FactoryContract.verify(new StatsdReceiverFactory(), "endpoint: 127.0.0.1:0\naggregation_interval: 1s");
  }

  @Test
  void createConfig_fullConfig() throws Exception {
    StatsdReceiverConfig c = config("""
        endpoint: 0.0.0.0:8126
        transport: tcp
        aggregation_interval: 70s
        enable_metric_type: true
        enable_simple_tags: true
        is_monotonic_counter: true
        enable_ip_only_aggregation: true
        counter_type: float
        timer_histogram_mapping:
          - statsd_type: histogram
            observer_type: summary
            summary: {percentiles: [50, 99]}
          - statsd_type: timing
            observer_type: gauge
        """);
    assertThat(c).isEqualTo(new StatsdReceiverConfig("0.0.0.0:8126", "tcp", Duration.ofSeconds(70), true, true, true, true, true,
        StatsdReceiverConfig.Observer.GAUGE, new StatsdReceiverConfig.Observer("summary", List.of(50.0, 99.0), 0)));
  }

  @Test
  void createConfig_invalidValuesNameTheirPaths() throws Exception {
    assertThat(read("""
        aggregation_interval: 0s
        transport: unixgram
        timer_histogram_mapping:
          - statsd_type: counter
            observer_type: gauge
          - statsd_type: timer
            observer_type: histogram
            histogram: {max_size: 1, explicit_buckets: [{matcher_pattern: ".*", buckets: [1, 2]}]}
          - statsd_type: histogram
            observer_type: gauge
            summary: {percentiles: [101]}
          - observer_type: gauge
        """).problems().errors()).containsExactlyInAnyOrder(
        "receivers::statsd::aggregation_interval: must be a positive duration",
        "receivers::statsd::transport: \"unixgram\" is not supported; use udp or tcp",
        "receivers::statsd::timer_histogram_mapping[0]::statsd_type: statsd_type is not a supported mapping for histogram and timing metrics: counter",
        "receivers::statsd::timer_histogram_mapping[1]::histogram: histogram max_size out of range: 1",
        "receivers::statsd::timer_histogram_mapping[1]::histogram: explicit_buckets are not supported by this collector yet; remove them "
            + "to get exponential histograms",
        "receivers::statsd::timer_histogram_mapping[2]::summary: summary percentiles out of [0, 100] range: 101",
        "receivers::statsd::timer_histogram_mapping[2]::summary: summary configuration requires observer_type: summary",
        "receivers::statsd::timer_histogram_mapping: must specify object id for all TimerHistogramMappings");
  }

  @Test
  void createConfig_everyAdotStatsdSectionLoads() throws Exception {
    Path dir = SharedFiles.sharedDir().resolve("fixtures/adot/config");
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    int found = 0;
    for (Path f : files) {
      Map<?, ?> receivers = (Map<?, ?>) YAML.readValue(f.toFile(), Map.class).get("receivers");
      if (receivers != null && receivers.containsKey("statsd")) {
        found++;
        Read r = read(receivers.get("statsd"));
        assertThat(r.problems().errors()).as(f.toString()).isEmpty();
        assertThat(r.config().endpoint()).isEqualTo("0.0.0.0:8125");
        assertThat(r.config().aggregationInterval()).isEqualTo(Duration.ofSeconds(60));
      }
    }
    assertThat(found).isGreaterThanOrEqualTo(2);
  }

  @Test
  void parse_linesAsUpstream() throws Exception {
    StatsdLine l = StatsdLine.parse("req:3|c|@0.5|#env:prod,az:a|c:abc123", false, false);
    assertThat(l.name()).isEqualTo("req");
    assertThat(l.counterIncrement()).isEqualTo(6);
    assertThat(l.attributes()).isEqualTo(Attributes.of("az", "a", "env", "prod", "container.id", "abc123"));
    assertThat(l.attributes().key(0)).isEqualTo("az");
    assertThat(StatsdLine.parse("g:-2|g", true, false).addition()).isTrue();
    assertThat(StatsdLine.parse("g:-2|g", true, false).attributes()).isEqualTo(Attributes.of("metric_type", "gauge"));
    assertThat(StatsdLine.parse("t:1|ms|#", false, false).attributes().isEmpty()).isTrue();
    assertThat(StatsdLine.parse("c:1|c|T1700000000", false, false).timestampNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(StatsdLine.parse("s:1|d|#flag", false, true).attributes()).isEqualTo(Attributes.of("flag", ""));
    for (String[] bad : new String[][] {
        {"nobar", "invalid message format: nobar"}, {"name|c", "invalid <name>:<value> format: name"}, {":1|c", "empty metric name"},
        {"a:|c", "empty metric value"}, {"a:1|s", "unsupported metric type: s"}, {"a:1|c|@x", "parse sample rate: x"},
        {"a:1|c|#flag", "invalid tag format: \"flag\""}, {"a:1|ms|T5", "only GAUGE and COUNT metrics support a timestamp"},
        {"a:1|c|zz", "unrecognized message part: zz"}, {"a:1d|c", "parse metric value string: 1d"}}) {
      assertThatThrownBy(() -> StatsdLine.parse(bad[0], false, false)).as(bad[0]).hasMessage(bad[1]);
    }
  }

  @Test
  void aggregate_countersGaugesAndObservers() throws Exception {
    StatsdReceiverConfig c = config("""
        timer_histogram_mapping:
          - {statsd_type: timing, observer_type: summary}
          - {statsd_type: histogram, observer_type: gauge}
        """);
    StatsdAggregator a = new StatsdAggregator(c, "1.0", 1_000);
    for (String line : List.of("hits:2|c|#k:v", "hits:3|c|@0.5|#k:v", "hits:1.9|c", "temp:10|g", "temp:+5|g", "temp:-1|g",
        "lat:10|ms", "lat:20|ms", "lat:30|ms|@0.5", "size:7|h", "size:8|h")) {
      a.add(StatsdLine.parse(line, false, false), "client", 2_000);
    }
    List<MetricsBatch> batches = a.flush(3_000);
    assertThat(batches).hasSize(1);
    List<Metric> ms = metrics(batches.get(0));
    Metric hits = ms.stream().filter(m -> m.name().equals("hits") && !m.numberPoints().get(0).attributes().isEmpty()).findFirst().orElseThrow();
    assertThat(hits.type()).isEqualTo(MetricType.SUM);
    assertThat(hits.temporality()).isEqualTo(Temporality.DELTA);
    assertThat(hits.monotonic()).isFalse();
    NumberPoint hp = hits.numberPoints().get(0);
    assertThat(hp.isDouble()).isFalse();
    assertThat(hp.longValue()).isEqualTo(8);
    assertThat(hp.startTimeNanos()).isEqualTo(1_000);
    assertThat(hp.timeNanos()).isEqualTo(3_000);
    Metric hitsNoTags = ms.stream().filter(m -> m.name().equals("hits") && m.numberPoints().get(0).attributes().isEmpty()).findFirst().orElseThrow();
    assertThat(hitsNoTags.numberPoints().get(0).longValue()).isEqualTo(1);
    Metric temp = find(ms, "temp");
    assertThat(temp.type()).isEqualTo(MetricType.GAUGE);
    assertThat(temp.numberPoints().get(0).doubleValue()).isEqualTo(14);
    SummaryPoint lat = find(ms, "lat").summaryPoints().get(0);
    assertThat(lat.count()).isEqualTo(4);
    assertThat(lat.sum()).isEqualTo(90);
    assertThat(lat.quantiles()).containsExactly(0, 0.1, 0.5, 0.9, 0.95, 1);
    assertThat(lat.values()).containsExactly(10, 10, 20, 30, 30, 30);
    assertThat(ms.stream().filter(m -> m.name().equals("size")).count()).isEqualTo(2);
    assertThat(a.flush(4_000)).isEmpty();
  }

  @Test
  void aggregate_separatesClientsUnlessIpOnly() throws Exception {
    StatsdAggregator a = new StatsdAggregator(config(""), "1.0", 0);
    a.add(StatsdLine.parse("x:1|c", false, false), "/10.0.0.1:5000", 1);
    a.add(StatsdLine.parse("x:1|c", false, false), "/10.0.0.1:5001", 1);
    assertThat(a.flush(2)).hasSize(2);
  }

  @Test
  void udp_linesArriveAsOneBatchPerInterval() throws Exception {
    MetricsSink sink = new MetricsSink();
    StatsdReceiverConfig c = config("endpoint: 127.0.0.1:0\naggregation_interval: 200ms\nis_monotonic_counter: true");
    StatsdReceiver r = (StatsdReceiver) new StatsdReceiverFactory().createReceiver(new CreateSettings(ComponentId.of("statsd"),
        ComponentKind.RECEIVER, MeterProvider.noop().get("t"), System.getLogger("statsd"), MetricsLevel.NONE,
        new BuildInfo("c", "d", "1.0")), c, sink);
    r.start(new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return Optional.empty();
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of();
      }
    });
    try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      byte[] msg = "requests:1|c|#route:/a\nrequests:2|c|#route:/a\nbad line\nqueue:7|g\n".getBytes(StandardCharsets.UTF_8);
      client.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), r.port()));
      sink.awaitBatches(1, Duration.ofSeconds(10));
    } finally {
      r.shutdown(Duration.ofSeconds(2));
    }
    List<Metric> ms = metrics(sink.batches().get(0));
    Metric req = find(ms, "requests");
    assertThat(req.monotonic()).isTrue();
    assertThat(req.numberPoints().get(0).longValue()).isEqualTo(3);
    assertThat(req.numberPoints().get(0).attributes()).isEqualTo(Attributes.of("route", "/a"));
    assertThat(find(ms, "queue").numberPoints().get(0).doubleValue()).isEqualTo(7);
    assertThat(sink.dataPointCount()).isEqualTo(2);
  }
}
