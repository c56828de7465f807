package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelcoljava.testing.LoopFs;
import dev.otelcoljava.extension.healthcheck.HealthCheckExtensionFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.PipelineStatusListener;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.peers.PrometheusServer;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY case 11, the read-only half, for real and while running: the WAL directory is on an
 * ext4 file system (an image on a loop device, mounted errors=remount-ro) that goes read-only
 * under the running exporter (ext4's error injection: writes then fail with EROFS, as when a disk
 * fails). The receiver is a real Prometheus, which refuses out-of-order samples, and the status is
 * read from the real health_check extension over HTTP. Needs root; fails, never skips, without it.
 */
class WalReadOnlyWhileRunningTest {
  @TempDir Path tmp;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The health_check extension, as the collector builds it from {@code endpoint: 127.0.0.1:<port>}. */
  static Extension healthCheck(int port) throws Exception {
    HealthCheckExtensionFactory f = new HealthCheckExtensionFactory();
    ConfigProblems problems = new ConfigProblems();
    var config = f.createConfig(ConfigNode.root(Map.of("endpoint", "127.0.0.1:" + port), "extensions::health_check", problems),
        "health_check");
    assertThat(problems.hasErrors()).isFalse();
    Extension ext = f.createExtension(new CreateSettings(ComponentId.of("health_check"), ComponentKind.EXTENSION,
        OpenTelemetry.noop().getMeter("test"), System.getLogger("test.health_check"), MetricsLevel.NORMAL,
        new BuildInfo("otelcol-java", "otelcol-java", "1.2.3")), config);
    ext.start(null);
    ((PipelineStatusListener) ext).pipelinesReady();
    return ext;
  }

