package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.LoopFs;
import dev.otelcoljava.testing.peers.PrometheusServer;
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
 * RELIABILITY case 11 in the real collector process: the prometheusremotewrite WAL directory is
 * on ext4 in an image on a loop device, which goes read-only under the running collector (ext4's
 * error injection; writes fail with EROFS). Scraping continues into a real Prometheus, health_check
 * keeps answering 200 and names the exporter's StatusRecoverableError with the reason, the
 * self-metric {@code otelcol_exporter_prometheusremotewrite_wal_write_failing} is 1; after the file
 * system is repaired and mounted again at the same path the WAL takes writes by itself, the status
 * and the gauge go back to OK, nothing scraped meanwhile is lost or out of order, and SIGTERM exits
 * 0. Needs root (loop devices, mounts); fails, never skips, without it. Every port is a free one.
 */
class WalReadOnlyProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static String get(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (Exception e) {
      return "error " + e;
    }
  }

  /** The self-metric's value, or null if not exposed. */
  static String walWriteFailing(int telemetryPort) {
    for (String line : get("http://127.0.0.1:" + telemetryPort + "/metrics").split("\n")) {
      if (line.startsWith("otelcol_exporter_prometheusremotewrite_wal_write_failing{")) {
        return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    return null;
  }

  @Test
  void walFsGoesReadOnly_scrapingContinuesHealthShowsRecoverableError_recoversAfterRemount(@TempDir Path dir) throws Exception {
    int healthPort = FreePorts.find();
    int telemetryPort = FreePorts.find();
    try (PrometheusServer prom = PrometheusServer.start(dir.resolve("prom"));
        RemoteWriteProcessIT.Ticker ticker = new RemoteWriteProcessIT.Ticker();
        LoopFs fs = LoopFs.create(dir.resolve("wal.img"), dir.resolve("walfs"), 32)) {
      Path cfg = dir.resolve("config.yaml");
      Files.writeString(cfg, """
          extensions:
            health_check:
              endpoint: 127.0.0.1:%d
          receivers:
            prometheus:
              config:
                scrape_configs:
                  - job_name: ticker
                    scrape_interval: 500ms
                    scrape_timeout: 400ms
                    static_configs:
                      - targets: ["%s"]
          exporters:
            prometheusremotewrite:
              endpoint: %s
              wal:
                directory: %s
                truncate_frequency: 1s
          service:
            extensions: [health_check]
            telemetry:
              metrics:
                readers:
                  - pull:
                      exporter:
                        prometheus:
                          host: 127.0.0.1
                          port: %d
            pipelines:
              metrics:
                receivers: [prometheus]
                exporters: [prometheusremotewrite]
          """.formatted(healthPort, ticker.address(), prom.remoteWriteUrl(), fs.mountPoint(), telemetryPort));
      String health = "http://127.0.0.1:" + healthPort + "/";
      ExternalProcess p = RemoteWriteProcessIT.collector(dir, "collector", cfg, Map.of());
      try {
        RemoteWriteProcessIT.await("ticks stored", Duration.ofSeconds(60), p, () -> RemoteWriteProcessIT.storedTicks(prom).size() >= 3);
        assertThat(get(health)).startsWith("200 {\"status\":\"Server available\"").doesNotContain("components");
        assertThat(walWriteFailing(telemetryPort)).isEqualTo("0");

        fs.triggerError();
        long failedAt = ticker.ticks.get();
        RemoteWriteProcessIT.await("health showing the WAL error", Duration.ofSeconds(20), p, () -> get(health).contains("components"));
        String h = get(health);
        assertThat(h).as("liveness stays 200").startsWith("200 ");
        JsonNode st = JSON.readTree(h.substring(4)).path("components").path("exporter:prometheusremotewrite");
        assertThat(st.path("status").asText()).as(h).isEqualTo("StatusRecoverableError");
        Path walDir = fs.mountPoint().resolve("prometheusremotewrite");
        assertThat(st.path("error").asText()).startsWith("cannot write to the WAL in " + walDir + " (read_only: Read-only file system)");
        assertThat(walWriteFailing(telemetryPort)).isEqualTo("1");
        // Scraping continues and reaches Prometheus, from memory.
        RemoteWriteProcessIT.await("ticks scraped after the failure stored", Duration.ofSeconds(20), p, () -> {
          List<Long> s = RemoteWriteProcessIT.storedTicks(prom);
          return !s.isEmpty() && s.get(s.size() - 1) >= failedAt + 4;
        });
        assertThat(p.logText()).contains("cannot write to the WAL in " + walDir + " (read_only: Read-only file system)");

        fs.repairAndRemount();
        RemoteWriteProcessIT.await("health back to OK", Duration.ofSeconds(20), p, () -> {
          String b = get(health);
          return b.startsWith("200 ") && !b.contains("components");
        });
        assertThat(walWriteFailing(telemetryPort)).isEqualTo("0");
        assertThat(p.logText()).contains("the WAL in " + walDir + " takes writes again");
        long recoveredAt = ticker.ticks.get();
        RemoteWriteProcessIT.await("ticks after the recovery stored", Duration.ofSeconds(20), p, () -> {
          List<Long> s = RemoteWriteProcessIT.storedTicks(prom);
          return !s.isEmpty() && s.get(s.size() - 1) >= recoveredAt + 3;
        });
        try (var files = Files.list(walDir)) {
          assertThat(files.filter(f -> f.toString().endsWith(".seg")).anyMatch(f -> f.toFile().length() > 8))
              .as("segments with records on the new mount").isTrue();
        }
        p.terminate();
        assertThat(p.waitFor(Duration.ofSeconds(30))).as("exit code after SIGTERM; log:\n" + p.tail()).isZero();
      } finally {
        p.close();
      }
      List<Long> stored = RemoteWriteProcessIT.storedTicks(prom);
      for (int i = 1; i < stored.size(); i++) {
        assertThat(stored.get(i)).as("order at " + i + ": " + stored).isGreaterThan(stored.get(i - 1));
      }
      // Every value scraped from the first one stored to the last, through the failure and the recovery.
      long last = stored.get(stored.size() - 1);
      List<Long> missing = new ArrayList<>();
      for (long v = stored.get(0); v <= last; v++) {
        if (!stored.contains(v)) {
          missing.add(v);
        }
      }
      assertThat(missing).as("ticks lost; stored " + stored).isEmpty();
      assertThat(stored.get(0)).as("stored from the start").isLessThanOrEqualTo(2);
      assertThat(last).as("stored past the recovery").isGreaterThan(10);
    }
  }
}
