package dev.otelcoljava.extension.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.ComponentStatus;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.StatusEvent;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Component status on the legacy endpoint: a component's recoverable error is listed in the body
 * while liveness stays 200, and the body is otelcol's legacy one again once it is OK.
 */
class HealthCheckComponentStatusTest {
  @Test
  void recoverableError_listedInBodyWith200_thenGoneWhenOk() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T08:00:00Z"), ZoneOffset.UTC);
    HealthCheckExtension ext = new HealthCheckExtension(HealthCheckExtensionTest.config("/", null, null),
        System.getLogger("status-test"), clock);
    ext.start(null);
    // Reported the way a component reports it: through the Host given at start.
    Host host = new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return Optional.of(ext);
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of(ComponentId.of("health_check"), ext);
      }
    };
    ComponentId prw = ComponentId.parse("prometheusremotewrite/amp");
    try {
      int port = ext.port();
      ext.pipelinesReady();
      String legacy = "\\{\"status\":\"Server available\",\"upSince\":\"2026-11-22T08:00:00Z\",\"uptime\":\"[0-9.]+(ns|µs|ms|s)\"}";
      assertThat(HealthCheckExtensionTest.get(port, "/").body()).matches(legacy);

      host.reportStatus(new StatusEvent(prw, ComponentKind.EXPORTER, ComponentStatus.RECOVERABLE_ERROR,
          "cannot write to the WAL in /wal/x (read_only: Read-only file system); \"quoted\"\n", Instant.parse("2026-11-22T08:01:02.25Z")));
      HttpResponse<String> bad = HealthCheckExtensionTest.get(port, "/");
      assertThat(bad.statusCode()).as("liveness stays 200 on a recoverable error").isEqualTo(200);
      assertThat(bad.body()).matches("\\{\"status\":\"Server available\",\"upSince\":\"2026-11-22T08:00:00Z\",\"uptime\":\"[^\"]+\","
          + "\"components\":\\{\"exporter:prometheusremotewrite/amp\":\\{\"healthy\":true,\"status\":\"StatusRecoverableError\","
          + "\"error\":\"cannot write to the WAL in /wal/x \\(read_only: Read-only file system\\); \\\\\"quoted\\\\\"\\\\n\","
          + "\"status_time\":\"2026-11-22T08:01:02.25Z\"}}}");

      host.reportStatus(new StatusEvent(prw, ComponentKind.EXPORTER, ComponentStatus.OK, null, Instant.now()));
      HttpResponse<String> ok = HealthCheckExtensionTest.get(port, "/");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).matches(legacy);
    } finally {
      ext.shutdown(Duration.ofSeconds(2));
    }
  }
}
