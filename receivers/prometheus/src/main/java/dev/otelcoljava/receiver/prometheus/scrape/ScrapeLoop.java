package dev.otelcoljava.receiver.prometheus.scrape;

import dev.otelcoljava.receiver.prometheus.otlp.ScrapeException;
import dev.otelcoljava.receiver.prometheus.otlp.TargetMapper;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import io.opentelemetry.api.common.Attributes;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Scrapes one target at its interval on a virtual thread. Scrapes sit on the target's grid: the
 * slots at its stable offset within the interval (hash of its labels and URL XOR a per-process
 * seed, as Prometheus spreads targets). The first scrape (see {@link #firstScrapeDelay}) is either
 * early (within min(interval, 1 s), spread by the same offset; the loop then joins the grid at the
 * first slot at least half an interval later), or Prometheus' (the next grid slot, plus {@code
 * initial_scrape_offset}). Each scrape is bounded by the timeout (the HTTP client's header timeout
 * plus an interrupt from the shared timer for slow bodies). A scrape yields exactly one batch to
 * the consumer: its samples, staleness markers and the synthetic series, or on failure only
 * staleness markers and the synthetic series with up=0. With {@code scrape_on_shutdown}, a stop at
 * receiver shutdown makes one final scrape and hands it on before the loop ends.
 */
final class ScrapeLoop implements Runnable {
  private final Target target;
  private final ScrapePool pool;
  private final TargetMapper mapper;
  private final MetricsConsumer next;
  private final ScheduledExecutorService timer;
  private final ReceiverMetrics metrics;
  private final Attributes attrs;
  private final long offsetSeed;
  private final ScrapeOptions options;
  private final HttpScraper.Body body = new HttpScraper.Body();
  private final Object scrapeLock = new Object();
  private volatile boolean stopping;
  private boolean emitting; // guarded by scrapeLock
  private volatile boolean emitStaleOnStop;
  private volatile boolean finalScrapeOnStop;
  private boolean inScrape;
  private boolean timedOut;
  private Thread thread;
  private volatile String lastError;

  ScrapeLoop(Target target, ScrapePool pool, TargetMapper mapper, MetricsConsumer next,
      ScheduledExecutorService timer, ReceiverMetrics metrics, long offsetSeed, ScrapeOptions options) {
    this.target = target;
    this.pool = pool;
    this.mapper = mapper;
    this.next = next;
    this.timer = timer;
    this.metrics = metrics;
    this.attrs = metrics.target(target.job(), target.instance());
    this.offsetSeed = offsetSeed;
    this.options = options;
  }

  Target target() {
    return target;
  }

  /** The last scrape error, or null after a successful scrape. */
  String lastError() {
    return lastError;
  }

  void start() {
    thread = Thread.ofVirtual().name("scrape " + target.job() + " " + target.instance()).start(this);
  }

  /**
   * Asks the loop to stop; with {@code staleness} it emits staleness markers for all the target's
   * series (the target left discovery). Does not wait; see {@link #join}.
   */
  void stop(boolean staleness) {
    stop(staleness, false);
  }

  /**
   * Asks the loop to stop; with {@code finalScrape} (receiver shutdown with {@code
   * scrape_on_shutdown}) it first makes one more scrape, whatever the interval, and hands it on. A
   * scrape in flight is abandoned (the final one replaces it); a batch being handed on is not.
   */
  void stop(boolean staleness, boolean finalScrape) {
    emitStaleOnStop = staleness;
    finalScrapeOnStop = finalScrape;
    Thread t = thread;
    synchronized (scrapeLock) {
      // Set under the lock: once the loop has seen it, its final scrape cannot start before this
      // block has decided whether to interrupt (so the final scrape is never interrupted).
      stopping = true;
      // Never while the scrape is being handed on: an interrupt there reaches the consumers'
      // I/O (a FileChannel closes itself on it: the exporter's WAL lost the batch at SIGTERM).
      // Before a final scrape, only a scrape in flight is interrupted; a sleep is just unparked.
      if (t != null && !emitting && (!finalScrape || inScrape)) {
        t.interrupt();
      }
    }
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  boolean join(long millis) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    return t.join(java.time.Duration.ofMillis(millis));
  }

