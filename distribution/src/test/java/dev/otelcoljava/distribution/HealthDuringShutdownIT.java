package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health_check endpoint over a collector's whole life, as an orchestrator sees it: 200 while
 * running, 503 from the moment SIGTERM starts the shutdown while the exporters still drain (so a
 * load balancer stops sending work before the process goes), then closed, and exit code 0.
 *
 * <p>To make the draining phase observable, the remote-write backend is slowed down just before
 * SIGTERM: the exporter's in-flight request holds the shutdown open for a few seconds.
 */
class HealthDuringShutdownIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final String NOT_AVAILABLE =
      "{\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}";

  @Test
  void run_sigtermWhileExportsInFlight_healthTurns503UntilExitZero(@TempDir Path dir) throws Exception {
    int health = FreePorts.find();
    int telemetry = FreePorts.find();
    try (RemoteWriteSink sink = RemoteWriteSink.start()) {
      Path cfg = dir.resolve("config.yaml");
      Files.writeString(cfg, """
          receivers:
            prometheus:
              config:
                scrape_configs:
                  - job_name: self
                    scrape_interval: 500ms
                    static_configs:
                      - targets: ["127.0.0.1:%2$d"]
          exporters:
            prometheusremotewrite:
              endpoint: %3$s
              timeout: 20s
          extensions:
            health_check:
              endpoint: 127.0.0.1:%1$d
          service:
            extensions: [health_check]
            telemetry:
              metrics:
                readers:
                  - pull:
                      exporter:
                        prometheus:
                          host: 127.0.0.1
                          port: %2$d
            pipelines:
              metrics:
                receivers: [prometheus]
                exporters: [prometheusremotewrite]
          """.formatted(health, telemetry, sink.url("/api/v1/write")));
      String url = "http://127.0.0.1:" + health + "/";
      try (ExternalProcess p = ExternalProcess.start("otelcol-java",
          List.of(AppDir.launcher().toString(), "--config=" + cfg), dir, Map.of())) {
        p.awaitHttpOk(url, Duration.ofSeconds(60));
        HttpResponse<String> running = get(url);
        assertThat(running).isNotNull();
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).startsWith("{\"status\":\"Server available\",\"upSince\":\"");

        // Exports flow; then the backend turns slow and the next write stays in flight.
        awaitTrue(() -> sink.answered() >= 1, Duration.ofSeconds(30), "a remote write arrives; log:\n" + p.tail());
        sink.delay(Duration.ofSeconds(4));
        int before = sink.started();
        awaitTrue(() -> sink.started() > before, Duration.ofSeconds(30), "a slow remote write starts; log:\n" + p.tail());

        p.terminate();
        List<String> afterSigterm = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (p.process().isAlive() && System.nanoTime() < deadline) {
          String seen = probe(url);
          if (seen.equals("timeout")) {
            continue; // a busy machine; says nothing about the state
          }
          if (afterSigterm.isEmpty() || !afterSigterm.get(afterSigterm.size() - 1).equals(seen)) {
            afterSigterm.add(seen);
          }
          Thread.sleep(20);
        }
        int code = p.waitFor(Duration.ofSeconds(30));
        assertThat(code).as("exit code after SIGTERM; log:\n" + p.tail()).isZero();

        // Possibly a last 200 (the signal not handled yet), then 503 while draining, then closed.
        assertThat(afterSigterm).as("health answers after SIGTERM").contains("503 " + NOT_AVAILABLE);
        int first503 = afterSigterm.indexOf("503 " + NOT_AVAILABLE);
        assertThat(afterSigterm.subList(first503, afterSigterm.size()))
            .as("after the first 503, only 503 or a closed endpoint: " + afterSigterm)
            .allMatch(s -> s.equals("503 " + NOT_AVAILABLE) || s.equals("refused"));
        assertThat(afterSigterm.subList(0, first503)).allMatch(s -> s.startsWith("200 "));
        assertThat(get(url)).as("health endpoint closed after exit").isNull();
        assertThat(sink.answered()).as("the in-flight write was drained, not dropped").isGreaterThan(before);
        assertThat(p.logText()).doesNotContain("\terror\t");
        // No JVM warnings on stderr (e.g. snappy-java's System.load without native access granted).
        assertThat(p.logText()).doesNotContain("WARNING: ");
      }
    }
  }

  private interface Condition {
    boolean holds();
  }

  private static void awaitTrue(Condition c, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** "STATUS BODY", "refused" or "timeout". */
  private static String probe(String url) throws Exception {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (HttpTimeoutException e) {
      return "timeout";
    } catch (ConnectException e) {
      return "refused";
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException || String.valueOf(e.getMessage()).contains("Connection refused")) {
        return "refused";
      }
      throw e;
    }
  }

  /** GET, or null when the connection is refused or not answered in time. */
  static HttpResponse<String> get(String url) throws Exception {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpTimeoutException e) {
      return null;
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException || String.valueOf(e.getMessage()).contains("Connection refused")) {
        return null;
      }
      throw e;
    }
  }
}
