package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.exporter.prometheusremotewrite.PrometheusRemoteWriteConfig;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * Records that wait are split into per-shard snappy-compressed chunks, compressed piece by piece
 * from the payload, and each shard uncompresses them one at a time into an array it reuses. Here
 * records of growing and shrinking series sizes are queued compressed on three shards before the
 * workers start, with a request-size limit that splits chunks across requests, so the reused array
 * grows, is reused for a smaller chunk, and is read again for the rest of a chunk in the next
 * request. The receiver is a real HTTP server on 127.0.0.1 that uncompresses every request: each
 * shard's requests, in order, must hold exactly its series in dispatch order.
 */
class SharderCompressedChunksTest {
  static final int SHARDS = 3;
  static final int MAX_BATCH = 1000;

  HttpServer server;
  /** Uncompressed request bodies per shard (the first byte of every series body names its shard). */
  final Map<Integer, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
  final AtomicLong sent = new AtomicLong();

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  URI receiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/api/v1/write", ex -> {
      byte[] body = Snappy.uncompress(ex.getRequestBody().readAllBytes());
      ByteArrayOutputStream shard = received.computeIfAbsent((int) body[0], k -> new ByteArrayOutputStream());
      synchronized (shard) {
        shard.write(body, 0, body.length);
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
  }

  Sharder sharder(URI endpoint) throws Exception {
    PrometheusRemoteWriteConfig config = new PrometheusRemoteWriteConfig(endpoint.toString(), Duration.ofSeconds(5), Map.of(), null,
        null, new PrometheusRemoteWriteConfig.Retry(true, Duration.ofMillis(5), 0, 1.5, Duration.ofMillis(20), Duration.ofMinutes(5)),
        new PrometheusRemoteWriteConfig.Queue(true, 100, SHARDS), MAX_BATCH, 1, Map.of(), "", false, false, false, false, false,
        "", false, null);
    Backoff backoff = new Backoff(Duration.ofMillis(5), 0, 1.5, Duration.ofMillis(20));
    RateLimitedLogger log = new RateLimitedLogger(System.getLogger("SharderCompressedChunksTest"), Duration.ofSeconds(10));
    Sharder.Listener listener = new Sharder.Listener() {
      @Override
      public void request(String statusClass) {}

      @Override
      public void retried() {}

      @Override
      public void sent(int samples) {
        sent.addAndGet(samples);
      }

      @Override
      public void dropped(String reason, long samples) {}
    };
    return new Sharder("test", endpoint, config, "test", null, SHARDS, backoff, false, 0, listener, log, (r, ok, failed) -> Sharder.complete(r));
  }

  /**
   * A series body of {@code len} bytes: its shard, record and index, then a pattern that repeats
   * (so it compresses) but differs from record to record.
   */
  static byte[] body(int shard, int record, int series, int len) {
    byte[] b = new byte[len];
    ByteBuffer.wrap(b).put((byte) shard).putInt(record).putInt(series);
    for (int i = 9; i < len; i++) {
      b[i] = (byte) ('a' + (i * 7 + record) % 23);
    }
    return b;
  }

  @Test
  void compressedChunksOfChangingSizes_eachShardDeliversItsSeriesInOrder() throws Exception {
    Sharder s = sharder(receiver());
    ByteArrayOutputStream[] expected = new ByteArrayOutputStream[SHARDS];
    for (int i = 0; i < SHARDS; i++) {
      expected[i] = new ByteArrayOutputStream();
    }
    // Series sizes per record: growing (the reused array grows), then small (reused as it is),
    // then larger than a request (a series alone in its request, the chunk split around it).
    int[] sizes = {40, 300, 90, 2500, 60, 700};
    long total = 0;
    List<Record> records = new ArrayList<>();
    for (int k = 0; k < sizes.length; k++) {
      ByteBuf p = new ByteBuf(64);
      int samples = 0;
      for (int i = 0; i < 11; i++) {
        int shard = (i * 5 + k) % SHARDS;
        byte[] b = body(shard, k, i, sizes[k] + i);
        Payload.putInt(p, shard); // the label hash: picks the shard
        Payload.putInt(p, i % 4 + 1);
        Payload.putInt(p, b.length);
        p.write(b, 0, b.length);
        expected[shard].write(b, 0, b.length);
        samples += i % 4 + 1;
      }
      // As the exporter queues a record that will wait: no payload kept, compressed chunks only.
      Record r = new Record(k, System.currentTimeMillis(), null, 0, samples, samples);
      Sharder.Split split = s.split(r, p.array(), p.length(), true);
      assertThat(split.heldBytes()).as("record %d is held compressed", k).isLessThan(p.length() / 2);
      assertThat(split.uncompressAll()).as("record %d uncompressed", k).isEqualTo(p.length());
      assertThat(s.dispatch(split)).isTrue();
      records.add(r);
      total += samples;
    }
    s.start();
    for (Record r : records) {
      assertThat(Sharder.await(r, 20_000)).as("record %d finished", r.seq()).isTrue();
    }
    assertThat(sent.get()).isEqualTo(total);
    for (int i = 0; i < SHARDS; i++) {
      assertThat(received.get(i).toByteArray()).as("shard %d's series, in order", i).isEqualTo(expected[i].toByteArray());
    }
    assertThat(s.stop()).isZero();
  }

  @Test
  void aCompressedChunkIsTheSnappyBlockOfItsSeries() throws Exception {
    ByteBuf p = new ByteBuf(64);
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    for (int i = 0; i < 3000; i++) {
      byte[] b = body(0, 1, i, 50 + i % 200);
      Payload.putInt(p, 0);
      Payload.putInt(p, 1);
      Payload.putInt(p, b.length);
      p.write(b, 0, b.length);
    }
    framed.write(p.array(), 0, p.length());
    // One shard: the chunk holds every series with its framing, over 64 KiB (several fragments).
    Sharder.Split split = Sharder.split(new Record(0, 0, null, 0, 3000, 3000), p.array(), p.length(), true, 1);
    assertThat(p.length()).isGreaterThan(4 * SnappyBlockWriter.FRAGMENT);
    byte[] whole = Snappy.rawCompress(framed.toByteArray(), framed.size());
    assertThat(split.heldBytes()).as("the same block as snappy gives for the whole").isEqualTo(whole.length);
    assertThat(split.uncompressAll()).isEqualTo(p.length());
  }
}
