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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/otelcol-java} from the app directory as a real process: the CLI's answers, and a
 * collector's whole life (health 503/refused → 200 → refused, SIGTERM → exit 0).
 */
class CollectorProcessIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** health_check + prometheus receiver scraping the collector's own telemetry + debug exporter. */
  static String selfScrapeConfig(int healthPort, int telemetryPort) {
    return """
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: self
                  scrape_interval: 1s
                  static_configs:
                    - targets: ["127.0.0.1:%2$d"]
        exporters:
          debug:
            verbosity: basic
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
              exporters: [debug]
        """.formatted(healthPort, telemetryPort);
  }

  @Test
  void version_printsVersionAndExitsZero(@TempDir Path dir) throws Exception {
    AppDir.Result r = AppDir.run(List.of(AppDir.launcher().toString(), "--version"), Map.of(), dir);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains(AppDir.version());
  }

  @Test
  void components_listsThisModulesTypesWithStability(@TempDir Path dir) throws Exception {
    AppDir.Result r = AppDir.run(List.of(AppDir.launcher().toString(), "components"), Map.of(), dir);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("debug").contains("logging").contains("health_check")
        .containsIgnoringCase("deprecated").containsIgnoringCase("development");
  }

  @Test
  void validate_badConfig_exitsNonZeroNamingThePath(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("bad.yaml");
    Files.writeString(cfg, selfScrapeConfig(FreePorts.find(), FreePorts.find())
        .replace("verbosity: basic", "verbosity: loud"));
    AppDir.Result r = AppDir.run(List.of(AppDir.launcher().toString(), "validate", "--config=" + cfg), Map.of(), dir);
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("exporters::debug::verbosity").contains("verbosity level \"loud\" is not supported");
  }

  @Test
  void validate_goodConfig_exitsZero(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("good.yaml");
    Files.writeString(cfg, selfScrapeConfig(FreePorts.find(), FreePorts.find()));
    AppDir.Result r = AppDir.run(List.of(AppDir.launcher().toString(), "validate", "--config=" + cfg), Map.of(), dir);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void run_noConfig_exitsNonZeroWithOneClearLine(@TempDir Path dir) throws Exception {
    AppDir.Result r = AppDir.run(List.of(AppDir.launcher().toString()), Map.of(), dir);
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("--config").contains("AOT_CONFIG_CONTENT");
    assertThat(r.output()).doesNotContain("\tat ");
  }

  @Test
  void run_selfScrape_healthyThenSigtermExitsZeroAndClosesHealth(@TempDir Path dir) throws Exception {
    int health = FreePorts.find();
    int telemetry = FreePorts.find();
    Path cfg = dir.resolve("config.yaml");
    Files.writeString(cfg, selfScrapeConfig(health, telemetry));
    String url = "http://127.0.0.1:" + health + "/";
    try (ExternalProcess p = ExternalProcess.start("otelcol-java",
        List.of(AppDir.launcher().toString(), "--config=" + cfg), dir, Map.of())) {
      // Until the first 200, every answer is 503 (starting) or a refused connection.
      List<String> before = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      HttpResponse<String> ok = null;
      while (System.nanoTime() < deadline && ok == null) {
        assertThat(p.process().isAlive()).as("collector exited early; log:\n" + p.tail()).isTrue();
        HttpResponse<String> r = get(url);
        if (r == null) {
          before.add("refused");
        } else if (r.statusCode() == 200) {
          ok = r;
        } else {
          before.add(r.statusCode() + " " + r.body());
        }
        if (ok == null) {
          Thread.sleep(50);
        }
      }
      assertThat(ok).as("healthy within 30 s; log:\n" + p.tail()).isNotNull();
      assertThat(before).allMatch(s -> s.equals("refused")
          || s.equals("503 {\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}"));
      assertThat(ok.body()).startsWith("{\"status\":\"Server available\",\"upSince\":\"");

      // bin/healthcheck agrees, through bash's /dev/tcp (no curl/wget on this PATH) and through curl/wget.
      assertThat(healthcheck(dir, health, true)).isZero();
      assertThat(healthcheck(dir, health, false)).isZero();

      // The pipeline runs: the debug exporter prints the scraped batches.
      long printed = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!p.logText().contains("\"data points\": ") && System.nanoTime() < printed) {
        Thread.sleep(100);
      }
      assertThat(p.logText()).as("debug exporter output").contains("Metrics {\"resource metrics\": 1, \"metrics\": ");

      p.terminate();
      int code = p.waitFor(Duration.ofSeconds(30));
      assertThat(code).as("exit code after SIGTERM; log:\n" + p.tail()).isZero();
      assertThat(get(url)).as("health endpoint closed after exit").isNull();
      assertThat(healthcheck(dir, health, true)).isEqualTo(1);
    }
  }

  /** Runs bin/healthcheck; {@code bashOnly} hides curl and wget so the /dev/tcp path is used. */
  private static int healthcheck(Path dir, int port, boolean bashOnly) throws Exception {
    Map<String, String> env = bashOnly ? Map.of("PATH", "/nonexistent") : Map.of();
    AppDir.Result r = AppDir.run(List.of("/bin/bash", AppDir.home().resolve("bin/healthcheck").toString(),
        "--port", Integer.toString(port)), env, dir);
    return r.exitCode();
  }

  /** GET, or null when the connection is refused or not answered in time. */
  private static HttpResponse<String> get(String url) throws Exception {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | java.net.http.HttpTimeoutException e) {
      return null; // nothing listening (yet, or any more); a JVM that is still starting may not answer in time
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException || String.valueOf(e.getMessage()).contains("Connection refused")) {
        return null;
      }
      throw e;
    }
  }
}
