package dev.otelcoljava.runtime.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY case 20 for the self-metrics endpoint: without settings it serves on the loopback
 * only (otelcol-contrib's localhost:8888); explicit all-interfaces settings still bind every
 * interface. Bound on port 0 here (the default port is fixed; AdminListenersIT runs it).
 */
class SelfTelemetryListenTest {
  private static final BuildInfo INFO = new BuildInfo("otelcol-java", "test", "0.0.0-test");

  private static TelemetryConfig read(Map<String, Object> telemetry) {
    ConfigProblems problems = new ConfigProblems();
    TelemetryConfig c = TelemetryConfig.read(ConfigNode.root(telemetry, "service::telemetry", problems));
    assertThat(problems.errors()).isEmpty();
    return c;
  }

  /** {@code metrics: {readers: [{pull: {exporter: {prometheus: <prometheus>}}}]}}. */
  private static TelemetryConfig readers(Map<String, Object> prometheus) {
    Map<String, Object> reader = Map.of("pull", Map.of("exporter", Map.of("prometheus", prometheus)));
    return read(Map.of("metrics", Map.of("readers", List.of(reader))));
  }

  private static InetSocketAddress bound(TelemetryConfig cfg) throws Exception {
    try (SelfTelemetry t = SelfTelemetry.start(cfg.withMetricsEndpoint(cfg.metricsHost(), 0), INFO)) {
      InetSocketAddress a = t.address().orElseThrow();
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/metrics"))
              .timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return a;
    }
  }

  @Test
  void instanceId_isARandomVersion4Uuid() throws Exception {
    TelemetryConfig none = read(Map.of("metrics", Map.of("level", "none")));
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      try (SelfTelemetry t = SelfTelemetry.start(none, INFO)) {
        java.util.UUID u = java.util.UUID.fromString(t.instanceId());
        assertThat(u.version()).isEqualTo(4);
        assertThat(u.variant()).isEqualTo(2);
        assertThat(u.toString()).isEqualTo(t.instanceId());
        ids.add(t.instanceId());
      }
    }
    assertThat(ids).hasSize(100);
  }

  @Test
  void defaults_localhost8888_boundToLoopbackOnly() throws Exception {
    for (TelemetryConfig cfg : List.of(TelemetryConfig.defaults(), read(Map.of()),
        read(Map.of("metrics", Map.of("level", "detailed"))),
        readers(Map.of("port", 8888)))) {
      assertThat(cfg.metricsHost()).isEqualTo("localhost");
      assertThat(cfg.metricsPort()).isEqualTo(8888);
      InetSocketAddress a = bound(cfg);
      assertThat(a.getAddress().isLoopbackAddress()).as(a.toString()).isTrue();
      assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void explicitAllInterfaces_stillBindsEveryInterface() throws Exception {
    List<TelemetryConfig> all = List.of(
        read(Map.of("metrics", Map.of("address", "0.0.0.0:8888"))),
        read(Map.of("metrics", Map.of("address", ":8888"))),
        readers(Map.of("host", "0.0.0.0", "port", 8888)),
        readers(Map.of("host", "", "port", 8888)));
    for (TelemetryConfig cfg : all) {
      assertThat(cfg.metricsHost()).isEqualTo("0.0.0.0");
      InetSocketAddress a = bound(cfg);
      assertThat(a.getAddress().isAnyLocalAddress()).as(a.toString()).isTrue();
    }
  }
}
