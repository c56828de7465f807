package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SelfMetrics;
import dev.otelcoljava.testing.peers.PrometheusServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md case 12 (memory pressure) end to end: bin/otelcol-java in a (simulated, cgroup v2)
 * 256 MiB container, where the launcher gives the JVM a 192 MiB Serial GC heap, with {@code
 * memory_limiter} (limit 56 MiB, spike 16 MiB: soft limit 40 MiB of heap in use; ~24 MiB is live
 * at this load) before {@code batch}, scraping a target of {@value #SERIES} series every second
 * into prometheusremotewrite with the in-memory queue (one consumer, 500 kB requests) to a real
 * Prometheus 2.42 behind a forwarder that holds every request for {@value #SLOW_MILLIS} ms. The
 * queue fills (it is bounded at 1/8 of the heap and drops as {@code queue_full} beyond) and what
 * stays live rises above the soft limit: the limiter refuses whole scrapes (a refused scrape is
 * lost, {@code up} included, as in otelcol-contrib, whose scrape commit fails), counted alike by
 * the limiter, the pipeline's receiver counter and the prometheus receiver's own; there is no
 * OutOfMemoryError and the process stays up. Then the back end becomes fast: the queue drains, the
 * limiter resumes, refusals stop, and every series of new scrapes (and a series the target adds
 * only after the pressure) is stored with recent values.
 *
 * <p>Figures are printed as lines starting with {@code [memory-pressure]}.
 */
class MemoryPressureIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TAG = "[memory-pressure] ";
  private static final int SERIES = 20_000;
  private static final long SLOW_MILLIS = 2_000;
  private static final long CONTAINER_MIB = 256;
  private static final long HEAP_MIB = CONTAINER_MIB - 64; // the launcher's rule for small containers
  private static final String LIMITER = "memory_limiter";

  /**
   * A target of {@link #SERIES} series {@code hc_series{shard, series}}, each with the value n *
   * 100000 + i at the n-th scrape (so a stored value names its scrape and series); once {@link
   * #fresh} is set it also serves {@code hc_fresh} = n, a series that did not exist during the
   * pressure.
   */
  static final class HighCardinalityTarget implements AutoCloseable {
    final HttpServer server;
    final AtomicLong seq = new AtomicLong();
    volatile boolean fresh;

    HighCardinalityTarget() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/metrics", ex -> {
        byte[] b;
        synchronized (this) {
          long n = seq.incrementAndGet();
          StringBuilder sb = new StringBuilder(SERIES * 64).append("# TYPE hc_series gauge\n");
          for (int i = 0; i < SERIES; i++) {
            sb.append("hc_series{shard=\"s").append(i % 64).append("\",series=\"").append(i).append("\"} ")
                .append(n * 100_000 + i).append('\n');
          }
          if (fresh) {
            sb.append("# TYPE hc_fresh gauge\nhc_fresh ").append(n).append('\n');
          }
          b = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
      });
      server.start();
    }

    String address() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static String config(String target, String endpoint, int telemetryPort) {
    return """
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: hc
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  static_configs:
                    - targets: ["%s"]
        processors:
          memory_limiter:
            check_interval: 1s
            limit_mib: 56
            spike_limit_mib: 16
          batch:
        exporters:
          prometheusremotewrite:
            endpoint: %s
            max_batch_size_bytes: 500000
            remote_write_queue:
              num_consumers: 1
        service:
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
              processors: [memory_limiter, batch]
              exporters: [prometheusremotewrite]
        """.formatted(target, endpoint, telemetryPort);
  }

  /** The counters this test follows, at one moment. */
  record Counters(long atMillis, double limiterRefused, double limiterAccepted, double receiverRefused,
      double promReceiverRefused, double exporterDropped, double enqueueFailed, double queueSize, double heapBytes) {
    @Override
    public String toString() {
      return "t=%.1fs limiter refused=%.0f accepted=%.0f receiver refused=%.0f prometheus-receiver refused=%.0f"
          .formatted(atMillis / 1000.0, limiterRefused, limiterAccepted, receiverRefused, promReceiverRefused)
          + " exporter dropped=%.0f enqueue_failed=%.0f queue=%.0f heap=%dMiB".formatted(exporterDropped, enqueueFailed,
          queueSize, (long) heapBytes >> 20);
    }
  }

  /** A counter summed over its matching series, with or without the {@code _total} suffix. */
  static double counter(SelfMetrics m, String name, String... labels) {
    return m.sum(name, labels) + m.sum(name + "_total", labels);
  }

  static Counters counters(long t0, int port) throws Exception {
    SelfMetrics m = SelfMetrics.scrape(port);
    return new Counters(System.currentTimeMillis() - t0,
        counter(m, "otelcol_processor_memory_limiter_refused_metric_points", "processor", LIMITER),
        counter(m, "otelcol_processor_memory_limiter_accepted_metric_points", "processor", LIMITER),
        counter(m, "otelcol_receiver_refused_metric_points", "receiver", "prometheus"),
        counter(m, "otelcol_receiver_prometheus_refused_metric_points"),
        counter(m, "otelcol_exporter_prometheusremotewrite_dropped_samples"),
        counter(m, "otelcol_exporter_enqueue_failed_metric_points"),
        m.sum("otelcol_exporter_queue_size"),
        m.sum("otelcol_process_runtime_heap_alloc_bytes"));
  }

  static double scalar(PrometheusServer prom, String q) {
    try {
      JsonNode root = JSON.readTree(prom.query(q, null));
      assertThat(root.path("status").asText()).as(q).isEqualTo("success");
      JsonNode r = root.path("data").path("result");
      return r.size() == 0 ? Double.NaN : Double.parseDouble(r.get(0).path("value").get(1).asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Samples the counters every second while {@code until} is false, failing if the collector dies or the time runs out. */
  static Counters observeUntil(String what, long t0, ExternalProcess p, int port, Duration timeout, List<Counters> out,
      java.util.function.Predicate<Counters> until) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      assertThat(p.process().isAlive()).as("collector exited; log:\n" + p.tail()).isTrue();
      Counters c;
      try {
        c = counters(t0, port);
      } catch (IOException e) {
        Thread.sleep(500);
        throw new AssertionError("telemetry scrape failed (" + e + "); collector alive " + p.process().isAlive()
            + ", log:\n" + p.tail(), e);
      }
      out.add(c);
      System.out.println(TAG + c);
      if (until.test(c)) {
        return c;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; counters " + out + "\ncollector log:\n" + p.tail());
      }
      Thread.sleep(1_000);
    }
  }

  @Test
  void smallHeapSlowBackEnd_limiterRefusesAndCounts_noOom_fullRecoveryWhenFastAgain(@TempDir Path dir) throws Exception {
    long t0 = System.currentTimeMillis();
    // A container memory limit as the launcher reads it (cgroup v2 memory.max): it sizes the heap.
    Path cg = Files.createDirectories(dir.resolve("cgroup"));
    Files.writeString(cg.resolve("memory.max"), Long.toString(CONTAINER_MIB << 20) + "\n");
    List<Counters> seen = new ArrayList<>();
    try (PrometheusServer prom = PrometheusServer.start(dir.resolve("prom"));
        HighCardinalityTarget target = new HighCardinalityTarget();
        RemoteWriteProcessIT.Forwarder fwd = new RemoteWriteProcessIT.Forwarder(prom.baseUrl())) {
      fwd.delayMillis = SLOW_MILLIS;
      int port = FreePorts.find();
      Path cfg = dir.resolve("config.yaml");
      Files.writeString(cfg, config(target.address(), fwd.url(), port));
      ExternalProcess p = ExternalProcess.start("collector", List.of(AppDir.launcher().toString(), "--config=" + cfg), dir,
          Map.of("OTELCOL_JAVA_CGROUP_ROOT", cg.toString(), "JAVA_OPTS", "", "OTELCOL_JAVA_OPTS", ""));
      try {
        // The launcher execs the JVM: its command line shows the heap it was given.
        RemoteWriteProcessIT.await("the collector's telemetry", Duration.ofSeconds(60), p, () -> {
          try {
            return !SelfMetrics.scrape(port).find("otelcol_processor_memory_limiter_accepted_metric_points_total").isEmpty()
                || !SelfMetrics.scrape(port).find("otelcol_processor_memory_limiter_accepted_metric_points").isEmpty();
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
        String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
        assertThat(cmdline).as("the JVM's flags").contains(" -Xmx" + HEAP_MIB + "m ").contains(" -XX:+UseSerialGC ")
            .contains(" -XX:+ExitOnOutOfMemoryError ");
        System.out.println(TAG + "collector started " + (System.currentTimeMillis() - t0) + " ms after t0 with -Xmx" + HEAP_MIB
            + "m; back end held " + SLOW_MILLIS + " ms per request");

        // Pressure: the queue fills (a scrape is ~2 MB encoded; one 500 kB request leaves every 2 s) and what stays live
        // rises above the soft limit: the limiter refuses, on and off while the back end stays slow.
        Counters firstRefusal = observeUntil("the memory limiter to refuse", t0, p, port, Duration.ofSeconds(60), seen,
            c -> c.limiterRefused() > 0);
        long pressureUntil = System.currentTimeMillis() + 12_000;
        Counters underPressure = observeUntil("the end of the pressure phase", t0, p, port, Duration.ofSeconds(30), seen,
            c -> System.currentTimeMillis() >= pressureUntil);
        assertThat(underPressure.limiterRefused()).as("refusals go on while the back end is slow: " + seen)
            .isGreaterThan(firstRefusal.limiterRefused());
        String log = p.logText();
        assertThat(log).contains("Memory usage is above soft limit. Refusing data.")
            .contains("the next consumer refused the scrape of").contains("data refused due to high memory usage");

        // The back end becomes fast: the backlog drains and the limiter resumes.
        fwd.delayMillis = 0;
        long fastAt = System.currentTimeMillis();
        System.out.println(TAG + "back end fast at t=" + (fastAt - t0) / 1000.0 + "s");
        // Recovered: the queue drained and no refusal for 5 s (five limiter checks, five scrapes).
        long[] lastChange = {System.currentTimeMillis()};
        double[] lastRefused = {-1};
        Counters drained = observeUntil("the queue to drain and refusals to stop", t0, p, port, Duration.ofSeconds(45), seen, c -> {
          if (c.limiterRefused() != lastRefused[0]) {
            lastRefused[0] = c.limiterRefused();
            lastChange[0] = System.currentTimeMillis();
          }
          return c.queueSize() < 10 && System.currentTimeMillis() - lastChange[0] >= 5_000;
        });
        assertThat(p.logText()).contains("Memory usage back within limits. Resuming normal operation.");
        long freshFrom = target.seq.get(); // hc_fresh is served from this scrape (if in flight) or later
        target.fresh = true;
        // ... and none for 10 s more, while hc_fresh is served.
        long quietUntil = System.currentTimeMillis() + 10_000;
        Counters quiet = observeUntil("10 s without refusals", t0, p, port, Duration.ofSeconds(20), seen,
            c -> System.currentTimeMillis() >= quietUntil);
        assertThat(quiet.limiterRefused()).as("refusals stopped after recovery: " + seen).isEqualTo(drained.limiterRefused());
        long seqAfter = target.seq.get();

        // New scrapes arrive in full: every series with a value from a scrape after the recovery, and
        // the series that appeared only after the pressure, with a recent value; up=1.
        RemoteWriteProcessIT.await("all " + SERIES + " series of scrape " + seqAfter + " or later stored", Duration.ofSeconds(20), p,
            () -> scalar(prom, "count(hc_series >= " + seqAfter * 100_000 + ")") == SERIES
                && scalar(prom, "hc_fresh") >= seqAfter);
        assertThat(scalar(prom, "count_over_time(hc_fresh[1h])")).as("hc_fresh samples since scrape " + freshFrom)
            .isGreaterThanOrEqualTo(5);
        assertThat(scalar(prom, "min_over_time(hc_fresh[1h])")).as("hc_fresh's first stored value").isGreaterThanOrEqualTo(freshFrom);
        assertThat(scalar(prom, "up{job=\"hc\"}")).isEqualTo(1.0);
        assertThat(scalar(prom, "count(count by (series) (hc_series))")).isEqualTo(SERIES);

        Counters end = counters(t0, port);
        seen.add(end);
        System.out.println(TAG + end);
        // Every refused point came from the one receiver: the three counters agree exactly.
        assertThat(end.receiverRefused()).as("otelcol_receiver_refused_metric_points: " + end).isEqualTo(end.limiterRefused());
        assertThat(end.promReceiverRefused()).as("otelcol_receiver_prometheus_refused_metric_points: " + end)
            .isEqualTo(end.limiterRefused());
        // The in-memory queue is bounded too (queue_full drops while the back end was slow are expected);
        // once recovered, nothing more is dropped or refused there.
        assertThat(end.exporterDropped()).as("exporter drops after recovery: " + end).isEqualTo(drained.exporterDropped());
        assertThat(end.enqueueFailed()).as("enqueue failures after recovery: " + end).isEqualTo(drained.enqueueFailed());
        double queuePeak = seen.stream().mapToDouble(Counters::queueSize).max().orElseThrow();
        double heapPeak = seen.stream().mapToDouble(Counters::heapBytes).max().orElseThrow();
        System.out.printf(TAG + "first refusal at t=%.1fs; refused %.0f points (%.1f scrapes of %d), accepted %.0f;"
                + " queue peak %.0f records; heap in use peak %d MiB of %d; recovered (queue drained, 5 s without refusals) %.1f s after the back end was fast;"
                + " requests %d%n", firstRefusal.atMillis() / 1000.0, end.limiterRefused(), end.limiterRefused() / (SERIES + 5),
            SERIES + 5, end.limiterAccepted(), queuePeak, (long) heapPeak >> 20, HEAP_MIB,
            (drained.atMillis() - (fastAt - t0)) / 1000.0, fwd.requests.get());

        p.terminate();
        assertThat(p.waitFor(Duration.ofSeconds(30))).as("exit code after SIGTERM; log:\n" + p.tail()).isZero();
        String finalLog = p.logText();
        finalLog.lines().filter(l -> l.contains("memory_limiter")).forEach(l -> System.out.println(TAG + l));
        assertThat(finalLog).as("collector log").doesNotContain("OutOfMemoryError").doesNotContain("Terminating due to");
      } finally {
        p.close();
      }
    }
  }
}
