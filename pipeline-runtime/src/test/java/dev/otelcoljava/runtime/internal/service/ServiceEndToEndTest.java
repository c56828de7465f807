package dev.otelcoljava.runtime.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.internal.TestComponents;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A test receiver feeding two pipelines, fan-out to exporters, a mutating processor, self-metrics. */
class ServiceEndToEndTest {
  private static final String FAN_OUT = """
      receivers:
        testrcv:
        testrcv/unused:
      processors:
        testproc/mut:
          mutate: true
          drop_first_point: true
      exporters:
        testexp/a:
        testexp/b:
        testexp/c:
        testexp/unused:
      extensions:
        testext:
      service:
        extensions: [testext]
        pipelines:
          metrics/plain:
            receivers: [testrcv]
            exporters: [testexp/a, testexp/b]
          metrics/mut:
            receivers: [testrcv]
            processors: [testproc/mut]
            exporters: [testexp/c]
      """;

  private static Service service(TestComponents world, String yaml, Duration shutdown) throws Exception {
    return Service.builder()
        .yaml(yaml)
        .env(Map.of())
        .registry(world.registry())
        .shutdownTimeout(shutdown)
        .configureLogging(false)
        .metricsOnLoopback()
        .build();
  }

  private static String scrape(InetSocketAddress addr) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + addr.getPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    return r.body();
  }

  /** The value of the one series of {@code name} whose labels include every given pair. */
  private static String value(String text, String name, String... labels) {
    List<String> hits = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        hits.add(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    assertThat(hits).as(name + " " + List.of(labels) + " in\n" + text).hasSize(1);
    return hits.get(0);
  }

  @Test
  void start_fanOutAndMutatingProcessor_deliversAndCountsExactly() throws Exception {
    TestComponents world = new TestComponents();
    try (Service s = service(world, FAN_OUT, Duration.ofSeconds(5))) {
      s.start();
      MetricsBatch batch = TestComponents.batch(3);
      world.receivers.get("testrcv").consume(batch);

      // Read-only consumers share the original; the mutating pipeline gets its own copy.
      assertThat(world.exported("testexp/a")).hasSize(1).first().isSameAs(batch);
      assertThat(world.exported("testexp/b")).hasSize(1).first().isSameAs(batch);
      MetricsBatch mutated = world.exported("testexp/c").get(0);
      assertThat(mutated).isNotSameAs(batch);
      assertThat(mutated.dataPointCount()).isEqualTo(2);
      assertThat(points(mutated)).allMatch(p -> "testproc/mut".equals(p.attributes().getString("mutated_by")));
      assertThat(batch.dataPointCount()).isEqualTo(3);
      assertThat(points(batch)).noneMatch(p -> p.attributes().containsKey("mutated_by"));
      // Unused components are validated but not created.
      assertThat(world.events).noneMatch(e -> e.contains("unused"));

      String text = scrape(s.metricsAddress().orElseThrow());
      assertThat(value(text, "otelcol_receiver_accepted_metric_points", "receiver=\"testrcv\"", "transport=\"test\""))
          .isEqualTo("3");
      assertThat(value(text, "otelcol_receiver_refused_metric_points", "receiver=\"testrcv\"")).isEqualTo("0");
      assertThat(value(text, "otelcol_processor_incoming_items", "processor=\"testproc/mut\"", "otel_signal=\"metrics\""))
          .isEqualTo("3");
      assertThat(value(text, "otelcol_processor_outgoing_items", "processor=\"testproc/mut\"")).isEqualTo("2");
      assertThat(value(text, "otelcol_exporter_sent_metric_points", "exporter=\"testexp/a\"")).isEqualTo("3");
      assertThat(value(text, "otelcol_exporter_sent_metric_points", "exporter=\"testexp/b\"")).isEqualTo("3");
      assertThat(value(text, "otelcol_exporter_sent_metric_points", "exporter=\"testexp/c\"")).isEqualTo("2");
      assertThat(text)
          .contains("# TYPE otelcol_exporter_sent_metric_points counter")
          .contains("service_name=\"otelcol-java\"")
          .contains("service_instance_id=\"")
          .contains("service_version=\"")
          .contains("otelcol_process_uptime{")
          .contains("otelcol_process_memory_rss{")
          .contains("otelcol_process_cpu_seconds{")
          .contains("otelcol_process_runtime_heap_alloc_bytes{")
          .doesNotContainPattern("_total[{ ]")
          .doesNotContain("otel_scope");
    }
  }

  @Test
  void consume_oneExporterFails_othersStillReceiveAndRefusedIsCounted() throws Exception {
    TestComponents world = new TestComponents();
    String yaml = """
        receivers: {testrcv: }
        exporters:
          testexp/bad: {fail: true}
          testexp/good:
        service:
          pipelines:
            metrics: {receivers: [testrcv], exporters: [testexp/bad, testexp/good]}
        """;
    try (Service s = service(world, yaml, Duration.ofSeconds(5))) {
      s.start();
      assertThatThrownBy(() -> world.receivers.get("testrcv").consume(TestComponents.batch(4)))
          .isInstanceOf(ConsumerException.class)
          .hasMessageContaining("exporter testexp/bad refuses");
      assertThat(world.exported("testexp/good")).hasSize(1);
      String text = s.scrapeMetrics();
      assertThat(value(text, "otelcol_receiver_refused_metric_points", "receiver=\"testrcv\"")).isEqualTo("4");
      assertThat(value(text, "otelcol_receiver_accepted_metric_points", "receiver=\"testrcv\"")).isEqualTo("0");
      assertThat(value(text, "otelcol_exporter_send_failed_metric_points", "exporter=\"testexp/bad\"")).isEqualTo("4");
    }
  }

  @Test
  void shutdown_ordersReceiversProcessorsExportersExtensions() throws Exception {
    TestComponents world = new TestComponents();
    Service s = service(world, FAN_OUT, Duration.ofSeconds(5));
    s.start();
    s.shutdown();
    s.shutdown();
    assertThat(world.events).containsExactly(
        "create extensions::testext",
        "create exporters::testexp/a",
        "create exporters::testexp/b",
        "create exporters::testexp/c",
        "create processors::testproc/mut",
        "create receivers::testrcv",
        "start extensions::testext",
        "start exporters::testexp/a",
        "start exporters::testexp/b",
        "start exporters::testexp/c",
        "start processors::testproc/mut",
        "start receivers::testrcv",
        "ready extensions::testext",
        "notready extensions::testext",
        "shutdown receivers::testrcv",
        "shutdown processors::testproc/mut",
        "shutdown exporters::testexp/a",
        "shutdown exporters::testexp/b",
        "shutdown exporters::testexp/c",
        "shutdown extensions::testext");
    assertThat(s.metricsAddress()).isPresent();
  }

  @Test
  void shutdown_componentHangs_deadlineHoldsAndOthersStillStop() throws Exception {
    TestComponents world = new TestComponents();
    String yaml = """
        receivers: {testrcv: }
        exporters:
          testexp/slow: {hang_on_shutdown: 30s}
          testexp/next:
        extensions: {testext: }
        service:
          extensions: [testext]
          pipelines:
            metrics: {receivers: [testrcv], exporters: [testexp/slow, testexp/next]}
        """;
    Service s = service(world, yaml, Duration.ofMillis(300));
    s.start();
    long t0 = System.nanoTime();
    s.shutdown();
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
    // 300 ms deadline plus 100 ms grace for each of the two components left after it; far below 30 s.
    assertThat(elapsedMs).isLessThan(10_000);
    assertThat(world.events).containsSubsequence(
        "shutdown exporters::testexp/slow", "shutdown exporters::testexp/next", "shutdown extensions::testext");
  }

  @Test
  void start_componentFails_namesItAndStopsTheRest() throws Exception {
    TestComponents world = new TestComponents();
    String yaml = """
        receivers: {testrcv: }
        exporters:
          testexp/ok:
          testexp/broken: {fail_start: true}
        service:
          pipelines:
            metrics: {receivers: [testrcv], exporters: [testexp/ok, testexp/broken]}
        """;
    Service s = service(world, yaml, Duration.ofSeconds(5));
    assertThatThrownBy(s::start).hasMessage("failed to start exporters::testexp/broken: boom");
    assertThat(world.events).doesNotContain("start receivers::testrcv")
        .contains("shutdown receivers::testrcv", "shutdown exporters::testexp/ok", "shutdown exporters::testexp/broken");
    s.shutdown();
  }

  @Test
  void start_levelNone_servesNoEndpoint() throws Exception {
    TestComponents world = new TestComponents();
    String yaml = """
        receivers: {testrcv: }
        exporters: {testexp: }
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            metrics: {receivers: [testrcv], exporters: [testexp]}
        """;
    try (Service s = Service.builder().yaml(yaml).env(Map.of()).registry(world.registry()).configureLogging(false).build()) {
      s.start();
      assertThat(s.metricsAddress()).isEmpty();
      world.receivers.get("testrcv").consume(TestComponents.batch(1));
      assertThat(world.exported("testexp")).hasSize(1);
    }
  }

  @Test
  void build_aotConfigContent_winsOverCommandLine() throws Exception {
    TestComponents world = new TestComponents();
    String yaml = """
        receivers: {testrcv: }
        exporters: {testexp/aot: }
        service:
          pipelines:
            metrics: {receivers: [testrcv], exporters: [testexp/aot]}
        """;
    try (Service s = Service.builder()
        .commandLine(List.of("/nonexistent/config.yaml"), List.of("service.pipelines=broken"))
        .env(Map.of("AOT_CONFIG_CONTENT", yaml))
        .registry(world.registry())
        .configureLogging(false)
        .metricsOnLoopback()
        .build()) {
      s.start();
      world.receivers.get("testrcv").consume(TestComponents.batch(2));
      assertThat(world.exported("testexp/aot")).hasSize(1);
    }
  }

  private static List<DataPoint> points(MetricsBatch b) {
    List<DataPoint> out = new ArrayList<>();
    b.resourceMetrics().forEach(r -> r.scopeMetrics().forEach(s -> s.metrics().forEach(m -> out.addAll(m.points()))));
    return out;
  }
}
