package dev.otelcoljava.processor.batch;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accumulates batches and sends them from one worker thread when {@code send_batch_size} points are
 * pending or {@code timeout} passed since the last send, splitting at {@code send_batch_max_size}.
 * {@link #consume} never blocks on the next consumer and never fails (as in otelcol, the batch
 * processor does not propagate backpressure; send failures are logged). Thread-safe.
 */
final class BatchProcessor implements Processor {
  private final BatchConfig config;
  private final MetricsConsumer next;
  private final RateLimitedLogger logger;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final LongHistogram sendSize;
  private final LongCounter sizeTrigger;
  private final LongCounter timeoutTrigger;
  private final ObservableLongUpDownCounter cardinality;
  private final Attributes attrs;
  private MetricsBatch pending = new MetricsBatch();
  private int pendingItems;
  private boolean stopping;
  private Thread worker;
  private boolean closed;

  BatchProcessor(CreateSettings settings, BatchConfig config, MetricsConsumer next) {
    this.config = config;
    this.next = next;
    this.logger = new RateLimitedLogger(settings.logger(), Duration.ofMinutes(1));
    this.attrs = Attributes.of(AttributeKey.stringKey("processor"), settings.id().toString());
    this.sendSize = settings.meter().histogramBuilder("otelcol_processor_batch_batch_send_size")
        .setDescription("Number of units in the batch").setUnit("{units}").ofLongs().build();
    this.sizeTrigger = settings.meter().counterBuilder("otelcol_processor_batch_batch_size_trigger_send")
        .setDescription("Number of times the batch was sent due to a size trigger").setUnit("{times}").build();
    this.timeoutTrigger = settings.meter().counterBuilder("otelcol_processor_batch_timeout_trigger_send")
        .setDescription("Number of times the batch was sent due to a timeout trigger").setUnit("{times}").build();
    this.cardinality = settings.meter().upDownCounterBuilder("otelcol_processor_batch_metadata_cardinality")
        .setDescription("Number of distinct metadata value combinations being processed").setUnit("{combinations}")
        .buildWithCallback(m -> m.record(1, attrs));
    if (!config.metadataKeys().isEmpty()) {
      settings.logger().log(System.Logger.Level.WARNING, "metadata_keys " + config.metadataKeys()
          + " accepted, but receivers in otelcol-java pass no client metadata: all data shares one batcher");
    }
  }

  @Override
  public boolean mutatesData() {
    return true; // splitting moves points between batches
  }

  @Override
  public void start(Host host) {
    lock.lock();
    try {
      if (worker != null) {
        return;
      }
      worker = Thread.ofPlatform().daemon().name("batch-" + attrs.get(AttributeKey.stringKey("processor"))).unstarted(this::run);
      worker.start();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void consume(MetricsBatch batch) throws ConsumerException {
    int n = batch.dataPointCount();
    lock.lock();
    try {
      pending.resourceMetrics().addAll(batch.resourceMetrics());
      pendingItems += n;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean sizeReached() {
    return config.timeout().isZero() ? pendingItems > 0 || !pending.resourceMetrics().isEmpty()
        : config.sendBatchSize() > 0 && pendingItems >= config.sendBatchSize();
  }

  private void run() {
    long timeoutNanos = config.timeout().toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      MetricsBatch toSend = null;
      boolean bySize = false;
      boolean exit = false;
      lock.lock();
      try {
        while (!stopping && !sizeReached()) {
          if (timeoutNanos == 0) {
            changed.awaitUninterruptibly();
            continue;
          }
          long wait = deadline - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          try {
            changed.awaitNanos(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
          }
        }
        if (stopping) {
          if (pending.resourceMetrics().isEmpty()) {
            exit = true;
          } else {
            toSend = takeChunk();
          }
        } else if (sizeReached()) {
          toSend = takeChunk();
          bySize = true;
        } else if (!pending.resourceMetrics().isEmpty()) {
          toSend = takeChunk(); // timeout
        }
        if (!stopping) {
          deadline = System.nanoTime() + timeoutNanos;
        }
      } finally {
        lock.unlock();
      }
      if (exit) {
        return;
      }
      if (toSend != null) {
        send(toSend, bySize);
      }
    }
  }

  private MetricsBatch takeChunk() {
    int max = config.sendBatchMaxSize();
    MetricsBatch out;
    if (max > 0 && pendingItems > max) {
      out = Batches.take(pending, max);
      pendingItems -= max;
    } else {
      out = pending;
      pending = new MetricsBatch();
      pendingItems = 0;
    }
    return out;
  }

  private void send(MetricsBatch b, boolean bySize) {
    (bySize ? sizeTrigger : timeoutTrigger).add(1, attrs);
    sendSize.record(b.dataPointCount(), attrs);
    try {
      next.consume(b);
    } catch (RuntimeException e) {
      logger.log(System.Logger.Level.WARNING, "send", "Sender failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void shutdown(Duration timeout) throws InterruptedException {
    Thread w;
    lock.lock();
    try {
      stopping = true;
      changed.signalAll();
      w = worker;
    } finally {
      lock.unlock();
    }
    if (w == null) {
      // never started: flush on the caller's thread
      MetricsBatch rest;
      lock.lock();
      try {
        rest = pending;
        pending = new MetricsBatch();
        pendingItems = 0;
      } finally {
        lock.unlock();
      }
      if (!rest.resourceMetrics().isEmpty()) {
        send(rest, false);
      }
    } else {
      w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos())));
      if (w.isAlive()) {
        logger.log(System.Logger.Level.WARNING, "shutdown", "batch processor did not flush within " + timeout
            + "; pending data is dropped");
      }
    }
    synchronized (this) {
      if (!closed) {
        closed = true;
        cardinality.close();
      }
    }
  }
}
