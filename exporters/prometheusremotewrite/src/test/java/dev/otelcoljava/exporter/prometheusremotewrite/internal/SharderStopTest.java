package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.exporter.prometheusremotewrite.PrometheusRemoteWriteConfig;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stop leaves unsent is counted exactly once, wherever the shard workers hold it: in a
 * queue, in the request being retried, or in the rest of a chunk that did not fit the request (the
 * request-size limit here fits two series, so a shard's chunks are split across requests). Every
 * sample ends up in exactly one of sent, dropped (with a reason) or returned by {@link
 * Sharder#stop}. The receiver is a real HTTP server on 127.0.0.1 whose answer per request is
 * scripted; records are dispatched before the workers start, so what each request holds is fixed.
 */
class SharderStopTest {
  static final int SERIES_BYTES = 100;
  static final int MAX_BATCH = 250; // two series per request
  static final int OK = 200;
  static final int HOLD = -1; // keep the request open until the test releases it

  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  final CountDownLatch held = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  final AtomicLong sent = new AtomicLong();
  final AtomicLong retried = new AtomicLong();
  final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
  final Map<Long, AtomicInteger> doneCalls = new ConcurrentHashMap<>();

  final Sharder.Listener listener = new Sharder.Listener() {
    @Override
    public void request(String statusClass) {}

    @Override
    public void retried() {
      retried.incrementAndGet();
    }

    @Override
    public void sent(int samples) {
      sent.addAndGet(samples);
    }

    @Override
    public void dropped(String reason, long samples) {
      dropped.computeIfAbsent(reason, k -> new AtomicLong()).addAndGet(samples);
    }
  };

  @AfterEach
  void stopServer() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  /** Starts the receiver: request n (1-based) gets status script(n), or is held open for HOLD. */
  URI receiver(IntUnaryOperator script) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/api/v1/write", ex -> {
      ex.getRequestBody().readAllBytes();
      int status = script.applyAsInt(requests.incrementAndGet());
      if (status == HOLD) {
        held.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        status = 503;
      }
      byte[] body = ("scripted " + status).getBytes();
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
  }

  Sharder sharder(URI endpoint, int shards) throws Exception {
    PrometheusRemoteWriteConfig config = new PrometheusRemoteWriteConfig(endpoint.toString(), Duration.ofSeconds(5), Map.of(), null,
        null, new PrometheusRemoteWriteConfig.Retry(true, Duration.ofMillis(5), 0, 1.5, Duration.ofMillis(20), Duration.ofMinutes(5)),
        new PrometheusRemoteWriteConfig.Queue(true, 100, shards), MAX_BATCH, 1, Map.of(), "", false, false, false, false, false,
        "", false, null);
    Backoff backoff = new Backoff(Duration.ofMillis(5), 0, 1.5, Duration.ofMillis(20));
    RateLimitedLogger log = new RateLimitedLogger(System.getLogger("SharderStopTest"), Duration.ofSeconds(10));
    return new Sharder("test", endpoint, config, "test", null, shards, backoff, false, 0, listener, log,
        (r, ok, failed) -> {
          doneCalls.computeIfAbsent(r.seq(), k -> new AtomicInteger()).incrementAndGet();
          Sharder.complete(r);
        });
  }

  /**
   * A record of {@code series} series spread round-robin over the shards, series i carrying i % 3 +
   * 1 samples (so a miscount cannot hide behind a uniform sample count).
   */
  static Record record(long seq, int series) {
    ByteBuf b = new ByteBuf(series * (12 + SERIES_BYTES));
    int samples = 0;
    for (int i = 0; i < series; i++) {
      Payload.putInt(b, i);
      Payload.putInt(b, i % 3 + 1);
      Payload.putInt(b, SERIES_BYTES);
      byte[] body = new byte[SERIES_BYTES];
      java.util.Arrays.fill(body, (byte) (seq * 31 + i));
      b.write(body, 0, body.length);
      samples += i % 3 + 1;
    }
    return new Record(seq, System.currentTimeMillis(), b.toByteArray(), series, samples);
  }

  /** Dispatches records of 7 series (odd: a shard's chunk never ends on a request boundary). */
  static long dispatch(Sharder s, int records, List<Record> out) {
    long total = 0;
    for (int k = 0; k < records; k++) {
      Record r = record(k, 7);
      out.add(r);
      total += r.samples;
      s.dispatch(r);
    }
    return total;
  }

  long droppedTotal() {
    return dropped.values().stream().mapToLong(AtomicLong::get).sum();
  }

  static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(end);
      Thread.sleep(5);
    }
  }

  @Test
  void stop_duringOutage_countsTheUnpackedRestOfASplitChunk() throws Exception {
    for (int shards : new int[] {1, 3}) {
      Sharder s = sharder(receiver(n -> 503), shards);
      long total = dispatch(s, 3, new ArrayList<>());
      s.start();
      // Every shard has sent its first request (two series: its first chunk split) and is retrying.
      await("retries on every shard", () -> retried.get() >= 2L * shards);
      long lost = s.stop();
      assertThat(lost).as("%d shard(s): unsent = every sample", shards).isEqualTo(total);
      assertThat(sent.get()).isZero();
      assertThat(droppedTotal()).isZero();
      stopServer();
      retried.set(0);
      requests.set(0);
    }
  }

  @Test
  void stop_whileARequestIsOnTheWire_countsItAndTheRestOnce() throws Exception {
    Sharder s = sharder(receiver(n -> HOLD), 1);
    long total = dispatch(s, 2, new ArrayList<>());
    s.start();
    assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
    long lost = s.stop();
    assertThat(lost).isEqualTo(total);
    assertThat(sent.get() + droppedTotal()).isZero();
  }

  @Test
  void stop_afterSomeRequestsWereAcceptedOrRejected_everySampleCountedExactlyOnce() throws Exception {
    // Requests 1, 2 and 4 accepted, 3 rejected for good (400), then an outage. Chunks of three
    // series go out two series per request, so a shard holds the rest of one when the stop comes.
    Sharder s = sharder(receiver(n -> n == 1 || n == 2 || n == 4 ? OK : n == 3 ? 400 : 503), 2);
    List<Record> records = new ArrayList<>();
    long total = dispatch(s, 3, records);
    s.start();
    await("the outage reached", () -> requests.get() >= 6 && retried.get() >= 2);
    long lost = s.stop();
    assertThat(sent.get()).isPositive();
    assertThat(dropped).containsOnlyKeys("http_400");
    assertThat(sent.get() + droppedTotal() + lost).as("sent %d + dropped %s + lost %d", sent.get(), dropped, lost).isEqualTo(total);
  }

  @Test
  void dispatchAfterStop_isRefused_andUnfinishedRecordsAreFinishedOnce() throws Exception {
    Sharder s = sharder(receiver(n -> 503), 2);
    List<Record> records = new ArrayList<>();
    long total = dispatch(s, 3, records);
    s.start();
    await("retries on both shards", () -> retried.get() >= 4);
    assertThat(s.stop()).isEqualTo(total);
    // A batch that reaches the sharder after the stop began is refused (the caller still owns it),
    // not queued where nothing would send or count it.
    Record late = record(9, 7);
    assertThat(s.dispatch(late)).isFalse();
    s.abandonUnfinished();
    s.abandonUnfinished();
    for (Record r : records) {
      assertThat(Sharder.await(r, 0)).as("record %d released", r.seq()).isTrue();
      assertThat(doneCalls.get(r.seq())).as("done calls for record %d", r.seq()).hasValue(1);
    }
    assertThat(doneCalls).doesNotContainKey(9L);
  }

  @Test
  void drain_waitsUntilEverySampleIsSettled_thenStopFindsNothingUnsent() throws Exception {
    Sharder s = sharder(receiver(n -> OK), 3);
    List<Record> records = new ArrayList<>();
    long total = dispatch(s, 5, records);
    s.start();
    s.drain(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
    assertThat(s.stop()).isZero();
    assertThat(sent.get()).isEqualTo(total);
    for (Record r : records) {
      assertThat(doneCalls.get(r.seq())).as("done calls for record %d", r.seq()).hasValue(1);
    }
  }
}