  /** Milliseconds from {@code nowMs} until this target's next slot on the interval grid. */
  static long initialDelay(long nowMs, long intervalMs, long hash, long seed) {
    long base = intervalMs - Math.floorMod(nowMs, intervalMs);
    long offset = hashedOffset(intervalMs, hash, seed);
    long next = base + offset;
    if (next > intervalMs) {
      next -= intervalMs;
    }
    return next;
  }

  /** The target's stable offset in [0, interval): its grid slots are the times t with t mod interval = offset. */
  static long hashedOffset(long intervalMs, long hash, long seed) {
    return Long.remainderUnsigned(hash ^ seed, intervalMs);
  }

  /**
   * The early first scrape's delay from the loop's start: the hashed offset scaled from the
   * interval down to min(interval, 1 s), so targets started together are spread over that window.
   */
  static long earlyDelay(long intervalMs, long hash, long seed) {
    long window = Math.min(intervalMs, 1000);
    return hashedOffset(intervalMs, hash, seed) * window / intervalMs;
  }

  /** The first slot of the target's grid at or after {@code tMs}. */
  static long gridSlotAtOrAfter(long tMs, long intervalMs, long hash, long seed) {
    return tMs + Math.floorMod(hashedOffset(intervalMs, hash, seed) - tMs, intervalMs);
  }

  /**
   * After an early first scrape at {@code firstMs}: the first grid slot at least half an interval
   * later (so the gap is in [interval/2, 1.5 intervals)).
   */
  static long slotAfterEarly(long firstMs, long intervalMs, long hash, long seed) {
    return gridSlotAtOrAfter(firstMs + (intervalMs + 1) / 2, intervalMs, hash, seed);
  }

  /**
   * Milliseconds from {@code nowMs} (the loop's start) to its first scrape: with a non-zero {@code
   * initial_scrape_offset}, that offset plus the delay to the next grid slot (upstream); else with
   * the early first scrape, {@link #earlyDelay}; else the next grid slot (Prometheus).
   */
  static long firstScrapeDelay(long nowMs, long intervalMs, long hash, long seed, ScrapeOptions options) {
    long offsetMs = options.initialScrapeOffset().toMillis();
    if (offsetMs > 0) {
      return offsetMs + initialDelay(nowMs, intervalMs, hash, seed);
    }
    if (options.earlyFirstScrape()) {
      return earlyDelay(intervalMs, hash, seed);
    }
    return initialDelay(nowMs, intervalMs, hash, seed);
  }

  /** Whether the first scrape is the early one (then the second goes to {@link #slotAfterEarly}). */
  static boolean early(ScrapeOptions options) {
    return options.earlyFirstScrape() && options.initialScrapeOffset().toMillis() <= 0;
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (RuntimeException | Error e) {
      pool.log().log(System.Logger.Level.ERROR, "died " + target.url(),
          "the scrape loop of " + target.publicLabels() + " stopped unexpectedly: " + e, e);
      throw e;
    }
  }

  private void loop() {
    long intervalMs = target.interval().toMillis();
    long startMs = System.currentTimeMillis();
    long nextMs = startMs + firstScrapeDelay(startMs, intervalMs, target.hash(), offsetSeed, options);
    boolean onGrid = !early(options);
    while (!stopping) {
      if (!sleepUntil(nextMs)) {
        break;
      }
      scrapeOnce(false);
      if (onGrid) {
        nextMs += intervalMs;
      } else {
        nextMs = slotAfterEarly(nextMs, intervalMs, target.hash(), offsetSeed);
        onGrid = true;
      }
      long now = System.currentTimeMillis();
      if (nextMs <= now) {
        // missed slots (a slow consumer or a paused VM): keep the phase, skip the backlog
        nextMs += ((now - nextMs) / intervalMs + 1) * intervalMs;
      }
    }
    Thread.interrupted();
    if (finalScrapeOnStop) {
      scrapeOnce(true);
    }
    if (emitStaleOnStop) {
      emit(mapper.stop(System.currentTimeMillis()));
    }
  }

  private boolean sleepUntil(long wallMs) {
    while (!stopping) {
      long left = wallMs - System.currentTimeMillis();
      if (left <= 0) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
      Thread.interrupted();
    }
    return false;
  }

