package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.proto.Remote;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.proto.Types;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.testing.peers.PrometheusServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * RELIABILITY case 4, ordering under chaos, at full scale: 1,000 series over several shards, sent
 * through a proxy that holds every request for a random 0-5 s (as the remote-write compliance
 * suite's Ordering case does) and answers a random 20 % of them 500, into a real Prometheus 2.42.
 *
 * <p>Order is checked three ways: at the proxy, which parses every request it forwards and records,
 * per series, the timestamps in the order the receiver got them (strictly increasing, each exactly
 * once); at Prometheus, which refuses an out-of-order sample with a 400 and counts it (every answer
 * to a forwarded request is a 2xx, its out-of-order / out-of-bounds counters do not move, and a
 * deliberate out-of-order write at the end shows that they would); and by querying back every
 * series' raw samples. The exporter must count each injected 500 as one retry and drop nothing.
 */
class OrderingUnderChaosTest {
  static final int SERIES = 1000;
  @TempDir static Path tmp;
  static PrometheusServer prom;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

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

  /** One sample per series at {@code tMillis}, value {@code v}. */
  static MetricsBatch step(String name, long tMillis, double v) {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = Support.resource(b, "chaos", "i").addScope("", "");
    for (int i = 0; i < SERIES; i++) {
      Support.gauge(s, name, "", Attributes.of("series", "s" + i), tMillis * 1_000_000L, v);
    }
    return b;
  }

  /** What the proxy forwarded: per series, timestamps in the order the receiver got them. */
  static final class Received {
    final Map<String, List<Long>> bySeries = new HashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    long samples;

    /** Parses a forwarded body; called by the proxy just before it sends the request on. */
    void record(String metric, byte[] snappyBody) {
      Remote.WriteRequest req;
      try {
        req = Remote.WriteRequest.parseFrom(Snappy.uncompress(snappyBody));
      } catch (IOException e) {
        throw new AssertionError("undecodable remote write body", e);
      }
      requests.incrementAndGet();
      synchronized (this) {
        for (Types.TimeSeries ts : req.getTimeseriesList()) {
          String name = null;
          String series = null;
          for (Types.Label l : ts.getLabelsList()) {
            if (l.getName().equals("__name__")) {
              name = l.getValue();
            } else if (l.getName().equals("series")) {
              series = l.getValue();
            }
          }
          if (!metric.equals(name)) {
            continue;
          }
          List<Long> list = bySeries.computeIfAbsent(series, k -> new ArrayList<>());
          for (Types.Sample s : ts.getSamplesList()) {
            list.add(s.getTimestamp());
            samples++;
          }
        }
      }
    }
  }

  /** Every series received exactly {@code expected}, in that order (so strictly increasing). */
  static void assertReceivedInOrder(Received got, List<Long> expected) {
    synchronized (got) {
      assertThat(got.bySeries).as("series received at the proxy").hasSize(SERIES);
      for (Map.Entry<String, List<Long>> e : got.bySeries.entrySet()) {
        List<Long> ts = e.getValue();
        for (int i = 1; i < ts.size(); i++) {
          assertThat(ts.get(i)).as("series %s: timestamp #%d after %d", e.getKey(), i, ts.get(i - 1)).isGreaterThan(ts.get(i - 1));
        }
        assertThat(ts).as("series %s as received", e.getKey()).isEqualTo(expected);
      }
    }
  }

  /** Every series' raw samples in Prometheus: the expected timestamps in order, value = step index. */
  static long assertStoredInOrder(String metric, List<Long> expected) {
    long endSec = expected.get(expected.size() - 1) / 1000 + 1;
    long rangeSec = endSec - expected.get(0) / 1000 + 60;
    JsonNode root = Support.json(prom.get("/api/v1/query?query=" + metric + "%5B" + rangeSec + "s%5D&time=" + endSec));
    JsonNode result = root.path("data").path("result");
    assertThat(result.size()).as("series stored").isEqualTo(SERIES);
    long checked = 0;
    for (JsonNode r : result) {
      String series = r.path("metric").path("series").asText();
      JsonNode values = r.path("values");
      List<Long> ts = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        ts.add(Math.round(values.get(i).get(0).asDouble() * 1000));
        assertThat(values.get(i).get(1).asText()).as("series %s value #%d", series, i).isEqualTo(String.valueOf(i));
        checked++;
      }
      assertThat(ts).as("series %s as stored", series).isEqualTo(expected);
    }
    return checked;
  }

  /**
   * Prometheus' own counters of refused samples and of remote-write answers, by name (and for
   * the write handler, by code), summed over other labels.
   */
  static Map<String, Double> promCounters() {
    Map<String, Double> out = new HashMap<>();
    Pattern line = Pattern.compile("^(prometheus_tsdb_(?:out_of_order|out_of_bound|too_old)_samples_total|prometheus_http_requests_total)"
        + "(\\{[^}]*})?\\s+(\\S+)$");
    for (String l : prom.get("/metrics").split("\n")) {
      Matcher m = line.matcher(l);
      if (!m.matches()) {
        continue;
      }
      String key = m.group(1);
      String labels = m.group(2) == null ? "" : m.group(2);
      if (key.equals("prometheus_http_requests_total")) {
        if (!labels.contains("handler=\"/api/v1/write\"")) {
          continue;
        }
        Matcher code = Pattern.compile("code=\"(\\d+)\"").matcher(labels);
        key = "write_" + (code.find() ? code.group(1) : "?");
      }
      out.merge(key, Double.parseDouble(m.group(3)), Double::sum);
    }
    return out;
  }

  static double delta(Map<String, Double> after, Map<String, Double> before, String key) {
    return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
  }

  /** Sum of the write handler's non-2xx answers, after minus before. */
  static double writeRejections(Map<String, Double> after, Map<String, Double> before) {
    double n = 0;
    for (String k : after.keySet()) {
      if (k.startsWith("write_") && !k.startsWith("write_2")) {
        n += delta(after, before, k);
      }
    }
    return n;
  }

  static double refusedSamples(Map<String, Double> after, Map<String, Double> before) {
    return delta(after, before, "prometheus_tsdb_out_of_order_samples_total")
        + delta(after, before, "prometheus_tsdb_out_of_bound_samples_total")
        + delta(after, before, "prometheus_tsdb_too_old_samples_total");
  }

  /** A proxy that holds each request 0-5 s and answers a random 20 % with 500; counts the 500s. */
  static FaultProxy chaosProxy(long seed, AtomicInteger injected) throws IOException {
    Random rnd = new Random(seed);
    FaultProxy proxy = new FaultProxy(prom.remoteWriteUrl(), n -> {
      if (rnd.nextInt(5) == 0) {
        injected.incrementAndGet();
        return 500;
      }
      return FaultProxy.FORWARD;
    });
    proxy.maxLatencyMillis = 5000;
    return proxy;
  }

  static Map<String, Object> cfg(String url, int consumers, int maxBatchBytes) {
    Map<String, Object> c = new HashMap<>();
    c.put("endpoint", url);
    // otelcol's default timeout is 5 s: a request held the full 5 s would time out at the sender
    // while the receiver still stores it, and its retry would then be refused as out of order.
    c.put("timeout", "15s");
    c.put("remote_write_queue", Map.of("num_consumers", consumers));
    c.put("max_batch_size_bytes", maxBatchBytes);
    c.put("target_info", Map.of("enabled", false));
    return c;
  }

  /**
   * 40 steps, one per second as a 1 s scrape would produce them, of 1,000 series over 8 shards;
   * default retry settings; requests capped at 40 kB so each carries a few steps of one shard and
   * the backlog behind a slow receiver is sent in many overlapping requests.
   */
  @Test
  void thousandSeries_8Shards_random0to5sLatencyAnd500s_everySampleStoredInOrder() throws Exception {
    String metric = "chaos_order_gauge";
    int steps = 40;
    Map<String, Double> before = promCounters();
    Received got = new Received();
    AtomicInteger injected = new AtomicInteger();
    long t0 = (System.currentTimeMillis() / 1000) * 1000;
    List<Long> expected = new ArrayList<>();
    long started = System.nanoTime();
    PrometheusRemoteWriteExporter e;
    int requests;
    int forwarded;
    long maxLatency;
    int maxInFlight;
    Map<Integer, Integer> statuses = new HashMap<>();
    try (FaultProxy proxy = chaosProxy(42, injected)) {
      proxy.onForward = body -> got.record(metric, body);
      e = Support.start("prometheusremotewrite/chaos1000", cfg(proxy.url(), 8, 40_000));
      for (int k = 0; k < steps; k++) {
        long t = t0 + k * 1000L;
        expected.add(t);
        e.consume(step(metric, t, k));
        long next = started + (k + 1) * 1_000_000_000L;
        Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
      }
      e.shutdown(Duration.ofSeconds(90)); // drains the in-memory queue
      requests = proxy.requests.get();
      forwarded = proxy.forwarded.get();
      maxLatency = proxy.maxLatencyAppliedMillis.get();
      maxInFlight = proxy.maxInFlight.get();
      proxy.forwardedStatus.forEach((k, v) -> statuses.put(k, v.get()));
    }
    long wallMillis = (System.nanoTime() - started) / 1_000_000;
    Map<String, Long> byClass = e.requestsByClass();

    // The order the receiver got them in, by the proxy's own parse of every forwarded body.
    assertReceivedInOrder(got, expected);
    assertThat(got.samples).isEqualTo((long) SERIES * steps);

    // The receiver's answers and the exporter's own account.
    assertThat(statuses.keySet()).as("Prometheus' answers to forwarded requests").containsOnly(204);
    assertThat(e.droppedSamples()).as("dropped %s", e.droppedByReason()).isZero();
    assertThat(injected.get()).as("500s injected").isPositive();
    assertThat(requests).isEqualTo(forwarded + injected.get());
    assertThat(e.retriesTotal()).as("each injected 500 retried once").isEqualTo(injected.get());
    assertThat(byClass.getOrDefault("5xx", 0L)).isEqualTo(injected.get());
    assertThat(byClass.getOrDefault("2xx", 0L)).isEqualTo(forwarded);
    assertThat(byClass.keySet()).as("request outcomes by class").containsOnly("2xx", "5xx");
    assertThat(maxInFlight).as("requests in flight at once at the proxy").isGreaterThanOrEqualTo(6);
    assertThat(maxLatency).as("longest latency held").isGreaterThan(4000);

    // What Prometheus stored, and what it refused.
    long checked = assertStoredInOrder(metric, expected);
    Map<String, Double> after = promCounters();
    assertThat(refusedSamples(after, before)).as("samples Prometheus refused (out of order, out of bounds, too old)").isZero();
    assertThat(writeRejections(after, before)).as("non-2xx answers of the write handler").isZero();
    assertThat(delta(after, before, "write_204")).isEqualTo(forwarded);

    System.out.printf("ordering under chaos: %d series x %d steps over 8 shards in %d ms: %d requests (%d forwarded, %d answered 500"
        + " by the proxy), %d retries, max latency %d ms, up to %d requests in flight, %d samples checked at the proxy and %d in"
        + " Prometheus%n", SERIES, steps, wallMillis, requests, forwarded, injected.get(), e.retriesTotal(), maxLatency, maxInFlight,
        got.samples, checked);

    // The counters above can move: an out-of-order write is refused and counted.
    assertThat(writeDirect(metric, "s0", t0, -1)).isEqualTo(400);
    Map<String, Double> control = promCounters();
    assertThat(refusedSamples(control, after)).as("an out-of-order write is counted").isEqualTo(1);
    assertThat(writeRejections(control, after)).isEqualTo(1);
  }

  /**
   * The shard count changes across a restart with the WAL: 8 shards send under chaos, a graceful
   * stop leaves the batches not yet read in the WAL, and a restart with 3 shards replays them and
   * sends new batches under the same chaos. Each series still reaches the receiver in order, once.
   */
  @Test
  void walRestartFrom8To3Shards_underChaos_replayAndNewBatchesStayInOrder() throws Exception {
    String metric = "chaos_reshard_gauge";
    int steps1 = 20;
    int steps2 = 15;
    Path wal = tmp.resolve("wal-reshard");
    Map<String, Double> before = promCounters();
    Received got = new Received();
    AtomicInteger injected = new AtomicInteger();
    long t0 = (System.currentTimeMillis() / 1000) * 1000 - 120_000;
    List<Long> expected = new ArrayList<>();
    long retries = 0;
    int forwarded = 0;
    Map<Integer, Integer> statuses = new HashMap<>();
    long storedAfterStop;
    try (FaultProxy proxy = chaosProxy(7, injected)) {
      proxy.onForward = body -> got.record(metric, body);
      Map<String, Object> c = cfg(proxy.url(), 8, 40_000);
      // reads ahead only 4 batches, so the stop leaves most of them in the WAL
      c.put("wal", Map.of("directory", wal.toString(), "buffer_size", 4, "truncate_frequency", "200ms"));
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/reshard", c);
      for (int k = 0; k < steps1; k++) {
        long t = t0 + k * 1000L;
        expected.add(t);
        e.consume(step(metric, t, k));
        Thread.sleep(50);
      }
      e.shutdown(Duration.ofSeconds(30)); // sends what is in flight; the rest stays in the WAL
      assertThat(e.droppedSamples()).isZero();
      retries += e.retriesTotal();
      synchronized (got) {
        storedAfterStop = got.samples;
      }
      assertThat(storedAfterStop).as("samples sent before the stop").isPositive().isLessThan((long) SERIES * steps1);

      c.put("remote_write_queue", Map.of("num_consumers", 3));
      c.put("max_batch_size_bytes", 3_000_000);
      c.put("wal", Map.of("directory", wal.toString(), "truncate_frequency", "200ms"));
      e = Support.start("prometheusremotewrite/reshard", c);
      for (int k = steps1; k < steps1 + steps2; k++) {
        long t = t0 + k * 1000L;
        expected.add(t);
        e.consume(step(metric, t, k));
        Thread.sleep(200);
      }
      long want = (long) SERIES * (steps1 + steps2);
      Support.await("every sample forwarded", 60_000, () -> {
        synchronized (got) {
          return got.samples >= want;
        }
      });
      e.shutdown(Duration.ofSeconds(30));
      assertThat(e.droppedSamples()).as("dropped %s", e.droppedByReason()).isZero();
      retries += e.retriesTotal();
      forwarded = proxy.forwarded.get();
      proxy.forwardedStatus.forEach((k, v) -> statuses.put(k, v.get()));
    }
    assertReceivedInOrder(got, expected);
    assertThat(statuses.keySet()).as("Prometheus' answers to forwarded requests").containsOnly(204);
    assertThat(injected.get()).isPositive();
    assertThat(retries).isEqualTo(injected.get());
    long checked = assertStoredInOrder(metric, expected);
    Map<String, Double> after = promCounters();
    assertThat(refusedSamples(after, before)).isZero();
    assertThat(writeRejections(after, before)).isZero();
    System.out.printf("ordering across 8 -> 3 shards: %d of %d samples sent before the stop, %d requests forwarded, %d answered 500,"
        + " %d retries, %d samples checked%n", storedAfterStop, (long) SERIES * (steps1 + steps2), forwarded, injected.get(), retries,
        checked);
  }

  /** Writes one sample straight to Prometheus (no proxy); returns the HTTP status. */
  static int writeDirect(String metric, String series, long tMillis, double v) throws Exception {
    Types.TimeSeries ts = Types.TimeSeries.newBuilder()
        .addLabels(Types.Label.newBuilder().setName("__name__").setValue(metric))
        .addLabels(Types.Label.newBuilder().setName("instance").setValue("i"))
        .addLabels(Types.Label.newBuilder().setName("job").setValue("chaos"))
        .addLabels(Types.Label.newBuilder().setName("series").setValue(series))
        .addSamples(Types.Sample.newBuilder().setTimestamp(tMillis).setValue(v))
        .build();
    byte[] body = Snappy.compress(Remote.WriteRequest.newBuilder().addTimeseries(ts).build().toByteArray());
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prom.remoteWriteUrl()))
        .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }
}
