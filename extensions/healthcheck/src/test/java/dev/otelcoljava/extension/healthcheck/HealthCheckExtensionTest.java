package dev.otelcoljava.extension.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthCheckExtensionTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final System.Logger LOGGER = System.getLogger("health_check-test");

  static HealthCheckConfig config(String path, String healthy, String unhealthy) {
    return new HealthCheckConfig("127.0.0.1", 0, path, healthy, unhealthy, false, Duration.ofMinutes(5), 5,
        List.of("https://example.com"), Map.of("X-Probe", "yes"));
  }

  static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handle_lifecycle_503Then200Then503ThenClosed() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T08:00:00.5Z"), ZoneOffset.UTC);
    HealthCheckExtension ext = new HealthCheckExtension(config("/", null, null), LOGGER, clock);
    ext.start(null);
    int port = ext.port();
    try {
      HttpResponse<String> starting = get(port, "/");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.body()).isEqualTo("{\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}");

      ext.pipelinesReady();
      HttpResponse<String> ready = get(port, "/");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(ready.body()).matches("\\{\"status\":\"Server available\",\"upSince\":\"2026-11-22T08:00:00.5Z\","
          + "\"uptime\":\"[0-9.]+(ns|µs|ms|s)\"}");
      // "/" answers below it too, as Go's ServeMux does.
      assertThat(get(port, "/anything").statusCode()).isEqualTo(200);

      ext.pipelinesNotReady();
      assertThat(get(port, "/").statusCode()).isEqualTo(503);
    } finally {
      ext.shutdown(Duration.ofSeconds(2));
      ext.shutdown(Duration.ofSeconds(2));
    }
    assertThatThrownBy(() -> get(port, "/")).isInstanceOf(IOException.class);
  }

  @Test
  void handle_customPathBodiesAndHeaders() throws Exception {
    HealthCheckExtension ext = new HealthCheckExtension(config("/health/status", "I'm OK", "not well"), LOGGER, Clock.systemUTC());
    ext.start(null);
    try {
      int port = ext.port();
      HttpResponse<String> r = get(port, "/health/status", "Origin", "https://example.com");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not well");
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://example.com");
      assertThat(r.headers().firstValue("X-Probe")).hasValue("yes");
      assertThat(get(port, "/health/status", "Origin", "https://evil.example").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      ext.pipelinesReady();
      assertThat(get(port, "/health/status").body()).isEqualTo("I'm OK");
      assertThat(get(port, "/health/status/x").statusCode()).isEqualTo(404);
      assertThat(get(port, "/").statusCode()).isEqualTo(404);
    } finally {
      ext.shutdown(Duration.ofSeconds(2));
    }
  }

  @Test
  void start_portInUse_failsNamingEndpointAndFix() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      HealthCheckConfig c = new HealthCheckConfig("127.0.0.1", taken.getLocalPort(), "/", null, null, false,
          Duration.ofMinutes(5), 5, List.of(), Map.of());
      HealthCheckExtension ext = new HealthCheckExtension(c, LOGGER, Clock.systemUTC());
      assertThatThrownBy(() -> ext.start(null)).isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .hasMessageEndingWith("; another process uses the port: change health_check::endpoint");
      ext.shutdown(Duration.ofSeconds(1));
    }
  }
}
