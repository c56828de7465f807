package dev.otelcoljava.receiver.awscontainerinsight;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects ECS instance metrics every {@code collection_interval} (the first collection one
 * interval after start, as upstream's ticker) on one daemon thread with a fixed delay, so a slow
 * source never stacks collections.
 *
 * <p>Each collection samples the host; until they are known it also asks the EC2 instance metadata
 * service (instance id, type, private IP) and the ECS agent's {@code /v1/metadata} (cluster,
 * container instance id); it reads {@code /v1/tasks} every time. A source that fails is counted
 * ({@code otelcol_receiver_awscontainerinsight_errors} by {@code source} and {@code reason}),
 * logged at most once a minute per source (with the number of messages suppressed meanwhile),
 * and tried again at the next collection; what it would
 * have given is left out meanwhile (with the agent down: no reserved capacity, no running task
 * count and, until first read, no ClusterName/ContainerInstanceId). A host that cannot be read
 * gives no metrics that collection.
 */
final class ContainerInsightReceiver implements Receiver {
  private static final AttributeKey<String> RECEIVER = AttributeKey.stringKey("receiver");
  private static final AttributeKey<String> SOURCE = AttributeKey.stringKey("source");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final CreateSettings settings;
  private final AwsContainerInsightConfig config;
  private final HostStats host;
  private final Ec2Metadata imds;
  private final EcsAgentClient agent;
  private final TaskReservations reservations;
  private final String nodeName;
  private final java.net.http.HttpClient http;
  private final MetricsConsumer next;
  private final InstanceMetricsBuilder builder = new InstanceMetricsBuilder();
  private final RateLimitedLogger rateLimited;
  private final System.Logger logger;
  private final LongCounter errors;
  private final AtomicLong collections = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private Ec2Metadata.Identity identity;
  private EcsAgentClient.InstanceInfo instanceInfo;
  private long numCores;
  private long memoryCapacity;
  private ScheduledExecutorService scheduler;
  private ScheduledFuture<?> task;

  ContainerInsightReceiver(CreateSettings settings, AwsContainerInsightConfig config, HostStats host,
      Ec2Metadata imds, EcsAgentClient agent, TaskReservations reservations, String nodeName,
      java.net.http.HttpClient http, MetricsConsumer next) {
    this.settings = settings;
    this.config = config;
    this.host = host;
    this.imds = imds;
    this.agent = agent;
    this.reservations = reservations;
    this.nodeName = nodeName;
    this.http = http;
    this.next = next;
    this.logger = settings.logger();
    this.rateLimited = new RateLimitedLogger(logger, Duration.ofMinutes(1));
    this.errors = settings.meter().counterBuilder("otelcol_receiver_awscontainerinsight_errors")
        .setDescription("Failed reads of a metrics source (host, ec2_metadata, ecs_agent),"
            + " by reason (io, connection, timeout, http_status, parse, internal).").build();
  }

  @Override
  public synchronized void start(Host h) {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "awscontainerinsightreceiver-" + settings.id());
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
      fail("internal", "internal", "Failed to collect the ECS instance metrics: " + e, e);
    }
  }

  /** One collection; returns the batch handed on, or null when the host could not be read. */
  MetricsBatch collect() throws InterruptedException {
    HostStats.Sample sample;
    try {
      if (numCores == 0 || memoryCapacity == 0) {
        numCores = host.numCores();
        memoryCapacity = host.memoryCapacity();
      }
      sample = host.sample();
    } catch (IOException | RuntimeException e) {
      fail("host", e instanceof IOException ? "io" : "parse",
          "Failed to read the host's resource usage under " + host.paths() + ": " + e, null);
      return null;
    }
    for (String p : sample.problems()) {
      fail("host", "io", p, null, "host_partial");
    }
    if (imds != null && identity == null) {
      try {
        identity = imds.identity();
      } catch (FetchException e) {
        fail("ec2_metadata", e.reason, "Failed to read the EC2 instance identity from "
            + imds.endpoint() + ": " + e.getMessage(), null);
      }
    }
    String ip = identity == null ? null : identity.privateIp();
    InstanceMetricsBuilder.EcsUsage usage = null;
    try {
      if (instanceInfo == null) {
        instanceInfo = agent.metadata(ip);
      }
      List<EcsAgentClient.Task> running = new ArrayList<>();
      for (EcsAgentClient.Task t : agent.tasks(ip)) {
        if (EcsAgentClient.RUNNING.equals(t.knownStatus())) {
          running.add(t);
        }
      }
      TaskReservations.Reserved r = reservations.of(running, instanceInfo.cluster());
      usage = new InstanceMetricsBuilder.EcsUsage(r.cpuUnits(), r.memoryBytes(), running.size());
    } catch (FetchException e) {
      fail("ecs_agent", e.reason, "Failed to call the ECS agent introspection API at "
          + agent.base(ip) + ": " + e.getMessage(), null);
    }
    InstanceMetricsBuilder.Decoration d = new InstanceMetricsBuilder.Decoration(
        identity == null ? null : identity.instanceId(), identity == null ? null : identity.instanceType(),
        "", instanceInfo == null ? null : instanceInfo.cluster(),
        instanceInfo == null ? null : instanceInfo.containerInstanceId(), nodeName);
    MetricsBatch batch = builder.build(sample, numCores, memoryCapacity, d, usage);
    collections.incrementAndGet();
    try {
      next.consume(batch);
    } catch (ConsumerException e) {
      rateLimited.log(System.Logger.Level.WARNING, "consume",
          "Failed to send the ECS instance metrics to the pipeline: " + e.getMessage());
    }
    return batch;
  }

  private void fail(String source, String reason, String message, Throwable t) {
    fail(source, reason, message, t, source);
  }

  private void fail(String source, String reason, String message, Throwable t, String logKey) {
    failures.incrementAndGet();
    errors.add(1, Attributes.of(RECEIVER, settings.id().toString(), SOURCE, source, REASON, reason));
    rateLimited.log(System.Logger.Level.WARNING, logKey, message, t);
  }

  long collections() {
    return collections.get();
  }

  long failures() {
    return failures.get();
  }

  @Override
  public synchronized void shutdown(Duration timeout) throws InterruptedException {
    if (scheduler != null) {
      if (task != null) {
        task.cancel(true);
      }
      scheduler.shutdownNow();
      scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
      scheduler = null;
    }
    if (http != null) {
      http.shutdownNow(); // the client's selector thread; a shut-down receiver is not started again
    }
  }
}
