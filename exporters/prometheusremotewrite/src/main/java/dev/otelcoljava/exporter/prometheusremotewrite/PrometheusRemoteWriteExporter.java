package dev.otelcoljava.exporter.prometheusremotewrite;

import dev.otelcoljava.exporter.prometheusremotewrite.internal.Backoff;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.ByteBuf;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Payload;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.PayloadPool;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Record;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Sharder;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Translator;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Wal;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.ComponentStatus;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterMetrics;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.HttpClientAuthenticator;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.StatusEvent;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The remote write exporter: translates each batch, encodes its series once, and either keeps it in
 * the bounded in-memory queue or appends it durably to the WAL before {@link #consume} returns.
 * {@code num_consumers} shard workers send requests; a series always goes to the same shard (by
 * label hash) and each shard has one request in flight, so per-series order holds through retries
 * and replay. Thread-safe.
 */
final class PrometheusRemoteWriteExporter implements Exporter {
  private final CreateSettings settings;
  private final PrometheusRemoteWriteConfig config;
  private final System.Logger logger;
  private final RateLimitedLogger rateLimited;
  private final ExporterMetrics metrics;
  private final ThreadLocal<Translator> translators;
  // Per calling thread, for the encoded batch before it is copied into a record or the WAL. One
  // grown past MAX_KEPT_BUFFER_BYTES by a large batch is dropped after use (a 2,000-series scrape
  // with resource attributes as labels grew it to 2 MiB, held between scrapes).
  private static final int MAX_KEPT_BUFFER_BYTES = 256 << 10;
  private final ThreadLocal<ByteBuf> buffers = ThreadLocal.withInitial(() -> new ByteBuf(64 << 10));
  private volatile PayloadPool payloadPool = new PayloadPool(PayloadPool.budgetFor(Runtime.getRuntime().maxMemory()));
  private final AtomicLong memSeq = new AtomicLong();
  private final AtomicInteger queuedRecords = new AtomicInteger();
  private final TreeMap<Long, Record> inflight = new TreeMap<>();
  // Bytes of the records in `inflight` (guarded by inflight). The WAL reader reads ahead at most
  // wal::buffer_size records AND at most walReadAheadBytes: during an outage every record read is
  // held in memory until sent, so a count alone let a 2,000-series scrape load hold 300 records of
  // ~500 KB (RSS ~450 MiB) on top of the backlog on disk.
  private long inflightBytes;
  private long maxInflightBytes;
  private long walReadAheadBytes = defaultReadAheadBytes();
  // Bytes held by the records in the in-memory sending queue (no WAL): encoded payloads, or the
  // snappy-compressed copies of the batches that wait behind a retrying shard or a backed-up queue
  // (remote-write series compress 7-9x, so the same bound holds that many more). queue_size counts
  // batches only: in the 96 MiB ECS sidecar (then a 24 MiB heap) a 2-minute outage of a 2,000-series
  // scrape filled the heap long before 10,000 batches (OutOfMemoryError, everything queued lost).
  private final AtomicLong queuedBytes = new AtomicLong();
  private volatile long memQueueBytes = defaultMemQueueBytes();
  // Batches are queued compressed once a shard retries or the queue holds this fraction of its
  // byte bound (an eighth: with a healthy back end the queue is empty between batches).
  static final int COMPRESS_ABOVE_FRACTION = 8;
  private volatile boolean compressQueued = true;
  private final Counters counters;
  private Sharder sharder;
  private Wal wal;
  private Thread walReader;
  private Thread walTruncator;
  private volatile boolean stopping;
  private volatile boolean started;

  PrometheusRemoteWriteExporter(CreateSettings settings, PrometheusRemoteWriteConfig config) {
    this.settings = settings;
    this.config = config;
    this.logger = settings.logger();
    this.rateLimited = new RateLimitedLogger(logger, Duration.ofSeconds(10));
    this.metrics = ExporterMetrics.create(settings);
    Translator.Settings ts = new Translator.Settings(config.namespace(), config.addMetricSuffixes(), config.externalLabels(),
        config.resourceToTelemetry(), config.excludeServiceAttributes(), config.targetInfo(), config.disableScopeInfo());
    this.translators = ThreadLocal.withInitial(() -> new Translator(ts));
    this.counters = new Counters(settings.meter(), metrics.attributes(), logger, settings.id().toString());
  }

  /** The exporter's own counters ({@code otelcol_exporter_prometheusremotewrite_*}). */
  static final class Counters implements Sharder.Listener, Wal.Stats {
    final Attributes attrs;
    final LongCounter failedTranslations;
    final LongCounter translatedSeries;
    final LongCounter sentBatches;
    final LongCounter writtenSamples;
    final LongCounter retries;
    final LongCounter requests;
    final LongCounter dropped;
    final LongCounter walCorrupt;
    final LongCounter walNotDurable;
    final AtomicLong droppedTotal = new AtomicLong();
    final AtomicLong notDurableTotal = new AtomicLong();
    final Map<String, Long> droppedByReason = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, Long> requestsByClass = new java.util.concurrent.ConcurrentHashMap<>();
    private final System.Logger logger;
    private final String id;
    volatile Path walDir;
    volatile int walMemoryRecords;
    /** Where status changes go (health_check), once started. */
    volatile Host host;
    volatile ComponentId componentId;
    /** The reason writes to the WAL directory fail, or null. */
    volatile String walFailing;
    /** Whether the refusal of a batch (disk failing and memory full) was logged in this failure. */
    final java.util.concurrent.atomic.AtomicBoolean walFullLogged = new java.util.concurrent.atomic.AtomicBoolean();
    final AtomicLong retriesTotal = new AtomicLong();
    final AtomicLong corruptTotal = new AtomicLong();
    final AtomicLong permanentFailures = new AtomicLong();
    private final Map<String, Long> corruptKinds = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    Counters(Meter meter, Attributes attrs, System.Logger logger, String id) {
      this.attrs = attrs;
      this.logger = logger;
      this.id = id;
      String p = "otelcol_exporter_prometheusremotewrite_";
      failedTranslations = meter.counterBuilder(p + "failed_translations").setDescription("Metrics that could not be translated.").build();
      translatedSeries = meter.counterBuilder(p + "translated_time_series").setDescription("Time series produced by translation.").build();
      sentBatches = meter.counterBuilder(p + "sent_batches").setDescription("Remote write requests accepted by the endpoint.").build();
      writtenSamples = meter.counterBuilder(p + "written_samples").setDescription("Samples (and native histograms) accepted by the endpoint.").build();
      retries = meter.counterBuilder(p + "retries").setDescription("Request attempts that were retried.").build();
      requests = meter.counterBuilder(p + "requests").setDescription("Request attempts by status class (2xx, 4xx, 5xx, network).").build();
      dropped = meter.counterBuilder(p + "dropped_samples").setDescription("Samples dropped, by reason.").build();
      walCorrupt = meter.counterBuilder(p + "wal_corruptions").setDescription("Corrupt WAL items found at start-up, by kind.").build();
      walNotDurable = meter.counterBuilder(p + "wal_not_durable_samples")
          .setDescription("Samples accepted while the WAL directory took no writes, kept in memory only, by reason.").build();
    }

    private Attributes with(String k, String v) {
      return attrs.toBuilder().put(AttributeKey.stringKey(k), v).build();
    }

    @Override
    public void request(String statusClass) {
      requests.add(1, with("status_class", statusClass));
      requestsByClass.merge(statusClass, 1L, Long::sum);
    }

    @Override
    public void retried() {
      retries.add(1, attrs);
      retriesTotal.incrementAndGet();
    }

    @Override
    public void sent(int samples) {
      sentBatches.add(1, attrs);
      writtenSamples.add(samples, attrs);
    }

    @Override
    public void dropped(String reason, long samples) {
      dropped.add(samples, with("reason", reason));
      droppedTotal.addAndGet(samples);
      droppedByReason.merge(reason, samples, Long::sum);
      if (!reason.equals("max_age") && !reason.equals("disk_limit") && !reason.equals("shutdown")) {
        permanentFailures.incrementAndGet();
      }
    }

    @Override
    public void corrupt(String what, long count) {
      walCorrupt.add(count, with("kind", what));
      corruptTotal.addAndGet(count);
      corruptKinds.merge(what, count, Long::sum);
    }

    @Override
    public void notDurable(String reason, long samples) {
      walNotDurable.add(samples, with("reason", reason));
      notDurableTotal.addAndGet(samples);
    }

    @Override
    public void diskFailed(String reason, IOException cause) {
      walFailing = reason;
      walFullLogged.set(false);
      logger.log(System.Logger.Level.WARNING, "exporter " + id + ": cannot write to the WAL in " + walDir + " (" + reason + ": "
          + cause.getMessage() + "); sending new batches from memory, without durability, until the directory takes writes"
          + " again (checked every second; up to " + walMemoryRecords + " batches are kept, later ones are dropped);"
          + " counted in otelcol_exporter_prometheusremotewrite_wal_not_durable_samples");
      status(ComponentStatus.RECOVERABLE_ERROR, "cannot write to the WAL in " + walDir + " (" + reason + ": " + osReason(cause)
          + "); batches are sent from memory without durability (up to " + walMemoryRecords + " kept) until it takes writes again");
    }

    /** The batches kept in memory are full too: new batches are refused. */
    void walRefusing(String reason, IOException cause) {
      status(ComponentStatus.RECOVERABLE_ERROR, "cannot write to the WAL in " + walDir + " (" + reason + ": " + osReason(cause)
          + ") and the " + walMemoryRecords + " batches kept in memory are full: new batches are dropped");
    }

    /** Reports a status change to health_check (and any other status watcher). */
    void status(ComponentStatus status, String error) {
      Host h = host;
      if (h != null) {
        h.reportStatus(new StatusEvent(componentId, ComponentKind.EXPORTER, status, error, java.time.Instant.now()));
      }
    }

    /** The operating system's words for a failure, without file names (e.g. "Read-only file system"). */
    static String osReason(IOException e) {
      Throwable t = e instanceof Wal.FullException && e.getCause() instanceof IOException c ? c : e;
      if (t instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
        return f.getReason();
      }
      return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void diskRecovered(long notDurableSamples) {
      walFailing = null;
      logger.log(System.Logger.Level.INFO, "exporter " + id + ": the WAL in " + walDir + " takes writes again; "
          + notDurableSamples + " samples were accepted meanwhile without durability");
      status(ComponentStatus.OK, null);
    }

    /** Corrupt items found so far, by kind, in first-seen order; cleared by the call. */
    Map<String, Long> takeCorruptKinds() {
      Map<String, Long> m = new java.util.LinkedHashMap<>(corruptKinds);
      corruptKinds.clear();
      return m;
    }
  }

  @Override
  public void start(Host host) throws Exception {
    HttpClientAuthenticator auth = null;
    if (config.authenticator() != null) {
      Optional<Extension> ext = host.extension(config.authenticator());
      if (ext.isEmpty()) {
        throw new IllegalStateException("exporters::" + settings.id() + "::auth::authenticator: extension \"" + config.authenticator()
            + "\" is not configured or not enabled in service::extensions");
      }
      if (!(ext.get() instanceof HttpClientAuthenticator a)) {
        throw new IllegalStateException("exporters::" + settings.id() + "::auth::authenticator: extension \"" + config.authenticator()
            + "\" cannot authenticate HTTP requests; use sigv4auth");
      }
      auth = a;
    }
    int shards = Math.max(1, config.queue().numConsumers());
    Backoff backoff = new Backoff(config.retry().initialInterval(), config.retry().randomizationFactor(), config.retry().multiplier(),
        config.retry().maxInterval());
    long maxAgeMillis = config.wal() == null ? 0 : config.wal().maxAge().toMillis();
    sharder = new Sharder(settings.id().toString(), URI.create(config.endpoint()), config, settings.buildInfo().userAgent(), auth,
        shards, backoff, config.wal() != null, maxAgeMillis, counters, rateLimited, this::recordDone);
    metrics.registerQueue(this::queueSize, () -> config.wal() != null ? config.wal().bufferSize() : config.queue().queueSize());
    if (config.wal() == null) {
      sharder.holdInMemory(queuedBytes::addAndGet, compressQueued);
      sharder.recyclePayloads(payloadPool::give);
      settings.meter().gaugeBuilder("otelcol_exporter_prometheusremotewrite_queue_size_bytes").ofLongs().setUnit("By")
          .setDescription("Bytes held by the in-memory sending queue (batches that wait are kept snappy-compressed).")
          .buildWithCallback(m -> m.record(queuedBytes.get(), metrics.attributes()));
      settings.meter().gaugeBuilder("otelcol_exporter_prometheusremotewrite_queue_capacity_bytes").ofLongs().setUnit("By")
          .setDescription("Byte bound of the in-memory sending queue (1/8 of the heap, 2-256 MiB).")
          .buildWithCallback(m -> m.record(memQueueBytes, metrics.attributes()));
    }
    if (config.wal() != null) {
      Path dir = Path.of(config.wal().directory()).resolve(settings.id().toString().replace('/', '_'));
      counters.walDir = dir;
      counters.host = host;
      counters.componentId = settings.id();
      counters.walMemoryRecords = config.wal().bufferSize();
      try {
        wal = new Wal(dir, config.wal().maxDiskUsage(), maxAgeMillis, config.wal().bufferSize(), counters);
      } catch (IOException e) {
        throw new IllegalStateException("exporters::" + settings.id() + "::wal::directory: cannot create or write the WAL in " + dir
            + " (" + Wal.describe(e) + "); make \"" + config.wal().directory() + "\" a writable directory with free space"
            + " for the collector's user (for example a mounted volume), or remove the wal section to queue in memory", e);
      }
      Map<String, Long> corrupt = counters.takeCorruptKinds();
      if (!corrupt.isEmpty()) {
        // One line per start-up: what recovery found and discarded; the intact records are kept.
        logger.log(System.Logger.Level.WARNING, "exporter " + settings.id() + ": the WAL in " + dir
            + " had corrupt or torn data " + corrupt + "; kept every intact record and discarded the damaged bytes"
            + " (counted in otelcol_exporter_prometheusremotewrite_wal_corruptions)");
      }
      settings.meter().gaugeBuilder("otelcol_exporter_prometheusremotewrite_wal_write_failing").ofLongs()
          .setDescription("1 while the WAL directory takes no writes (disk full, read-only) and batches are kept in memory.")
          .buildWithCallback(m -> m.record(counters.walFailing == null ? 0 : 1, metrics.attributes()));
      settings.meter().gaugeBuilder("otelcol_exporter_prometheusremotewrite_wal_size_bytes").ofLongs().setUnit("By")
          .buildWithCallback(m -> m.record(wal.sizeBytes(), metrics.attributes()));
      settings.meter().gaugeBuilder("otelcol_exporter_prometheusremotewrite_wal_oldest_unsent_age_seconds").setUnit("s")
          .buildWithCallback(m -> {
            long t = wal.oldestUnackedMillis();
            m.record(t < 0 ? 0 : (System.currentTimeMillis() - t) / 1000.0, metrics.attributes());
          });
      walReader = Thread.ofPlatform().name("prw-wal-reader-" + settings.id()).daemon().start(this::readWal);
      walTruncator = Thread.ofPlatform().name("prw-wal-truncate-" + settings.id()).daemon().start(this::truncateLoop);
    }
    sharder.start();
    started = true;
  }

  private long queueSize() {
    return queuedRecords.get();
  }

  /** An eighth of the heap, within 4..64 MiB: 4 MiB in the 96 MiB ECS sidecar's 32 MiB heap. */
  static long defaultReadAheadBytes() {
    long eighth = Runtime.getRuntime().maxMemory() / 8;
    return Math.max(4L << 20, Math.min(64L << 20, eighth));
  }

  /** An eighth of the heap, within 2..256 MiB: 4 MiB in the 96 MiB ECS sidecar's 32 MiB heap. */
  static long defaultMemQueueBytes() {
    long eighth = Runtime.getRuntime().maxMemory() / 8;
    return Math.max(2L << 20, Math.min(256L << 20, eighth));
  }

  /** Test hook: a smaller in-memory queue byte bound. */
  void memQueueBytesForTest(long bytes) {
    memQueueBytes = bytes;
  }

  /** Test hook: whether batches that wait are kept compressed (on by default). */
  void compressQueuedForTest(boolean on) {
    compressQueued = on;
    sharder.holdInMemory(queuedBytes::addAndGet, on);
  }

  /** Bytes the in-memory queue holds (compressed where batches wait). */
  long queuedBytesForTest() {
    return queuedBytes.get();
  }

  /** Test hook: a smaller read-ahead byte bound. */
  void walReadAheadBytesForTest(long bytes) {
    synchronized (inflight) {
      walReadAheadBytes = bytes;
    }
  }

  /** The most bytes of WAL records held in memory at once so far. */
  long maxInflightBytesForTest() {
    synchronized (inflight) {
      return maxInflightBytes;
    }
  }

  private void readWal() {
    int buffer = config.wal().bufferSize();
    try {
      while (!stopping) {
        synchronized (inflight) {
          // At least one record is always let through, however large.
          while ((inflight.size() >= buffer || (!inflight.isEmpty() && inflightBytes >= walReadAheadBytes)) && !stopping) {
            inflight.wait(200);
          }
        }
        if (stopping) {
          return;
        }
        Record r = wal.next(200);
        if (r == null) {
          continue;
        }
        synchronized (inflight) {
          inflight.put(r.seq(), r);
          inflightBytes += r.payloadBytes();
          maxInflightBytes = Math.max(maxInflightBytes, inflightBytes);
        }
        queuedRecords.incrementAndGet();
        if (!sharder.dispatch(r)) {
          // Stopping: never acknowledged (it stays in inflight), so it stays in the WAL.
          queuedRecords.decrementAndGet();
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      logger.log(System.Logger.Level.ERROR, "WAL reader stopped: " + e, e);
    }
  }

  private void truncateLoop() {
    long period = config.wal().truncateFrequency().toMillis();
    boolean failing = false;
    while (!stopping) {
      try {
        Thread.sleep(period);
        wal.truncate();
        failing = false;
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        // Logged when it starts failing, not at every period (on a full disk: until space returns).
        if (!failing) {
          logger.log(System.Logger.Level.WARNING, "exporter " + settings.id() + ": cannot write the WAL checkpoint ("
              + Wal.describe(e) + "); acknowledged segments are still deleted, the checkpoint is retried every "
              + config.wal().truncateFrequency().toMillis() + "ms");
        }
        failing = true;
      }
    }
  }

  private void recordDone(Record r, long ok, long failed) {
    queuedRecords.decrementAndGet();
    if (wal == null) {
      queuedBytes.addAndGet(-r.heldBytes());
    }
    long total = ok + failed;
    if (total > 0) {
      long okPoints = Math.round((double) recordPoints(r) * ok / total);
      if (okPoints > 0) {
        metrics.sent(okPoints);
      }
      if (recordPoints(r) - okPoints > 0) {
        metrics.sendFailed(recordPoints(r) - okPoints);
      }
    }
    if (wal != null) {
      long watermark;
      synchronized (inflight) {
        if (inflight.remove(r.seq()) != null) {
          inflightBytes -= r.payloadBytes();
        }
        watermark = inflight.isEmpty() ? wal.readSeq() : Math.min(inflight.firstKey(), wal.readSeq());
        inflight.notifyAll();
      }
      wal.ack(watermark);
    }
    Sharder.complete(r);
  }

  private static int recordPoints(Record r) {
    return Sharder.otelPoints(r);
  }

  @Override
  public void consume(MetricsBatch batch) throws ConsumerException {
    if (!started || stopping) {
      throw new ConsumerException("exporter " + settings.id() + " is not running", false, batch.dataPointCount());
    }
    Translator.Result res = translators.get().translate(batch);
    if (!res.errors().isEmpty()) {
      counters.failedTranslations.add(res.errors().size(), counters.attrs);
      for (String e : res.errors()) {
        rateLimited.log(System.Logger.Level.DEBUG, "translate:" + e, "failed to translate metrics: " + e);
      }
    }
    if (res.series().size() == 0) {
      return;
    }
    counters.translatedSeries.add(res.series().size(), counters.attrs);
    // Sized once: growing by doubling copied a scrape's payload several times over. A large
    // payload is written into an array from the pool (see PayloadPool), given back once sent.
    int size = (int) Math.min(Integer.MAX_VALUE - 16, Payload.size(res.series().series()));
    boolean pooled = size >= PayloadPool.MIN_BYTES;
    ByteBuf buf = pooled ? ByteBuf.wrap(payloadPool.take(size)) : buffers.get();
    buf.reset();
    buf.ensure(size);
    Payload.encode(res.series().series(), buf);
    int samples = res.series().sampleCount();
    long now = System.currentTimeMillis();
    Record r;
    if (wal != null) {
      try {
        wal.append(buf.array(), buf.length(), res.otelPoints(), samples, now);
      } catch (IOException e) {
        // The directory takes no writes and the batches kept in memory meanwhile fill the buffer.
        String reason = e instanceof Wal.FullException f ? f.reason() : Wal.classify(e);
        metrics.enqueueFailed(res.otelPoints());
        counters.dropped(reason, samples);
        if (counters.walFullLogged.compareAndSet(false, true)) {
          logger.log(System.Logger.Level.ERROR, "exporter " + settings.id() + ": dropping batches: " + e.getMessage()
              + "; counted in otelcol_exporter_prometheusremotewrite_dropped_samples{reason=\"" + reason
              + "\"} (logged once until the WAL takes writes again)");
          counters.walRefusing(reason, e);
        }
        throw new ConsumerException("cannot write to the WAL: " + e.getMessage(), false, res.otelPoints(), e);
      } finally {
        if (pooled) {
          payloadPool.give(buf.array());
        } else {
          releaseIfLarge(buf);
        }
      }
      return;
    }
    // A batch that will wait (a shard is retrying, or the queue is backed up) is kept compressed,
    // and that size counts against the byte bound; with the back end keeping up nothing is
    // compressed here, the shards compress each request as before.
    boolean compress = config.queue().enabled() && compressQueued
        && (sharder.retrying() || queuedBytes.get() >= memQueueBytes / COMPRESS_ABOVE_FRACTION);
    byte[] payload = compress ? null : pooled ? buf.array() : takeOrCopy(buf);
    r = new Record(memSeq.getAndIncrement(), now, payload, compress ? 0 : buf.length(), res.otelPoints(), samples);
    Sharder.Split split = sharder.split(r, compress ? buf.array() : payload, buf.length(), compress);
    if (!pooled) {
      releaseIfLarge(buf);
    } else if (compress) {
      payloadPool.give(buf.array()); // the chunks hold compressed copies
    }
    long bytes = split.heldBytes();
    if (config.queue().enabled()) {
      int queued = queuedRecords.incrementAndGet();
      long queuedNow = queuedBytes.addAndGet(bytes);
      // At least one batch is always taken, however large.
      if (queued > config.queue().queueSize() || (queued > 1 && queuedNow > memQueueBytes)) {
        queuedRecords.decrementAndGet();
        queuedBytes.addAndGet(-bytes);
        metrics.enqueueFailed(res.otelPoints());
        counters.dropped("queue_full", samples);
        rateLimited.log(System.Logger.Level.WARNING, "queue_full", "exporter " + settings.id()
            + ": sending queue is full (" + (queued - 1) + " batches holding " + (queuedNow - bytes) + " bytes, kept"
            + " snappy-compressed while they wait; limits: queue_size " + config.queue().queueSize() + ", " + memQueueBytes
            + " bytes = 1/8 of the heap); dropping " + samples
            + " samples, counted in otelcol_exporter_prometheusremotewrite_dropped_samples{reason=\"queue_full\"}."
            + " A wal section keeps the backlog on disk instead");
        throw new ConsumerException("sending queue is full", false, res.otelPoints());
      }
    } else {
      queuedRecords.incrementAndGet();
      queuedBytes.addAndGet(bytes);
    }
    if (!sharder.dispatch(split)) {
      // The shutdown began after the check above: refused like any batch that comes after it, not
      // accepted and then lost uncounted.
      queuedRecords.decrementAndGet();
      queuedBytes.addAndGet(-bytes);
      throw new ConsumerException("exporter " + settings.id() + " is not running", false, res.otelPoints());
    }
    if (!config.queue().enabled()) {
      try {
        Sharder.await(r, config.timeout().toMillis() + config.retry().maxElapsedTime().toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The encoded batch as an array of its own: the buffer's array itself when the batch fills it
   * exactly (a large batch: the buffer was sized for it before encoding), the buffer then being
   * given up by this thread; otherwise a copy.
   */
  private byte[] takeOrCopy(ByteBuf buf) {
    if (buf.length() == buf.capacity()) {
      buffers.remove();
      return buf.array();
    }
    return buf.toByteArray();
  }

  private void releaseIfLarge(ByteBuf buf) {
    if (buf.capacity() > MAX_KEPT_BUFFER_BYTES) {
      buffers.remove();
    }
  }

  /** Heap held between batches: the calling thread's encode buffer and the shards' (for tests). */
  long retainedBytes() {
    return buffers.get().capacity() + (sharder == null ? 0 : sharder.retainedBytes());
  }

  /** Test hook, before start: a payload pool of this budget (0: none) whatever the heap. */
  void payloadPoolForTest(long budget) {
    payloadPool = new PayloadPool(budget);
  }

  /** Bytes of payload arrays kept for reuse (none in heaps below 1 GiB; see PayloadPool). */
  long pooledBytes() {
    return payloadPool.heldBytes();
  }

  @Override
  public void shutdown(Duration timeout) throws Exception {
    if (!started) {
      return;
    }
    started = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    stopping = wal != null; // the WAL reader stops at once; in-memory queues drain first
    if (walReader != null) {
      // Not interrupted: an interrupt during a read closes the WAL's file channel (and logged an
      // error at every stop). The reader polls and sees `stopping` within 200 ms.
      walReader.join(1000);
    }
    sharder.drain(deadline);
    stopping = true;
    // Every sample dispatched and not counted as sent or dropped, wherever a shard held it.
    long lost = sharder.stop(deadline);
    if (wal == null && lost > 0) {
      counters.dropped("shutdown", lost);
      logger.log(System.Logger.Level.WARNING, "exporter " + settings.id() + " shut down with " + lost
          + " samples unsent (no WAL configured); they are lost");
    }
    if (wal == null) {
      sharder.abandonUnfinished(); // their points count as failed; a consume waiting on one returns
    }
    if (walTruncator != null) {
      // Joined before close(): both write the checkpoint, and must not do it at the same time.
      walTruncator.interrupt();
      walTruncator.join(5000);
    }
    if (wal != null) {
      // Batches accepted while the WAL directory took no writes exist only in memory: unsent, they are lost.
      long memLost = wal.unackedMemorySamples();
      if (memLost > 0) {
        counters.dropped("shutdown", memLost);
        logger.log(System.Logger.Level.WARNING, "exporter " + settings.id() + " shut down with " + memLost
            + " samples unsent that were accepted while the WAL directory took no writes (kept in memory only); they are lost");
      }
      try {
        wal.close();
      } catch (IOException e) {
        // e.g. the disk is still full: the segments are closed, only the last acknowledgement is not on disk
        logger.log(System.Logger.Level.WARNING, "exporter " + settings.id() + ": cannot write the WAL checkpoint at shutdown ("
            + Wal.describe(e) + "); the next start sends again what was acknowledged since the last checkpoint");
      }
    }
  }

  /**
   * Simulates a process crash for tests: stops every thread without draining, acknowledging or
   * closing the WAL, as a SIGKILL would.
   */
  void crashForTest() throws InterruptedException {
    started = false;
    stopping = true;
    if (walReader != null) {
      walReader.join(1000);
    }
    if (walTruncator != null) {
      walTruncator.interrupt();
      walTruncator.join(5000);
    }
    sharder.stop();
  }

  long queueSizeForTest() {
    return queueSize();
  }

  long droppedSamples() {
    return counters.droppedTotal.get();
  }

  long retriesTotal() {
    return counters.retriesTotal.get();
  }

  long corruptTotal() {
    return counters.corruptTotal.get();
  }

  long notDurableSamples() {
    return counters.notDurableTotal.get();
  }

  Map<String, Long> droppedByReason() {
    return Map.copyOf(counters.droppedByReason);
  }

  Map<String, Long> requestsByClass() {
    return Map.copyOf(counters.requestsByClass);
  }

  String walFailing() {
    return counters.walFailing;
  }

  long walMemoryRecordsForTest() {
    return wal == null ? 0 : wal.memoryRecords();
  }

  Map<String, Long> debugCounts() {
    return Map.of("dropped", droppedSamples(), "retries", retriesTotal(), "corrupt", corruptTotal());
  }
}
