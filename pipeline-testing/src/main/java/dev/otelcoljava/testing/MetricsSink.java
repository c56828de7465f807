package dev.otelcoljava.testing;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A consumer that keeps every batch it is given, for assertions. Thread-safe. */
public final class MetricsSink implements MetricsConsumer {
  private final List<MetricsBatch> batches = new ArrayList<>();
  private volatile ConsumerException failWith;

  @Override
  public synchronized void consume(MetricsBatch batch) {
    if (failWith != null) {
      throw failWith;
    }
    batches.add(batch);
    notifyAll();
  }

  /** Makes later calls throw (null: accept again). */
  public void failWith(ConsumerException e) {
    this.failWith = e;
  }

  public synchronized List<MetricsBatch> batches() {
    return new ArrayList<>(batches);
  }

  public synchronized void clear() {
    batches.clear();
  }

  public synchronized int dataPointCount() {
    int n = 0;
    for (MetricsBatch b : batches) {
      n += b.dataPointCount();
    }
    return n;
  }

  /** Every metric received, in order. */
  public synchronized List<Metric> allMetrics() {
    List<Metric> out = new ArrayList<>();
    for (MetricsBatch b : batches) {
      for (ResourceMetrics r : b.resourceMetrics()) {
        for (ScopeMetrics s : r.scopeMetrics()) {
          out.addAll(s.metrics());
        }
      }
    }
    return out;
  }

  /** Waits until at least {@code n} batches arrived; fails after the timeout. */
  public synchronized void awaitBatches(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (batches.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + n + " batches within " + timeout + ", got " + batches.size());
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
