package dev.otelcoljava.exporter.otlp;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterMetrics;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * otelcol's exporterhelper for the OTLP exporters: an optional bounded in-memory queue ({@code
 * sending_queue}, drained by {@code num_consumers} threads) in front of a retry loop ({@code
 * retry_on_failure}: exponential backoff with jitter, the server's throttle delay as a floor, given
 * up after {@code max_elapsed_time}). Without a queue, {@link #consume} sends synchronously and
 * throws the final error. Counts sent, send-failed and enqueue-failed points. On shutdown the queue
 * is drained until the timeout; what is left is counted as failed and logged. Thread-safe.
 */
final class QueuedRetryExporter implements Exporter {
  /** Creates the sender at start (when extensions are available). */
  interface SenderFactory {
    Sender create(Host host) throws Exception;
  }

  private record Item(ExportMetricsServiceRequest request, int points) {}

  private final CreateSettings settings;
  private final CommonConfig.Queue queueCfg;
  private final CommonConfig.Retry retry;
  private final SenderFactory senderFactory;
  private final ExporterMetrics metrics;
  private final RateLimitedLogger rlog;
  private final ArrayBlockingQueue<Item> queue;
  private final List<Thread> consumers = new ArrayList<>();
  private volatile Sender sender;
  private volatile boolean stopping;
  private final Object sleeper = new Object();

  QueuedRetryExporter(CreateSettings settings, CommonConfig.Queue queueCfg, CommonConfig.Retry retry, SenderFactory senderFactory) {
    this.settings = settings;
    this.queueCfg = queueCfg;
    this.retry = retry;
    this.senderFactory = senderFactory;
    this.metrics = ExporterMetrics.create(settings);
    this.rlog = new RateLimitedLogger(settings.logger(), Duration.ofSeconds(10));
    this.queue = queueCfg.enabled() ? new ArrayBlockingQueue<>(queueCfg.queueSize()) : null;
    if (queue != null) {
      metrics.registerQueue(queue::size, queueCfg::queueSize);
    }
  }

  @Override
  public synchronized void start(Host host) throws Exception {
    sender = senderFactory.create(host);
    if (queue != null) {
      for (int i = 0; i < queueCfg.numConsumers(); i++) {
        Thread t = Thread.ofPlatform().daemon().name(settings.id() + "-sender-" + i).start(this::drain);
        consumers.add(t);
      }
    }
  }

  @Override
  public void consume(MetricsBatch batch) {
    int points = batch.dataPointCount();
    ExportMetricsServiceRequest req = OtlpConverter.toRequest(batch);
    if (queue == null) {
      Sender.Result r = sendWithRetry(req, points);
      if (!r.ok()) {
        throw new ConsumerException("sending to " + settings.id() + " failed: " + r.error(), !r.retryable(), points);
      }
      return;
    }
    if (stopping) {
      metrics.enqueueFailed(points);
      throw new ConsumerException("exporter " + settings.id() + " is shutting down", false, points);
    }
    boolean added;
    if (queueCfg.blockOnOverflow()) {
      try {
        queue.put(new Item(req, points));
        added = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        added = false;
      }
    } else {
      added = queue.offer(new Item(req, points));
    }
    if (!added) {
      metrics.enqueueFailed(points);
      rlog.log(System.Logger.Level.WARNING, "queue-full", "sending queue is full (" + queueCfg.queueSize() + " batches); dropping "
          + points + " points");
      throw new ConsumerException("sending queue is full", false, points);
    }
  }

  private void drain() {
    while (true) {
      Item it;
      try {
        it = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (it == null) {
        if (stopping) {
          return;
        }
        continue;
      }
      sendWithRetry(it.request, it.points);
    }
  }

  /** Sends with retries; counts the result; never throws. */
  Sender.Result sendWithRetry(ExportMetricsServiceRequest req, int points) {
    long start = System.nanoTime();
    double interval = retry.initialInterval().toNanos();
    while (true) {
      Sender.Result r;
      try {
        r = sender.send(req);
      } catch (RuntimeException e) {
        r = Sender.Result.permanent("internal error: " + e);
      }
      if (r.ok()) {
        metrics.sent(points);
        return r;
      }
      if (!r.retryable() || !retry.enabled() || stopping) {
        return fail(r, points, r.retryable() && retry.enabled() ? " (shutting down)" : "");
      }
      // Backoff with jitter in [interval*(1-f), interval*(1+f)]; a server-requested delay is a floor.
      double f = retry.randomizationFactor();
      long backoff = (long) (interval * (1 - f) + ThreadLocalRandom.current().nextDouble() * (2 * f * interval + 1));
      if (r.throttle() != null) {
        backoff = Math.max(backoff, r.throttle().toNanos());
      }
      long elapsed = System.nanoTime() - start;
      long maxElapsed = retry.maxElapsedTime().toNanos();
      if (maxElapsed > 0 && elapsed + backoff > maxElapsed) {
        return fail(r, points, " (no more retries left: max_elapsed_time " + goDuration(retry.maxElapsedTime()) + " reached)");
      }
      rlog.log(System.Logger.Level.INFO, "retry", "Exporting failed. Will retry the request after interval. error=" + r.error()
          + " interval=" + goDuration(Duration.ofNanos(backoff)));
      if (!sleep(backoff)) {
        return fail(r, points, " (shutting down)");
      }
      interval = Math.min(interval * retry.multiplier(), retry.maxInterval().toNanos());
    }
  }

  private Sender.Result fail(Sender.Result r, int points, String suffix) {
    metrics.sendFailed(points);
    rlog.log(System.Logger.Level.ERROR, "failed", "Exporting failed. Dropping data. " + (r.retryable() ? "" : "Not retryable error: ")
        + r.error() + suffix + " dropped_items=" + points);
    return r;
  }

  private boolean sleep(long nanos) {
    long deadline = System.nanoTime() + nanos;
    synchronized (sleeper) {
      while (!stopping) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(sleeper, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  /** A duration as otelcol prints it: 200ms, 5s, 1.5s, 2m30s. */
  static String goDuration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    long m = ms / 60_000;
    long restMs = ms % 60_000;
    String sec = restMs % 1000 == 0 ? Long.toString(restMs / 1000) : java.math.BigDecimal.valueOf(restMs, 3).stripTrailingZeros().toPlainString();
    return m > 0 ? m + "m" + sec + "s" : sec + "s";
  }

  /** Test hook: batches waiting in the queue. */
  int queued() {
    return queue == null ? 0 : queue.size();
  }

  @Override
  public synchronized void shutdown(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (queue != null && !consumers.isEmpty()) {
      // Let the consumers drain what is queued until the deadline, then stop retries.
      while (!queue.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
    stopping = true;
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
    for (Thread t : consumers) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    consumers.clear();
    if (queue != null) {
      long lost = 0;
      Item it;
      while ((it = queue.poll()) != null) {
        lost += it.points;
      }
      if (lost > 0) {
        metrics.sendFailed(lost);
        settings.logger().log(System.Logger.Level.ERROR, "shutdown deadline reached with " + lost + " points still queued; they are dropped");
      }
    }
    Sender s = sender;
    if (s != null) {
      s.close();
      sender = null;
    }
  }

}