  static HttpResponse<String> health(int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The file system goes read-only while batches flow. With the back end up every batch still
   * reaches Prometheus in order, sent from memory, counted as not durable (reason read_only), logged
   * once, and health_check answers 200 with the exporter in StatusRecoverableError naming the WAL
   * directory and the reason (no other path). With the back end down too, memory is bounded
   * (buffer_size batches) and the rest is refused and counted. No crash. Then the operator repairs
   * and remounts the file system at the same path while the collector runs: the WAL takes writes
   * again by itself (a new segment on the new mount), the status goes back to OK (the legacy body
   * again), everything accepted is delivered in order, and only the refused samples are lost.
   */
  @Test
  void fsGoesReadOnly_sentFromMemoryCountedHealthShowsError_boundedWhenBackEndDown_recoversAfterRemount() throws Exception {
    int buffer = 4;
    String metric = "erofs_gauge";
    int healthPort = FreePorts.find();
    Extension health = healthCheck(healthPort);
    Host host = new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return Optional.of(health);
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of(ComponentId.of("health_check"), health);
      }
    };
    Support.CapturingLogger log = new Support.CapturingLogger();
    long t0 = System.currentTimeMillis() - 120_000;
    try (PrometheusServer prom = PrometheusServer.start(tmp.resolve("prom"));
        LoopFs fs = LoopFs.create(tmp.resolve("wal.img"), tmp.resolve("walfs"), 32);
        FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      Path walDir = fs.mountPoint().resolve("prometheusremotewrite_ro");
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/ro", WalDiskFaultsTest.cfg(proxy.url(),
          fs.mountPoint(), buffer), log, host);
      try {
        int k = 0;
        for (; k < 5; k++) {
          e.consume(WalDiskFaultsTest.step(metric, t0 + k * 1000L, k));
        }
        awaitSteps(prom, metric, 5);
        assertThat(health(healthPort).body()).doesNotContain("components");

        fs.triggerError();
        for (; k < 10; k++) {
          e.consume(WalDiskFaultsTest.step(metric, t0 + k * 1000L, k)); // never throws: kept in memory and sent
          Thread.sleep(50);
        }
        awaitSteps(prom, metric, 10);
        assertThat(e.walFailing()).isEqualTo("read_only");
        assertThat(e.notDurableSamples()).isEqualTo(5L * FaultsTest.SERIES);
        assertThat(log.count("cannot write to the WAL in " + walDir + " (read_only: ")).isEqualTo(1);
        HttpResponse<String> h = health(healthPort);
        assertThat(h.statusCode()).as("liveness stays 200").isEqualTo(200);
        JsonNode body = Support.json(h.body());
        assertThat(body.path("status").asText()).isEqualTo("Server available");
        JsonNode st = body.path("components").path("exporter:prometheusremotewrite/ro");
        assertThat(st.path("status").asText()).as(h.body()).isEqualTo("StatusRecoverableError");
        assertThat(st.path("healthy").asBoolean()).isTrue();
        String error = st.path("error").asText();
        assertThat(error).startsWith("cannot write to the WAL in " + walDir + " (read_only: Read-only file system)")
            .contains("sent from memory without durability");
        assertThat(error.replace(walDir.toString(), "")).as("no path but the WAL directory").doesNotContain("/");

        // The back end goes down as well: memory is bounded, the rest is refused and counted.
        proxy.down();
        int accepted = 10;
        int refused = 0;
        for (int i = 0; i < 20; i++, k++) {
          try {
            e.consume(WalDiskFaultsTest.step(metric, t0 + k * 1000L, k));
            assertThat(refused).as("once refusing, every later batch is refused while nothing drains").isZero();
            accepted++;
          } catch (ConsumerException ex) {
            assertThat(ex.permanent()).isFalse();
            refused++;
          }
          Thread.sleep(20);
        }
        assertThat(accepted - 10).isBetween(buffer, 2 * buffer + 1);
        assertThat(refused).isPositive();
        assertThat(e.walMemoryRecordsForTest()).isLessThanOrEqualTo(buffer);
        assertThat(e.droppedByReason()).containsExactly(Map.entry("read_only", (long) refused * FaultsTest.SERIES));
        assertThat(log.count("dropping batches: cannot write to the WAL")).isEqualTo(1);
        String refusing = Support.json(health(healthPort).body()).path("components").path("exporter:prometheusremotewrite/ro")
            .path("error").asText();
        assertThat(refusing).contains("read_only: Read-only file system").contains("new batches are dropped");
        assertThat(refusing.replace(walDir.toString(), "")).doesNotContain("/");

        // Repaired and mounted again at the same path, while the collector runs.
        fs.repairAndRemount();
        proxy.up();
        Thread.sleep(1_100); // the disk is tried again at most once a second
        long notDurableBefore = e.notDurableSamples();
        for (int i = 0; i < 3; i++, k++) {
          e.consume(WalDiskFaultsTest.step(metric, t0 + k * 1000L, k));
          accepted++;
        }
        assertThat(e.walFailing()).isNull();
        assertThat(e.notDurableSamples()).as("written to the WAL again").isEqualTo(notDurableBefore);
        try (Stream<Path> files = Files.list(walDir)) {
          assertThat(files.filter(p -> p.toString().endsWith(".seg")).anyMatch(p -> p.toFile().length() > 8))
              .as("a segment with records on the new mount").isTrue();
        }
        HttpResponse<String> ok = health(healthPort);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).as("back to the legacy body").doesNotContain("components").startsWith("{\"status\":\"Server available\"");
        awaitSteps(prom, metric, accepted);
        assertThat(log.count("takes writes again; ")).isEqualTo(1);
      } finally {
        e.shutdown(Duration.ofSeconds(10));
        health.shutdown(Duration.ofSeconds(2));
      }
      assertThat(e.droppedSamples()).isEqualTo(e.droppedByReason().getOrDefault("read_only", 0L));
      assertThat(log.lines).noneMatch(l -> l.contains("Exception") && l.startsWith("ERROR") && !l.contains("dropping batches"));
    }
  }

  /** Waits until every series of {@code metric} has exactly {@code steps} samples in Prometheus (none lost, none refused as out of order). */
  static void awaitSteps(PrometheusServer prom, String metric, int steps) throws InterruptedException {
    Support.await(steps + " steps of " + metric + " in Prometheus", 30_000, () -> {
      Map<String, Integer> m = new java.util.HashMap<>();
      for (var r : Support.json(prom.query("count_over_time(" + metric + "[1h])", null)).path("data").path("result")) {
        m.put(r.path("metric").path("series").asText(), r.path("value").get(1).asInt());
      }
      return m.size() == FaultsTest.SERIES && m.values().stream().allMatch(v -> v == steps);
    });
  }
}