  /** One scrape, handed on; {@code last}: the final scrape at shutdown (reported even if it times out). */
  void scrapeOnce(boolean last) {
    long startMs = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    mapper.beginScrape(startMs);
    metrics.scrapes.add(1, attrs);
    synchronized (scrapeLock) {
      inScrape = true;
      timedOut = false;
    }
    Thread self = Thread.currentThread();
    ScheduledFuture<?> deadline = timer.schedule(() -> {
      synchronized (scrapeLock) {
        if (inScrape) {
          timedOut = true;
          self.interrupt();
        }
      }
    }, target.timeout().toNanos(), TimeUnit.NANOSECONDS);
    ScrapeException failure = null;
    try {
      String forced = pool.forcedError();
      if (forced != null) {
        throw new ScrapeException("target_limit", forced);
      }
      body.acquire();
      pool.scraper().scrape(target.url(), target.timeout(), body);
      metrics.bodyBytes.add(body.len, attrs);
      metrics.wireBytes.add(body.wireBytes, attrs);
      mapper.appendBody(body.buf, body.len, body.contentType);
    } catch (ScrapeException e) {
      failure = e;
    } catch (InterruptedException e) {
      failure = new ScrapeException("timeout", "Get \"" + target.url() + "\": context deadline exceeded");
    } catch (RuntimeException e) {
      failure = new ScrapeException("internal", "scrape failed: " + e, e);
    } finally {
      body.release(); // parsed (or failed): the mapper keeps nothing of the bytes
      boolean wasTimedOut;
      synchronized (scrapeLock) {
        inScrape = false;
        wasTimedOut = timedOut;
      }
      deadline.cancel(false);
      Thread.interrupted();
      if (wasTimedOut && failure != null && !"timeout".equals(failure.reason())) {
        failure = new ScrapeException("timeout", "Get \"" + target.url() + "\": context deadline exceeded");
      }
    }
    if (!last && stopping && failure != null && "timeout".equals(failure.reason())) {
      return; // interrupted by stop(): the stop path reports
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    metrics.duration.record(seconds, attrs);
    MetricsBatch batch;
    if (failure == null) {
      lastError = null;
      metrics.samples.add(mapper.samplesScraped(), attrs);
      metrics.samplesPost.add(mapper.samplesPostMetricRelabeling(), attrs);
      batch = mapper.commit(new TargetMapper.Report(true, seconds));
      if (mapper.lastWarning() != null) {
        pool.log().log(System.Logger.Level.WARNING, "warn " + target.url(), "failed to add datapoint(s) for target "
            + target.publicLabels() + ": " + mapper.lastWarning() + " (" + mapper.droppedSeries() + " in this scrape)");
      }
    } else {
      lastError = failure.getMessage();
      metrics.failures.add(1, metrics.withReason(attrs, failure.reason()));
      pool.log().log(System.Logger.Level.WARNING, "fail " + target.url(), "Failed to scrape Prometheus endpoint: "
          + "target " + target.publicLabels() + " scrape_timestamp " + startMs + ": " + failure.getMessage());
      batch = mapper.fail(new TargetMapper.Report(false, seconds));
    }
    emit(batch);
  }

  private void emit(MetricsBatch batch) {
    if (batch == null) {
      return;
    }
    int points = batch.dataPointCount();
    synchronized (scrapeLock) {
      emitting = true;
      Thread.interrupted(); // a stop() that came just before: `stopping` says it, the flag must not reach the consumers
    }
    try {
      next.consume(batch);
    } catch (ConsumerException e) {
      metrics.refused.add(e.rejectedPoints() < 0 ? points : e.rejectedPoints(), attrs);
      pool.log().log(System.Logger.Level.WARNING, "refused " + target.url(),
          "the next consumer refused the scrape of " + target.publicLabels() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      metrics.refused.add(points, attrs);
      pool.log().log(System.Logger.Level.ERROR, "refused " + target.url(),
          "the next consumer failed on the scrape of " + target.publicLabels() + ": " + e, e);
    } finally {
      synchronized (scrapeLock) {
        emitting = false;
      }
    }
  }
}
