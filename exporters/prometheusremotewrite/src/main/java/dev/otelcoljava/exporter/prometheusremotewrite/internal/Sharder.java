package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import dev.otelcoljava.exporter.prometheusremotewrite.PrometheusRemoteWriteConfig;
import dev.otelcoljava.runtime.api.HttpClientAuthenticator;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The shard workers: {@link #dispatch} splits a record's series by label hash into one chunk per
 * shard; each shard's worker takes chunks in order, packs whole series into requests below {@code
 * max_batch_size_bytes}, snappy-compresses and POSTs them with one request in flight, retrying
 * 5xx, 429 and network errors with backoff (Retry-After honoured, capped at {@code max_interval}),
 * and never retrying other 4xx. Thread-safe.
 *
 * <p>Accounting: every sample accepted by {@link #dispatch} is <em>unsettled</em> until the request
 * that carries it is settled, that is, counted exactly once as sent or as dropped with a reason.
 * Settling and {@link #stop} take the same lock, and dispatch after stop is refused, so the samples
 * {@link #stop} returns are exactly those never counted, wherever they were held (a queue, the
 * request being retried, or the rest of a chunk that did not fit that request).
 *
 * <p>Memory (in-memory queue, {@link #holdInMemory}): a record's chunks index its encoded payload
 * while the back end keeps up, so nothing is copied or compressed on that path, and the payload is
 * dropped as soon as every chunk is in a request (compressed as it is packed, 64 KiB at a time:
 * see {@link SnappyBlockWriter}). A record that will wait (see {@link #split})
 * and, when a shard starts retrying, whatever already waits for that shard, is held as per-chunk
 * snappy-compressed copies instead, uncompressed again only while packed into a request. Per-series
 * order is unchanged: chunks stay in their shard's queue in dispatch order, whatever their form.
 */
public final class Sharder {
  /** Receives request outcomes for self-metrics. */
  public interface Listener {
    void request(String statusClass);

    void retried();

    void sent(int samples);

    void dropped(String reason, long samples);
  }

  /** Called once per record when all its chunks are finished (sent or definitively failed). */
  public interface Done {
    void done(Record r, long okSamples, long failedSamples);
  }

  private final String id;
  private final URI endpoint;
  private final PrometheusRemoteWriteConfig config;
  private final String userAgent;
  private final HttpClientAuthenticator auth;
  private final Backoff backoff;
  private final boolean unboundedRetry;
  private final long maxAgeMillis;
  private final Listener listener;
  private final RateLimitedLogger log;
  private final Done done;
  private final Shard[] shards;
  private final HttpClient client;
  private volatile boolean stopped;
  /** Held for reading while a record is queued, for writing while {@code stopped} is set. */
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  /** Samples dispatched whose request has not been settled (counted sent or dropped). */
  private final AtomicLong unsettled = new AtomicLong();
  /** Guards settling against {@link #stop}, which counts what is unsettled and closes. */
  private final Object settleLock = new Object();
  private boolean closed; // guarded by settleLock
  /** Records dispatched whose done callback has not run; removing one claims its callback. */
  private final Set<Record> unfinished = ConcurrentHashMap.newKeySet();
  /** Shards whose current request has failed at least once (and is retried or about to be dropped). */
  private final java.util.concurrent.atomic.AtomicInteger retryingShards = new java.util.concurrent.atomic.AtomicInteger();
  /** Set for the in-memory queue only (see {@link #holdInMemory}). */
  private volatile java.util.function.LongConsumer heldChanged;
  /** Receives the payload arrays of memory-queue records once no chunk indexes them (or null). */
  private volatile java.util.function.Consumer<byte[]> recycle;
  private volatile boolean compressWhenRetrying;

  public Sharder(String id, URI endpoint, PrometheusRemoteWriteConfig config, String userAgent, HttpClientAuthenticator auth,
      int shards, Backoff backoff, boolean unboundedRetry, long maxAgeMillis, Listener listener, RateLimitedLogger log, Done done)
      throws Exception {
    this.id = id;
    this.endpoint = endpoint;
    this.config = config;
    this.userAgent = userAgent;
    this.auth = auth;
    this.backoff = backoff;
    this.unboundedRetry = unboundedRetry;
    this.maxAgeMillis = maxAgeMillis;
    this.listener = listener;
    this.log = log;
    this.done = done;
    this.client = HttpClients.create(config);
    this.shards = new Shard[shards];
    for (int i = 0; i < shards; i++) {
      this.shards[i] = new Shard(i);
    }
  }

  public void start() {
    for (Shard s : shards) {
      s.thread = Thread.ofPlatform().name("prw-shard-" + s.index + "-" + id).daemon().start(s::run);
    }
  }

  static int otelPointsOf(Record r) {
    return r.otelPoints;
  }

  public static int otelPoints(Record r) {
    return r.otelPoints;
  }

  public static void complete(Record r) {
    r.done.complete(null);
  }

  /** Waits for the record to finish; false on timeout. */
  public static boolean await(Record r, long millis) throws InterruptedException {
    try {
      r.done.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** A record split by shard ({@link #split}), ready for {@link #dispatch(Split)}. */
  public static final class Split {
    final Record record;
    final Chunk[] chunks; // per shard, null where the record has no series
    final int count;
    final long samples;

    Split(Record record, Chunk[] chunks, int count, long samples) {
      this.record = record;
      this.chunks = chunks;
      this.count = count;
      this.samples = samples;
    }

    /** Bytes the record holds while queued: its payload, or the compressed copies of its chunks. */
    public long heldBytes() {
      return record.heldBytes.get();
    }

    /**
     * Uncompresses every chunk's copy, as the shards do when they pack requests from them, and
     * returns the uncompressed bytes (for measurement; the chunks are left as they were).
     */
    public long uncompressAll() {
      long n = 0;
      for (Chunk c : chunks) {
        if (c != null && c.offsets() == null) {
          n += c.bytesLength();
          c.dropUncompressed();
        }
      }
      return n;
    }
  }

  /**
   * Splits the record's series (the first {@code len} bytes of {@code p}, framed as in {@link
   * Payload}) by shard. Without {@code compress} the chunks index {@code p}, which must be the
   * record's payload. With {@code compress} each chunk gets its own snappy-compressed copy of its
   * series and {@code p} is not kept (the record may have no payload): for a record that will wait
   * behind a backlog, where remote-write series compress ~5-10x. Sets the record's held bytes.
   */
  public Split split(Record r, byte[] p, int len, boolean compress) {
    return split(r, p, len, compress, shards.length);
  }

  /** {@link #split(Record, byte[], int, boolean)} for {@code n} shards (benchmarks use it alone). */
  public static Split split(Record r, byte[] p, int len, boolean compress, int n) {
    int[][] offs = new int[n][];
    int[] counts = new int[n];
    int[] samples = new int[n];
    int[] bytes = new int[n];
    int pos = 0;
    while (pos < len) {
      int hash = Payload.getInt(p, pos);
      int s = Payload.getInt(p, pos + 4);
      int l = Payload.getInt(p, pos + 8);
      int shard = Math.floorMod(hash, n);
      if (offs[shard] == null) {
        offs[shard] = new int[8];
      } else if (counts[shard] == offs[shard].length) {
        offs[shard] = java.util.Arrays.copyOf(offs[shard], counts[shard] * 2);
      }
      offs[shard][counts[shard]++] = pos;
      samples[shard] += s;
      bytes[shard] += 12 + l;
      pos += 12 + l;
    }
    Chunk[] chunks = new Chunk[n];
    int count = 0;
    long total = 0;
    long held = compress ? 0 : len;
    // Compressed 64 KiB at a time straight from the payload (see SnappyBlockWriter): no contiguous
    // copy of a shard's series and no output sized for them incompressible. Those two arrays (~4 MB
    // each for a shard's share of one of peer-bench's cluster targets) were made anew for every
    // record that waited: humongous allocations under G1, a sixth of the bytes the process allocated.
    SnappyBlockWriter writer = null;
    for (int i = 0; i < n; i++) {
      if (counts[i] == 0) {
        continue;
      }
      count++;
      total += samples[i];
      if (!compress) {
        chunks[i] = new Chunk(r, offs[i], counts[i], samples[i], bytes[i]);
        continue;
      }
      if (writer == null) {
        writer = new SnappyBlockWriter();
        int largest = 0;
        for (int b : bytes) {
          largest = Math.max(largest, b);
        }
        writer.start(new byte[SnappyBlockWriter.smallStart(largest)]);
      } else {
        writer.start(writer.output());
      }
      byte[] copy;
      boolean compressed = true;
      try {
        copy = Chunk.compress(p, offs[i], 0, counts[i], writer);
      } catch (IOException e) {
        // snappy fails only on a broken native library: keep the series uncompressed instead
        copy = new byte[bytes[i]];
        int g = 0;
        for (int k = 0; k < counts[i]; k++) {
          int off = offs[i][k];
          int l = 12 + Payload.getInt(p, off + 8);
          System.arraycopy(p, off, copy, g, l);
          g += l;
        }
        compressed = false;
      }
      chunks[i] = new Chunk(r, copy, counts[i], samples[i], bytes[i], compressed);
      held += copy.length;
    }
    r.heldBytes.set(held);
    if (!compress) {
      r.rawChunks.set(count);
    }
    return new Split(r, chunks, count, total);
  }

  /**
   * Splits the record's series by shard and queues one chunk per shard that has series. Returns
   * false, queueing nothing, once {@link #stop} has begun: the caller still owns the record.
   */
  public boolean dispatch(Record r) {
    return dispatch(split(r, r.payload, r.payloadLen, false));
  }

  /**
   * Queues the split record's chunks, one per shard that has series. Returns false, queueing
   * nothing, once {@link #stop} has begun: the caller still owns the record.
   */
  public boolean dispatch(Split split) {
    Record r = split.record;
    gate.readLock().lock();
    try {
      if (stopped) {
        return false;
      }
      r.pending.set(split.count);
      if (split.count == 0) {
        done.done(r, 0, 0);
        return true;
      }
      unsettled.addAndGet(split.samples);
      unfinished.add(r);
      for (int i = 0; i < shards.length; i++) {
        if (split.chunks[i] != null) {
          shards[i].queue.add(split.chunks[i]);
        }
      }
      return true;
    } finally {
      gate.readLock().unlock();
    }
  }

  /** Whether some shard's current request has failed at least once and is being retried. */
  public boolean retrying() {
    return retryingShards.get() > 0;
  }

  /**
   * For the in-memory queue (records kept nowhere else): a record's payload is dropped as soon as
   * no chunk indexes it, and, if {@code compressWhenRetrying}, a shard that starts retrying
   * replaces the payload index of its waiting chunks (the rest of the one it holds and those queued)
   * by compressed copies. {@code heldChanged} receives every change of the records' held bytes.
   */
  public void holdInMemory(java.util.function.LongConsumer heldChanged, boolean compressWhenRetrying) {
    this.compressWhenRetrying = compressWhenRetrying;
    this.heldChanged = heldChanged;
  }

  /**
   * Memory queue only: each record's payload array is given to {@code recycle} as soon as no chunk
   * indexes it (every series packed into a request body, or copied compressed): nothing reads it
   * afterwards.
   */
  public void recyclePayloads(java.util.function.Consumer<byte[]> recycle) {
    this.recycle = recycle;
  }

  /**
   * Waits until every dispatched sample is settled and every record finished, or the deadline
   * (nanoTime). (A worker's own idea of being busy is not enough: it holds a chunk it has just
   * taken from its queue before it says so.)
   */
  public void drain(long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      if (unsettled.get() == 0 && unfinished.isEmpty()) {
        return;
      }
      Thread.sleep(10);
    }
  }

  /** Stops the workers, waiting for them up to 5 s; returns the samples left unsent. */
  public long stop() throws InterruptedException {
    return stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
  }

  /**
   * Stops the workers and returns the samples left unsent: dispatched but never counted as sent or
   * dropped. Each sample is in exactly one of the three. The workers stop at their next blocking
   * call or retry; they are waited for until the deadline, and at least 1 s. A worker still running
   * after that (blocked where an interrupt does not reach) counts nothing more: a request it
   * completes afterwards was already counted here as unsent.
   */
  public long stop(long deadlineNanos) throws InterruptedException {
    gate.writeLock().lock();
    try {
      stopped = true; // no dispatch gets past this: what is unsettled now can only shrink
    } finally {
      gate.writeLock().unlock();
    }
    for (Shard s : shards) {
      if (s.thread != null) {
        s.thread.interrupt();
      }
    }
    long until = Math.max(deadlineNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    for (Shard s : shards) {
      if (s.thread != null) {
        TimeUnit.NANOSECONDS.timedJoin(s.thread, Math.max(1, until - System.nanoTime()));
      }
    }
    long lost;
    synchronized (settleLock) {
      closed = true;
      lost = unsettled.getAndSet(0);
    }
    for (Shard s : shards) {
      s.queue.clear();
    }
    return lost;
  }

  /**
   * After {@link #stop}, finishes every record that is not: what was not sent counts as failed, and
   * whoever waits on the record is released. Only for records kept nowhere else (no WAL): a record
   * finished here is acknowledged.
   */
  public void abandonUnfinished() {
    for (Record r : unfinished) {
      if (unfinished.remove(r)) {
        long ok = r.okSamples.get();
        done.done(r, ok, Math.max(0, r.samples - ok));
      }
    }
  }

  /**
   * Counts a request's outcome (sent or dropped) and marks its samples settled, unless {@link #stop}
   * has already counted them as unsent; returns false then.
   */
  private boolean settle(int samples, Runnable count) {
    synchronized (settleLock) {
      if (closed) {
        return false;
      }
      count.run();
      unsettled.addAndGet(-samples);
      return true;
    }
  }

  private void finishChunk(Chunk c) {
    if (c.record.pending.decrementAndGet() == 0 && unfinished.remove(c.record)) {
      done.done(c.record, c.record.okSamples.get(), c.record.failedSamples.get());
    }
  }

  /** Heaps of 1 GiB or more: G1's, where a large allocation is a humongous one (see IDLE_RELEASE_NANOS). */
  static final boolean LARGE_HEAP = Runtime.getRuntime().maxMemory() >= PayloadPool.LARGE_HEAP_BYTES;

  /**
   * How long a shard keeps its request buffers after its last request: in heaps of 1 GiB or more
   * 10 s, else not at all. Dropped at once, they were allocated anew for nearly every request under
   * a steady load of scrapes a fraction of a second apart (the snappy output up to 3.5 MB for a full
   * request, and until the requests were compressed as packed an uncompressed body up to 4 MB: under
   * G1 humongous allocations, each of which can start a marking cycle). In the ECS sidecar's 32 MiB heap, keeping them even 1 s after each scrape's
   * requests cost 40 % more CPU per sample (peer-bench sidecar preset, 25.7-26.6 ms per 1,000
   * samples instead of 17.9-18.3): more collections of a heap that full.
   */
  static final long IDLE_RELEASE_NANOS = LARGE_HEAP ? TimeUnit.SECONDS.toNanos(10) : 0;

  /** Heap held by the shards' buffers between requests (for tests). */
  public long retainedBytes() {
    long n = 0;
    for (Shard s : shards) {
      n += s.retainedBytes();
    }
    return n;
  }

  private final class Shard {
    final int index;
    final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    /**
     * Compresses each request as its series are packed, 64 KiB at a time, into {@link #packed}: no
     * uncompressed copy of the request is made. (That copy, a request body grown to the largest
     * request, was ~1 MiB per shard at once for a 2,000-series sidecar target, 5 MiB of a 21 MiB
     * peak live heap, and up to 4 MB per shard in large heaps.)
     */
    final SnappyBlockWriter writer = new SnappyBlockWriter();
    /**
     * The snappy-compressed request (worker thread only): reused from request to request while the
     * shard has work, and only after a request the endpoint answered with 2xx (an exchange that
     * failed or timed out may still be reading the array it was given).
     */
    byte[] packed;
    /**
     * Where a compressed chunk is uncompressed while its series are packed (worker thread only): one
     * chunk at a time, as a chunk is current until every series of it is in a request. Reused, and
     * let go with {@link #packed} when the shard is idle: an array of its own per chunk was ~4 MB
     * for one of peer-bench's cluster targets (a humongous allocation under G1) for every record
     * that waited behind a burst of scrapes.
     */
    private byte[] unpackScratch;
    private final java.util.function.IntFunction<byte[]> unpackInto = n -> {
      byte[] a = unpackScratch;
      if (a == null || a.length < n) {
        // An eighth to spare: the next record's chunk for this shard is rarely much larger.
        a = new byte[(int) Math.min(Integer.MAX_VALUE - 16, n + (long) n / 8)];
        unpackScratch = a;
      }
      return a;
    };
    long idleSinceNanos = System.nanoTime();
    Thread thread;
    volatile boolean busy;

    Shard(int index) {
      this.index = index;
    }

    /** The chunk whose series are packed next (worker thread only). */
    Chunk current;

    void run() {
      List<Chunk> inRequest = new ArrayList<>();
      try {
        while (!stopped) {
          if (current == null) {
            current = queue.poll(100, TimeUnit.MILLISECONDS);
            if (current == null) {
              if (System.nanoTime() - idleSinceNanos >= IDLE_RELEASE_NANOS) {
                releaseIfIdle();
              }
              continue;
            }
          }
          busy = true;
          inRequest.clear();
          int limit = requestLimit(current);
          startRequest(limit);
          int samples = 0;
          // Pack whole series, from as many queued chunks as fit.
          while (current != null) {
            byte[] p = current.cursor < current.count ? current.bytes(unpackInto) : null;
            while (current.cursor < current.count) {
              int off = current.offset();
              int len = Payload.getInt(p, off + 8);
              long written = writer.written();
              if (written > 0 && written + len > limit) {
                break;
              }
              writer.write(p, off + 12, len);
              samples += Payload.getInt(p, off + 4);
              if (current.advance(len)) {
                indexReleased(current);
              }
            }
            if (!inRequest.contains(current)) {
              inRequest.add(current);
            }
            if (current.cursor < current.count) {
              break; // request full
            }
            Chunk next = queue.peek();
            if (next == null) {
              current = null;
              break;
            }
            current = queue.poll();
          }
          Outcome o = sendWithRetry(inRequest, samples);
          if (o == Outcome.ABANDONED) {
            return; // stopping: still unsettled, so stop() counts it (the WAL keeps it, if any)
          }
          // Credit the outcome to every chunk in the request; finish those fully packed.
          for (Chunk c : inRequest) {
            if (c.cursor >= c.count) {
              finish(c, o);
            }
          }
          if (current != null && current.cursor < current.count) {
            // partially sent chunk stays current
            markPartial(current, o);
          }
          // The finished chunks (and through them the record's payload) are not kept until the next request.
          inRequest.clear();
          busy = current != null || !queue.isEmpty();
          if (!busy) {
            idleSinceNanos = System.nanoTime();
            if (IDLE_RELEASE_NANOS == 0) {
              releaseIfIdle();
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        busy = false;
      }
    }

    /** A chunk stopped indexing its record's payload: the last one of a memory-queue record drops it. */
    private void indexReleased(Chunk c) {
      java.util.function.LongConsumer h = heldChanged;
      Record r = c.record;
      if (h != null && r.rawChunks.decrementAndGet() == 0 && r.payload != null) {
        byte[] p = r.payload;
        long n = r.payloadLen;
        r.payload = null;
        r.heldBytes.addAndGet(-n);
        h.accept(-n);
        java.util.function.Consumer<byte[]> rc = recycle;
        if (rc != null) {
          rc.accept(p);
        }
      }
    }

    /**
     * This shard's request has failed: what waits behind it (the rest of the current chunk and the
     * queued chunks) is kept compressed from now on, if it still indexes a record's payload.
     */
    private void compressWaiting() {
      java.util.function.LongConsumer h = heldChanged;
      if (h == null || !compressWhenRetrying) {
        return;
      }
      if (current != null) {
        compressRest(current, h);
      }
      for (Chunk c : queue) {
        compressRest(c, h);
      }
    }

    private void compressRest(Chunk c, java.util.function.LongConsumer h) {
      int n;
      try {
        n = c.compressRest();
      } catch (IOException e) {
        return; // snappy fails only on a broken native library: the chunk stays as it is
      }
      if (n >= 0) {
        c.record.heldBytes.addAndGet(n);
        h.accept(n);
        indexReleased(c);
      }
    }

    /**
     * Drops the compressed request, the writer's staging array and the uncompress scratch: the next
     * request makes new ones.
     */
    private void releaseIfIdle() {
      writer.release();
      packed = null;
      unpackScratch = null;
    }

    /** Heap held by this shard's buffers (for tests). */
    long retainedBytes() {
      byte[] p = packed;
      byte[] u = unpackScratch;
      return writer.retainedBytes() + (p == null ? 0 : p.length) + (u == null ? 0 : u.length);
    }

    /**
     * The most bytes of series the next request packs, at most {@code max_batch_size_bytes} (or the
     * first series, if that alone is larger): what the current chunk and the queued ones hold now,
     * if less. The compressed request's array is sized for it; chunks queued later wait for the
     * next request.
     */
    private int requestLimit(Chunk first) {
      long max = config.maxBatchSizeBytes();
      long n = first.rawRemaining();
      if (n < max) {
        for (Chunk q : queue) {
          n += q.rawRemaining();
          if (n >= max) {
            break;
          }
        }
      }
      long limit = Math.min(n, max);
      if (first.cursor < first.count) {
        limit = Math.max(limit, Payload.getInt(first.bytes(unpackInto), first.offset() + 8));
      }
      return (int) Math.min(Integer.MAX_VALUE - 64, limit);
    }

    /** Starts compressing a request of at most {@code limit} bytes of series into {@link #packed}. */
    private void startRequest(int limit) {
      // Small heaps start with room for the request compressed 4 to 1 and let the writer grow it:
      // sized for incompressible series, the five shards' arrays of one ECS sidecar scrape (8,300
      // samples) were 4.2 MB at once, of an 18 MiB heap that ran out while they were packed.
      int room = LARGE_HEAP ? SnappyBlockWriter.maxOutput(limit) : SnappyBlockWriter.smallStart(limit);
      if (packed == null || packed.length < room) {
        // In a large heap a quarter more (up to a full request's): the next request of this shard
        // is rarely the same size.
        packed = new byte[LARGE_HEAP ? Math.max(room, Math.min(SnappyBlockWriter.maxOutput(config.maxBatchSizeBytes()), room + room / 4)) : room];
      }
      writer.start(packed);
      // Kept for the next request only if this one ends in a 2xx (see packed).
      packed = null;
    }

    private void markPartial(Chunk c, Outcome o) {
      if (o != Outcome.OK) {
        c.failed = 1;
      } else if (c.failed == 0) {
        c.ok = 1;
      }
    }

    private void finish(Chunk c, Outcome o) {
      if (o == Outcome.OK && c.failed == 0) {
        c.record.okSamples.addAndGet(c.samples);
      } else {
        c.record.failedSamples.addAndGet(c.samples);
      }
      finishChunk(c);
    }

    enum Outcome { OK, FAILED, ABANDONED }

    /** Whether this shard is counted in {@link #retryingShards}. */
    private boolean countedRetrying;

    private Outcome sendWithRetry(List<Chunk> chunks, int samples) throws InterruptedException {
      try {
        return sendWithRetries(chunks, samples);
      } finally {
        if (countedRetrying) {
          countedRetrying = false;
          retryingShards.decrementAndGet();
        }
      }
    }

    private Outcome sendWithRetries(List<Chunk> chunks, int samples) throws InterruptedException {
      byte[] payload;
      int from;
      int clen;
      try {
        from = writer.finish();
        payload = writer.output();
        clen = writer.end() - from;
      } catch (IOException e) {
        // snappy fails only on a broken native library
        return settle(samples, () -> listener.dropped("encode_error", samples)) ? Outcome.FAILED : Outcome.ABANDONED;
      }
      long start = System.nanoTime();
      long maxElapsed = config.retry().maxElapsedTime().toNanos();
      int attempt = 0;
      long createdMillis = chunks.get(0).record.createdMillis;
      boolean throttled = false; // the last attempt was answered 429
      while (true) {
        if (stopped) {
          return Outcome.ABANDONED;
        }
        long waitNanos;
        String failure;
        throttled = false;
        try {
          HttpResponse<InputStream> resp = post(payload, from, clen);
          int status = resp.statusCode();
          byte[] respBody;
          try (InputStream in = resp.body()) {
            respBody = in.readNBytes(1024);
          }
          listener.request(status / 100 + "xx");
          if (status / 100 == 2) {
            packed = payload;
            return settle(samples, () -> listener.sent(samples)) ? Outcome.OK : Outcome.ABANDONED;
          }
          failure = "HTTP " + status + ": " + new String(respBody, StandardCharsets.UTF_8).trim();
          if (status != 429 && status / 100 != 5) {
            String f = failure;
            return settle(samples, () -> {
              log.log(System.Logger.Level.ERROR, "permanent:" + status, "exporter " + id + ": remote write returned " + f
                  + "; dropping " + samples + " samples (not retryable)");
              listener.dropped("http_" + status, samples);
            }) ? Outcome.FAILED : Outcome.ABANDONED;
          }
          throttled = status == 429;
          long ra = status == 429 || status == 503
              ? Backoff.retryAfterNanos(resp.headers().firstValue("Retry-After").orElse(null), System.currentTimeMillis(), config.retry().maxInterval())
              : -1;
          waitNanos = ra >= 0 ? ra : backoff.delayNanos(attempt);
        } catch (IOException | TimeoutException e) {
          listener.request("network");
          failure = e.toString();
          waitNanos = backoff.delayNanos(attempt);
        } catch (ExecutionException e) {
          listener.request("network");
          failure = String.valueOf(e.getCause());
          waitNanos = backoff.delayNanos(attempt);
        } catch (CancellationException e) {
          return Outcome.ABANDONED;
        } catch (Exception e) {
          // authenticator failure (no credentials): retryable like a network error
          listener.request("auth_error");
          failure = "cannot sign request: " + e.getMessage();
          waitNanos = backoff.delayNanos(attempt);
        }
        String f = failure;
        if (!config.retry().enabled()) {
          return settle(samples, () -> {
            listener.dropped("retry_disabled", samples);
            log.log(System.Logger.Level.ERROR, "fail", "exporter " + id + ": remote write failed (" + f + "); retry_on_failure is disabled, dropping " + samples + " samples");
          }) ? Outcome.FAILED : Outcome.ABANDONED;
        }
        if (unboundedRetry) {
          if (maxAgeMillis > 0 && createdMillis < System.currentTimeMillis() - maxAgeMillis) {
            return settle(samples, () -> listener.dropped("max_age", samples)) ? Outcome.FAILED : Outcome.ABANDONED;
          }
        } else if (System.nanoTime() - start + waitNanos > maxElapsed) {
          // Spent under 429 the batch is counted as throttled, under 5xx or network errors as exhausted.
          String reason = throttled ? "throttled" : "retries_exhausted";
          return settle(samples, () -> {
            listener.dropped(reason, samples);
            log.log(System.Logger.Level.ERROR, "exhausted:" + reason, "exporter " + id + ": remote write failed (" + f
                + ") and max_elapsed_time is reached; dropping " + samples + " samples (counted in"
                + " otelcol_exporter_prometheusremotewrite_dropped_samples{reason=\"" + reason + "\"})");
          }) ? Outcome.FAILED : Outcome.ABANDONED;
        }
        log.log(System.Logger.Level.WARNING, "retry", "exporter " + id + ": remote write failed (" + failure + "), retrying in "
            + waitNanos / 1_000_000 + "ms");
        listener.retried();
        if (!countedRetrying) {
          // batches queued from now on wait: they are kept compressed (see split), and so is what already waits
          countedRetrying = true;
          retryingShards.incrementAndGet();
          compressWaiting();
        }
        attempt++;
        TimeUnit.NANOSECONDS.sleep(waitNanos);
      }
    }

    /** POSTs {@code len} bytes of {@code payload} from {@code from}. */
    private HttpResponse<InputStream> post(byte[] payload, int from, int len) throws Exception {
      Map<String, String> headers = new LinkedHashMap<>();
      config.headers().forEach(headers::put);
      headers.put("Content-Encoding", "snappy");
      headers.put("Content-Type", "application/x-protobuf");
      headers.put("X-Prometheus-Remote-Write-Version", "0.1.0");
      headers.put("User-Agent", userAgent);
      if (auth != null) {
        byte[] exact = from == 0 && len == payload.length ? payload : java.util.Arrays.copyOfRange(payload, from, from + len);
        Map<String, String> signed = auth.sign("POST", endpoint, Map.copyOf(headers), exact);
        headers.putAll(signed);
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(config.timeout()).POST(HttpRequest.BodyPublishers.ofByteArray(payload, from, len));
      for (Map.Entry<String, String> h : headers.entrySet()) {
        String k = h.getKey();
        if (k.equalsIgnoreCase("host") || k.equalsIgnoreCase("content-length")) {
          continue; // set by the client from the URI and body
        }
        b.setHeader(k, h.getValue());
      }
      CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try {
        return f.get(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        f.cancel(true);
        throw new CancellationException("interrupted");
      }
    }
  }
}
