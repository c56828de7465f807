package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SelfMetrics;
import dev.otelcoljava.testing.peers.PrometheusServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md case 6 (and 8) end to end: bin/otelcol-java scrapes a steady load of 2,000
 * series every 2 s into prometheusremotewrite with the WAL on, remote-writing to a real Prometheus
 * 2.42 through a forwarder that goes down for {@code otelcol.it.outageSeconds} (default 180). Half
 * way through the outage the collector is SIGKILLed and started again; then the receiver comes
 * back. Every sample of every series scraped is then in Prometheus (which refuses out-of-order
 * samples, so what is stored arrived in order), except a scrape in flight at the kill; the
 * self-metrics show the WAL growing, the oldest unsent age climbing across the restart and nothing
 * dropped; the collector's RSS stays flat while the backlog grows on disk.
 *
 * <p>The figures (samples expected and delivered, WAL peak, age peak, RSS, drain time) are printed
 * as lines starting with {@code [long-outage]}. For the full 30-minute case of RELIABILITY.md run
 * it with {@code -Dotelcol.it.outageSeconds=1800}.
 */
class RemoteWriteLongOutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAG = "[long-outage] ";
  private static final int SERIES = 2_000;
  private static final int GROUP = 100; // series per `group` label value: the check queries one group at a time
  private static final long SCRAPE_MILLIS = 2_000;
  private static final String PRW = "exporter";

  /**
   * A target serving {@code load_seq{series="i"}} for i in [0, SERIES): every scrape gets the next
   * sequence number n and each series the value n * 10000 + i, so a stored value names both its
   * scrape and its series. Remembers when each n was served.
   */
  static final class LoadTarget implements AutoCloseable {
    final HttpServer server;
    final AtomicLong seq = new AtomicLong();
    final ConcurrentSkipListMap<Long, Long> servedAt = new ConcurrentSkipListMap<>();

    LoadTarget() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/metrics", ex -> {
        byte[] b;
        synchronized (this) { // one scrape at a time gets one number
          long n = seq.incrementAndGet();
          servedAt.put(n, System.currentTimeMillis());
          StringBuilder sb = new StringBuilder(SERIES * 48).append("# TYPE load_seq gauge\n");
          for (int i = 0; i < SERIES; i++) {
            sb.append("load_seq{group=\"g").append(i / GROUP).append("\",series=\"").append(i).append("\"} ")
                .append(n * 10_000 + i).append('\n');
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

  static String config(String load, String ticker, String endpoint, Path wal, int telemetryPort) {
    return """
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: load
                  scrape_interval: 2s
                  scrape_timeout: 1s
                  static_configs:
                    - targets: ["%s"]
                - job_name: ticker
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  static_configs:
                    - targets: ["%s"]
        exporters:
          prometheusremotewrite:
            endpoint: %s
            retry_on_failure:
              initial_interval: 100ms
              max_interval: 2s
            wal:
              directory: %s
              truncate_frequency: 5s
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
              exporters: [prometheusremotewrite]
        """.formatted(load, ticker, endpoint, wal, telemetryPort);
  }

  /** What the collector said about its WAL at one moment, and its RSS. */
  record Sample(long atMillis, String collector, long walBytes, double oldestAgeSeconds, double dropped, double written, long rssKib, long heapBytes) {
    @Override
    public String toString() {
      return "%s t=%ds wal=%.1fMiB age=%.0fs dropped=%.0f written=%.0f rss=%dMiB heap=%dMiB".formatted(collector, atMillis / 1000,
          walBytes / 1048576.0, oldestAgeSeconds, dropped, written, rssKib / 1024, heapBytes >> 20);
    }
  }

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
      throw new AssertionError("no VmRSS in /proc/" + pid + "/status");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Sample sample(long t0, String name, ExternalProcess p, int telemetryPort) throws Exception {
    SelfMetrics m = SelfMetrics.scrape(telemetryPort);
    return new Sample(System.currentTimeMillis() - t0, name,
        (long) m.value("otelcol_exporter_prometheusremotewrite_wal_size_bytes", PRW, "prometheusremotewrite"),
        m.value("otelcol_exporter_prometheusremotewrite_wal_oldest_unsent_age_seconds", PRW, "prometheusremotewrite"),
        counter(m, "otelcol_exporter_prometheusremotewrite_dropped_samples"),
        counter(m, "otelcol_exporter_prometheusremotewrite_written_samples"), rssKib(p.pid()),
        (long) m.sum("otelcol_process_runtime_heap_alloc_bytes"));
  }

  /** A counter summed over its series, with or without the {@code _total} suffix (0 before the first increment). */
  static double counter(SelfMetrics m, String name) {
    return m.sum(name) + m.sum(name + "_total");
  }

  /** Samples every 5 s until {@code untilMillis}, failing early if the collector dies. */
  static void observe(long t0, String name, ExternalProcess p, int port, long untilMillis, List<Sample> out) throws Exception {
    while (true) {
      assertThat(p.process().isAlive()).as(name + " exited; log:\n" + p.tail()).isTrue();
      Sample s = sample(t0, name, p, port);
      out.add(s);
      System.out.println(TAG + s);
      long left = untilMillis - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      Thread.sleep(Math.min(5_000, left));
    }
  }

  static JsonNode result(PrometheusServer prom, String q) throws IOException {
    JsonNode root = JSON.readTree(prom.query(q, null));
    assertThat(root.path("status").asText()).as(q).isEqualTo("success");
    return root.path("data").path("result");
  }

  static double scalar(PrometheusServer prom, String q) throws IOException {
    JsonNode r = result(prom, q);
    return r.size() == 0 ? 0 : Double.parseDouble(r.get(0).path("value").get(1).asText());
  }

  @Test
  void steadyLoad_longOutageWithSigkillHalfWay_everySampleDeliveredInOrder_walOnDiskNotInMemory(@TempDir Path dir)
      throws Exception {
    long outageMillis = Long.getLong("otelcol.it.outageSeconds", 180) * 1000;
    System.out.println(TAG + "app " + AppDir.home() + ", outage " + outageMillis / 1000 + " s, " + SERIES + " series every "
        + SCRAPE_MILLIS / 1000 + " s");
    long t0 = System.currentTimeMillis();
    Path wal = dir.resolve("wal");
    List<Sample> samples = new ArrayList<>();
    try (PrometheusServer prom = PrometheusServer.start(dir.resolve("prom"));
        LoadTarget load = new LoadTarget();
        RemoteWriteProcessIT.Ticker ticker = new RemoteWriteProcessIT.Ticker();
        RemoteWriteProcessIT.Forwarder fwd = new RemoteWriteProcessIT.Forwarder(prom.baseUrl())) {
      int port1 = FreePorts.find();
      int port2 = FreePorts.find();
      Path cfg1 = dir.resolve("config-1.yaml");
      Path cfg2 = dir.resolve("config-2.yaml");
      Files.writeString(cfg1, config(load.address(), ticker.address(), fwd.url(), wal, port1));
      Files.writeString(cfg2, config(load.address(), ticker.address(), fwd.url(), wal, port2));

      long outageStart;
      long killedAt;
      long seqAtKill;
      long seqAtOutage;
      long steadyAt;
      long rssBeforeOutage;
      ExternalProcess first = RemoteWriteProcessIT.collector(dir, "collector-1", cfg1, Map.of());
      try {
        RemoteWriteProcessIT.await("all series stored", Duration.ofSeconds(90), first,
            () -> {
              try {
                return scalar(prom, "count(load_seq)") == SERIES && scalar(prom, "count_over_time(ticks_total[1h])") >= 5;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
        steadyAt = System.currentTimeMillis();
        // Steady state for a few scrapes before the outage: the RSS baseline.
        observe(t0, "collector-1", first, port1, System.currentTimeMillis() + 10_000, samples);
        rssBeforeOutage = samples.get(samples.size() - 1).rssKib();

        fwd.down();
        outageStart = System.currentTimeMillis();
        seqAtOutage = load.seq.get();
        System.out.println(TAG + "receiver down at t=" + (outageStart - t0) / 1000 + "s");
        observe(t0, "collector-1", first, port1, outageStart + outageMillis / 2, samples);
        seqAtKill = load.seq.get();
        killedAt = System.currentTimeMillis();
        first.kill();
        assertThat(first.process().isAlive()).isFalse();
        System.out.println(TAG + "SIGKILL at t=" + (killedAt - t0) / 1000 + "s, load scrape " + seqAtKill);
      } finally {
        first.close();
      }
      Sample lastOfFirst = samples.get(samples.size() - 1);
      assertThat(lastOfFirst.walBytes()).as("the backlog is on disk: " + samples).isGreaterThan(samples.get(0).walBytes() + 1_000_000);
      assertThat(lastOfFirst.oldestAgeSeconds()).as("oldest unsent age climbs with the outage: " + lastOfFirst)
          .isGreaterThanOrEqualTo((killedAt - outageStart) / 1000.0 - 15);
      try (var files = Files.walk(wal)) {
        assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).as("WAL segments left by the killed process").isPositive();
      }

      ExternalProcess second = RemoteWriteProcessIT.collector(dir, "collector-2", cfg2, Map.of());
      try {
        // The telemetry endpoint answers before the exporter has opened the WAL and registered its gauges.
        RemoteWriteProcessIT.await("the WAL gauges of collector-2", Duration.ofSeconds(60), second, () -> {
          try {
            return !SelfMetrics.scrape(port2).find("otelcol_exporter_prometheusremotewrite_wal_size_bytes").isEmpty();
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
        int firstOfSecond = samples.size();
        observe(t0, "collector-2", second, port2, outageStart + outageMillis, samples);
        Sample endOfOutage = samples.get(samples.size() - 1);
        // The restarted collector replayed the killed one's backlog: its oldest record is as old as the outage.
        assertThat(endOfOutage.oldestAgeSeconds()).as("the pre-kill backlog is still unsent after the restart: " + endOfOutage)
            .isGreaterThanOrEqualTo(outageMillis / 1000.0 - 20);
        assertThat(endOfOutage.walBytes()).as("the WAL kept growing after the restart").isGreaterThan(lastOfFirst.walBytes());

        fwd.up();
        long upAt = System.currentTimeMillis();
        System.out.println(TAG + "receiver back at t=" + (upAt - t0) / 1000 + "s");
        long lastExpected = load.seq.get();
        long ticksExpected = ticker.ticks.get();
        RemoteWriteProcessIT.await("every series up to scrape " + lastExpected, Duration.ofSeconds(120 + outageMillis / 10_000), second,
            () -> {
              try {
                return scalar(prom, "count(load_seq >= " + lastExpected * 10_000 + ")") == SERIES
                    && scalar(prom, "max(ticks_total)") >= ticksExpected;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
        long drainedAt = System.currentTimeMillis();
        System.out.println(TAG + "backlog delivered " + (drainedAt - upAt) / 1000.0 + " s after the receiver came back");
        Thread.sleep(8_000); // a truncation pass
        Sample after = sample(t0, "collector-2", second, port2);
        samples.add(after);
        System.out.println(TAG + after);
        assertThat(after.oldestAgeSeconds()).as("nothing old left unsent: " + after).isLessThan(15);
        assertThat(after.dropped()).as("nothing dropped: " + after).isZero();
        // collector-2 sent the whole backlog: every load scrape from the start of the outage on (less one in flight at the kill).
        assertThat(after.written()).as("samples collector-2 delivered: " + after)
            .isGreaterThanOrEqualTo((double) (lastExpected - seqAtOutage - 1) * SERIES);
        assertThat(samples).as("nothing dropped at any time").allSatisfy(s -> assertThat(s.dropped()).isZero());
        long walPeak = samples.stream().mapToLong(Sample::walBytes).max().orElseThrow();
        // Delivered segments are deleted; what stays is the segment being written (at most 64 MiB with the
        // default max_disk_usage of 1 GiB), while the killed collector's segment is gone.
        assertThat(after.walBytes()).as("the WAL is truncated once delivered (peak " + walPeak + ")")
            .isLessThanOrEqualTo(Math.min(walPeak - lastOfFirst.walBytes() + (16 << 20), 65L << 20));

        // Zero loss, in order: read every series back, one group of GROUP series at a time.
        long window = (System.currentTimeMillis() - t0) / 1000 + 120;
        long killMillis = load.servedAt.getOrDefault(seqAtKill, killedAt);
        TreeSet<Long> missingScrapes = new TreeSet<>();
        long delivered = 0;
        for (int g = 0; g < SERIES / GROUP; g++) {
          JsonNode r = result(prom, "load_seq{group=\"g" + g + "\"}[" + window + "s]");
          assertThat(r.size()).as("series in group " + g).isEqualTo(GROUP);
          for (JsonNode series : r) {
            int i = Integer.parseInt(series.path("metric").path("series").asText());
            long prev = 0;
            TreeSet<Long> seen = new TreeSet<>();
            for (JsonNode v : series.path("values")) {
              long value = (long) Double.parseDouble(v.get(1).asText());
              assertThat(value % 10_000).as("value " + value + " belongs to series " + i).isEqualTo(i);
              long n = value / 10_000;
              // Prometheus refused anything out of order; what it holds must be strictly increasing.
              assertThat(n).as("series " + i + " in order").isGreaterThan(prev);
              prev = n;
              seen.add(n);
            }
            delivered += seen.headSet(lastExpected, true).size();
            for (long n = 1; n <= lastExpected; n++) {
              if (!seen.contains(n)) {
                missingScrapes.add(n);
              }
            }
          }
        }
        long expected = (long) SERIES * lastExpected;
        System.out.println(TAG + "load samples expected " + expected + " (" + lastExpected + " scrapes x " + SERIES
            + " series), delivered " + delivered + ", scrapes missing " + missingScrapes);
        // Only a scrape served just before the kill (in flight when it landed) may be missing.
        assertThat(missingScrapes).as("scrapes lost").allSatisfy(n -> assertThat(load.servedAt.get(n))
            .as("scrape " + n + " served at").isGreaterThan(killMillis - SCRAPE_MILLIS - 500));
        assertThat(missingScrapes.size()).as("at most the scrape in flight at the kill").isLessThanOrEqualTo(1);
        assertThat(delivered).isGreaterThanOrEqualTo(expected - (long) SERIES * missingScrapes.size());

        // The ticker (1 s) likewise, and `up` stayed 1 for every scrape the collectors made.
        JsonNode ticks = result(prom, "ticks_total[" + window + "s]");
        assertThat(ticks.size()).isEqualTo(1);
        TreeSet<Long> tickValues = new TreeSet<>();
        long prevTick = 0;
        for (JsonNode v : ticks.get(0).path("values")) {
          long t = (long) Double.parseDouble(v.get(1).asText());
          assertThat(t).as("ticks in order").isGreaterThan(prevTick);
          prevTick = t;
          tickValues.add(t);
        }
        List<Long> missingTicks = new ArrayList<>();
        for (long t = 1; t <= ticksExpected; t++) {
          if (!tickValues.contains(t)) {
            missingTicks.add(t);
          }
        }
        // A tick served before the pipeline was flowing (the cold collector's first scrape can time out:
        // up=0 then) is not the subject here; from steady state on, only the scrape in flight at the kill.
        System.out.println(TAG + "ticks expected " + ticksExpected + ", missing " + missingTicks + "; min(up) by job since start "
            + result(prom, "min by (job) (min_over_time(up[" + window + "s]))"));
        assertThat(missingTicks).as("ticks lost").allSatisfy(t -> assertThat(ticker.servedAt.get(t))
            .as("tick " + t + " served at").satisfiesAnyOf(
                at -> assertThat(at).isGreaterThan(killMillis - 1_500),
                at -> assertThat(at).isLessThan(steadyAt).isLessThan(ticker.servedAt.get(tickValues.first()))));
        assertThat(missingTicks.size()).isLessThanOrEqualTo(2);
        long sinceSteady = (System.currentTimeMillis() - steadyAt) / 1000;
        assertThat(scalar(prom, "min(min_over_time(up[" + sinceSteady + "s]))")).as("up stayed 1 from steady state on").isEqualTo(1.0);

        // Memory: the backlog grew on disk, not in the heap.
        List<Sample> outage = samples.stream().filter(s -> s.atMillis() >= outageStart - t0 && s.atMillis() <= drainedAt - t0).toList();
        long rssPeak = outage.stream().mapToLong(Sample::rssKib).max().orElseThrow();
        long secondStart = samples.get(firstOfSecond).rssKib();
        System.out.printf(TAG + "WAL peak %.1f MiB, oldest unsent age peak %.0f s, RSS before outage %d MiB, peak during outage %d MiB,"
                + " collector-2 at start %d MiB, at end %d MiB, drain %.1f s%n", walPeak / 1048576.0,
            samples.stream().mapToDouble(Sample::oldestAgeSeconds).max().orElseThrow(), rssBeforeOutage / 1024, rssPeak / 1024,
            secondStart / 1024, after.rssKib() / 1024, (drainedAt - upAt) / 1000.0);
        // Generous: the JVM's heap breathes, and the WAL reader holds up to wal::buffer_size (300) records in
        // memory (at this load ~200 s of scrapes, ~60 MiB); beyond that the backlog is on disk only. Held in
        // memory, a 30-minute backlog at this load (~550 MiB on disk) would break this bound.
        assertThat(rssPeak).as("RSS during the outage (before %d KiB): %s", rssBeforeOutage, outage).isLessThan(512 * 1024);

        second.terminate();
        assertThat(second.waitFor(Duration.ofSeconds(30))).as("exit code after SIGTERM; log:\n" + second.tail()).isZero();
      } finally {
        second.close();
      }
    }
  }
}
