package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.testing.peers.PrometheusServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY case 11: the WAL directory stops taking writes. A real disk full is a small tmpfs
 * filled up, and a real read-only directory a read-only bind mount; both need root (the mounts are
 * made by the test and fail it, with the reason, where that is not possible). The receiver is a real
 * Prometheus, which refuses out-of-order samples: every step present means per-series order held
 * across the switch from the WAL to memory and back.
 */
class WalDiskFaultsTest {
  @TempDir static Path tmp;
  static PrometheusServer prom;
  final List<Path> mounts = new ArrayList<>();

  @BeforeAll
  static void startPeers() {
    prom = PrometheusServer.start(tmp.resolve("prom"));
  }

  @AfterAll
  static void stopPeers() {
    if (prom != null) {
      prom.close();
    }
  }

  @AfterEach
  void unmount() throws Exception {
    for (Path m : mounts) {
      if (run("umount", m.toString()) != 0) {
        run("umount", "-l", m.toString());
      }
    }
  }

  private static int run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish");
    }
    if (p.exitValue() != 0) {
      System.err.println(String.join(" ", cmd) + ": " + out.trim());
    }
    return p.exitValue();
  }

  /** Runs a mount command; fails the test (never skips) when this environment cannot mount. */
  private void mount(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("mount"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as("RELIABILITY case 11 mounts a small tmpfs / read-only bind mount to get real ENOSPC and EROFS;"
        + " this needs root with CAP_SYS_ADMIN (run the tests as root, e.g. in the build container): `"
        + String.join(" ", cmd) + "` said: " + out.trim()).isZero();
    if (!mounts.contains(dir)) {
      mounts.add(0, dir);
    }
  }

  private Path tmpfs(String name, String size) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    mount(dir, "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    return dir;
  }

  /** Writes a file until the file system is full (the real ENOSPC); returns it. */
  static Path fill(Path fs) throws IOException {
    Path filler = fs.resolve("filler");
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
    }
    return filler;
  }

  static Map<String, Object> cfg(String url, Path walDir, int bufferSize) {
    Map<String, Object> c = new HashMap<>(FaultsTest.cfg(url, 2));
    c.put("wal", Map.of("directory", walDir.toString(), "truncate_frequency", "100ms", "buffer_size", bufferSize,
        "max_disk_usage", "1MiB"));
    return c;
  }

  static final String PAD = "p".repeat(256);

  /**
   * One sample per series at time t, with a long label: a batch spans more than a page (4 KiB), so
   * no append after the file system is full fits into the unused tail of a page already allocated.
   */
  static dev.otelcoljava.runtime.api.data.MetricsBatch step(String name, long tMillis, double v) {
    var b = new dev.otelcoljava.runtime.api.data.MetricsBatch();
    var s = Support.resource(b, "faults", "i").addScope("", "");
    for (int i = 0; i < FaultsTest.SERIES; i++) {
      Support.gauge(s, name, "", dev.otelcoljava.runtime.api.data.Attributes.of("series", "s" + i, "pad", PAD),
          tMillis * 1_000_000L, v);
    }
    return b;
  }

  /** count_over_time per series over the last hour. */
  static Map<String, Integer> counts(String name) {
    Map<String, Integer> out = new HashMap<>();
    for (var r : Support.json(prom.query("count_over_time(" + name + "[1h])", null)).path("data").path("result")) {
      out.put(r.path("metric").path("series").asText(), r.path("value").get(1).asInt());
    }
    return out;
  }

  static void awaitSteps(String metric, int steps) throws InterruptedException {
    Support.await(steps + " steps of " + metric + " in Prometheus", 30_000, () -> {
      Map<String, Integer> m = counts(metric);
      return m.size() == FaultsTest.SERIES && m.values().stream().allMatch(v -> v == steps);
    });
  }

  /**
   * Disk full with the back end up: every batch still reaches Prometheus (in order), the batches
   * that could not be made durable are counted with reason disk_full, the failure and the recovery
   * are logged once each, and once space returns the WAL takes writes again.
   */
  @Test
  void diskFull_batchesKeepFlowingFromMemory_countedLoggedOnce_walResumesWhenSpaceReturns() throws Exception {
    Path fs = tmpfs("full", "512k");
    String metric = "diskfull_gauge";
    Support.CapturingLogger log = new Support.CapturingLogger();
    long t0 = System.currentTimeMillis() - 120_000;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/diskfull", cfg(proxy.url(), fs, 50), log,
          Support.NO_EXTENSIONS);
      int k = 0;
      for (; k < 5; k++) {
        e.consume(step(metric, t0 + k * 1000L, k));
      }
      awaitSteps(metric, 5);
      assertThat(e.notDurableSamples()).isZero();

      Path filler = fill(fs);
      for (; k < 15; k++) {
        e.consume(step(metric, t0 + k * 1000L, k)); // never throws: kept in memory and sent
        Thread.sleep(50);
      }
      awaitSteps(metric, 15);
      assertThat(e.walFailing()).isEqualTo("disk_full");
      assertThat(e.notDurableSamples()).isEqualTo(10L * FaultsTest.SERIES);
      assertThat(log.count("cannot write to the WAL in ")).isEqualTo(1);
      assertThat(log.lines).filteredOn(l -> l.contains("cannot write to the WAL in "))
          .allMatch(l -> l.contains("disk_full: No space left on device"));

      Files.delete(filler);
      Thread.sleep(1_100); // the disk is tried again at most once a second
      for (; k < 20; k++) {
        e.consume(step(metric, t0 + k * 1000L, k));
      }
      assertThat(e.walFailing()).isNull();
      assertThat(e.notDurableSamples()).as("written to the WAL again").isEqualTo(10L * FaultsTest.SERIES);
      awaitSteps(metric, 20);
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isZero();
    }
    assertThat(log.count("takes writes again; " + 10 * FaultsTest.SERIES + " samples were accepted meanwhile without durability"))
        .isEqualTo(1);
    assertThat(log.lines).noneMatch(l -> l.startsWith("ERROR"));
  }

  /**
   * Disk full while the back end is down too: memory use is bounded (buffer_size batches kept,
   * later ones refused), each refused sample is counted with reason disk_full, the refusal is
   * logged once; when both come back, everything accepted is delivered in order and new batches
   * are written to the WAL.
   */
  @Test
  void diskFullAndBackEndDown_memoryBounded_refusedCountedLoggedOnce_acceptedDeliveredAfterRecovery() throws Exception {
    Path fs = tmpfs("fulldown", "512k");
    String metric = "diskfull_down_gauge";
    Support.CapturingLogger log = new Support.CapturingLogger();
    long t0 = System.currentTimeMillis() - 120_000;
    int buffer = 4;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/fulldown", cfg(proxy.url(), fs, buffer), log,
          Support.NO_EXTENSIONS);
      proxy.down();
      Path filler = fill(fs);
      int accepted = 0;
      int refused = 0;
      for (int k = 0; k < 20; k++) {
        try {
          e.consume(step(metric, t0 + k * 1000L, k));
          assertThat(refused).as("once refusing, every later batch is refused while nothing drains").isZero();
          accepted++;
        } catch (ConsumerException ex) {
          assertThat(ex.permanent()).isFalse();
          refused++;
        }
        Thread.sleep(20);
      }
      // buffer_size batches in memory, at most buffer_size more read ahead by the senders
      assertThat(accepted).isBetween(buffer, 2 * buffer);
      assertThat(e.walMemoryRecordsForTest()).isLessThanOrEqualTo(buffer);
      assertThat(e.droppedByReason()).containsExactly(Map.entry("disk_full", (long) refused * FaultsTest.SERIES));
      assertThat(log.count("dropping batches: cannot write to the WAL")).isEqualTo(1);
      assertThat(log.count("cannot write to the WAL in ")).isEqualTo(2); // the switch to memory, then the one refusal line

      proxy.up();
      Files.delete(filler);
      awaitSteps(metric, accepted);
      Thread.sleep(1_100);
      for (int k = 20; k < 23; k++) {
        e.consume(step(metric, t0 + k * 1000L, k));
      }
      assertThat(e.walFailing()).isNull();
      awaitSteps(metric, accepted + 3);
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isEqualTo((long) refused * FaultsTest.SERIES);
    }
  }

  /**
   * Stopped while the disk is full and the back end down: the batches kept only in memory are
   * counted lost (reason shutdown) and logged once; the batches on disk stay there and are sent
   * after the next start, and nothing else is.
   */
  @Test
  void diskFullAndBackEndDown_shutdownCountsMemoryOnlyBatchesLost_restartSendsWhatWasOnDisk() throws Exception {
    Path fs = tmpfs("fullstop", "512k");
    String metric = "diskfull_stop_gauge";
    Support.CapturingLogger log = new Support.CapturingLogger();
    long t0 = System.currentTimeMillis() - 120_000;
    try (FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> FaultProxy.FORWARD)) {
      Map<String, Object> c = cfg(proxy.url(), fs, 10);
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/fullstop", c, log, Support.NO_EXTENSIONS);
      proxy.down();
      for (int k = 0; k < 2; k++) {
        e.consume(step(metric, t0 + k * 1000L, k)); // on disk
      }
      Path filler = fill(fs);
      for (int k = 2; k < 5; k++) {
        e.consume(step(metric, t0 + k * 1000L, k)); // in memory only
      }
      assertThat(e.notDurableSamples()).isEqualTo(3L * FaultsTest.SERIES);
      e.shutdown(Duration.ofSeconds(2));
      assertThat(e.droppedByReason()).containsExactly(Map.entry("shutdown", 3L * FaultsTest.SERIES));
      assertThat(log.count("shut down with " + 3 * FaultsTest.SERIES + " samples unsent that were accepted while the WAL"
          + " directory took no writes (kept in memory only); they are lost")).isEqualTo(1);

      Files.delete(filler);
      proxy.up();
      PrometheusRemoteWriteExporter again = Support.start("prometheusremotewrite/fullstop", c, log, Support.NO_EXTENSIONS);
      awaitSteps(metric, 2);
      Thread.sleep(500);
      assertThat(counts(metric).values()).containsOnly(2);
      again.shutdown(Duration.ofSeconds(10));
      assertThat(again.droppedSamples()).isZero();
    }
  }

  /**
   * Start-up with a WAL directory that cannot be created or written: on a read-only mount, on a
   * full file system, and where a file is in the way. The error names the config path, the problem
   * and the fix.
   */
  @Test
  void walDirectoryNotCreatableOrFull_startFailsNamingPathProblemAndFix() throws Exception {
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    mount(ro, "--bind", ro.toString(), ro.toString());
    mount(ro, "-o", "remount,bind,ro", ro.toString());
    assertThatThrownBy(() -> Support.start("prometheusremotewrite/ro", cfg("http://127.0.0.1:9/api/v1/write", ro, 10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("exporters::prometheusremotewrite/ro::wal::directory: cannot create or write the WAL in "
            + ro.resolve("prometheusremotewrite_ro"))
        .hasMessageContaining("read_only: ")
        .hasMessageContaining("Read-only file system")
        .hasMessageContaining("make \"" + ro + "\" a writable directory with free space");

    Path full = tmpfs("fullatstart", "64k");
    fill(full);
    assertThatThrownBy(() -> Support.start("prometheusremotewrite/fullatstart", cfg("http://127.0.0.1:9/api/v1/write", full, 10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("exporters::prometheusremotewrite/fullatstart::wal::directory: cannot create or write the WAL in ")
        .hasMessageContaining("disk_full: No space left on device")
        .hasMessageContaining("a writable directory with free space");

    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> Support.start("prometheusremotewrite/file", cfg("http://127.0.0.1:9/api/v1/write", file, 10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("exporters::prometheusremotewrite/file::wal::directory: cannot create or write the WAL in ")
        .hasMessageContaining("make \"" + file + "\" a writable directory");
  }
}
