package dev.otelcoljava.receiver.awsecscontainermetrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.LongCounter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls the task metadata endpoint every {@code collection_interval} (the first collection one
 * interval after start, as upstream's ticker) on one daemon thread. A failed fetch logs {@code
 * Failed to collect stats} (at most once a minute), counts the failure, emits nothing and the next
 * tick tries again. A slow endpoint never stacks collections: a fixed-delay schedule waits for the
 * previous one.
 */
final class EcsContainerMetricsReceiver implements Receiver {
  private static final AttributeKey<String> RECEIVER = AttributeKey.stringKey("receiver");
  private static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("transport");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final CreateSettings settings;
  private final AwsEcsContainerMetricsConfig config;
  private final TaskMetadataClient client;
  private final MetricsConsumer next;
  private final EcsMetricsBuilder builder;
  private final RateLimitedLogger rateLimited;
  private final System.Logger logger;
  private final LongCounter fetchErrors;
  private final io.opentelemetry.api.common.Attributes baseAttrs;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private ScheduledExecutorService scheduler;
  private ScheduledFuture<?> task;

  EcsContainerMetricsReceiver(CreateSettings settings, AwsEcsContainerMetricsConfig config,
      TaskMetadataClient client, MetricsConsumer next) {
    this.settings = settings;
    this.config = config;
    this.client = client;
    this.next = next;
    this.logger = settings.logger();
    this.builder = new EcsMetricsBuilder(logger);
    this.rateLimited = new RateLimitedLogger(logger, Duration.ofMinutes(1));
    // otelcol_receiver_accepted/refused_metric_points are counted by the runtime around every
    // receiver's consumer; counting them here too would double them.
    this.fetchErrors = settings.meter()
        .counterBuilder("otelcol_receiver_awsecscontainermetrics_fetch_errors")
        .setDescription("Failed reads of the ECS task metadata endpoint, by reason"
            + " (connection, timeout, http_status, parse).").build();
    this.baseAttrs = io.opentelemetry.api.common.Attributes.of(
        RECEIVER, settings.id().toString(), TRANSPORT, "http");
  }

  @Override
  public synchronized void start(Host host) {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "awsecscontainermetrics-" + settings.id());
      t.setDaemon(true);
      return t;
    });
    long period = config.collectionInterval().toNanos();
    task = scheduler.scheduleWithFixedDelay(this::collectSafely, period, period, TimeUnit.NANOSECONDS);
  }

  private void collectSafely() {
    try {
      collect();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // Never let an unexpected error cancel the schedule.
      failures.incrementAndGet();
      fetchErrors.add(1, baseAttrs.toBuilder().put(REASON, "internal").build());
      rateLimited.log(System.Logger.Level.ERROR, "collect", "Failed to collect stats: " + e, e);
    }
  }

  /** One collection: fetch, convert, hand on. Returns the batch sent, or null on a fetch error. */
  MetricsBatch collect() throws InterruptedException {
    JsonNode taskJson;
    JsonNode statsJson;
    try {
      taskJson = client.task();
      statsJson = client.stats();
    } catch (TaskMetadataClient.FetchException e) {
      failures.incrementAndGet();
      fetchErrors.add(1, baseAttrs.toBuilder().put(REASON, e.reason).build());
      rateLimited.log(System.Logger.Level.WARNING, "fetch",
          "Failed to collect stats: " + e.getMessage());
      return null;
    }
    MetricsBatch batch = builder.build(taskJson, statsJson, System.currentTimeMillis() * 1_000_000L);
    collections.incrementAndGet();
    try {
      next.consume(batch);
    } catch (ConsumerException e) {
      rateLimited.log(System.Logger.Level.WARNING, "consume",
          "Failed to send the ECS metrics to the pipeline: " + e.getMessage());
    }
    return batch;
  }

  /** Fetch failures so far (for tests and diagnostics). */
  long failures() {
    return failures.get();
  }

  /** Successful collections so far. */
  long collections() {
    return collections.get();
  }

  @Override
  public synchronized void shutdown(Duration timeout) throws InterruptedException {
    if (scheduler == null) {
      return;
    }
    if (task != null) {
      task.cancel(true);
    }
    scheduler.shutdownNow();
    scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    scheduler = null;
  }
}
