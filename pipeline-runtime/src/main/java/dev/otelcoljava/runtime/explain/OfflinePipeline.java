package dev.otelcoljava.runtime.explain;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.ExporterPreview;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.ReceiverReplay;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.internal.config.ServiceConfig;
import dev.otelcoljava.runtime.internal.config.ServiceConfig.ComponentSpec;
import dev.otelcoljava.runtime.internal.config.ServiceConfig.Pipeline;
import dev.otelcoljava.runtime.internal.telemetry.CollectorLogging;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One metrics pipeline of a validated config run offline: its replayable receiver turns recorded
 * inputs into batches ({@link ReceiverReplay}), its processors are the real ones, created and
 * started as the collector would, and what reaches the end of the chain is kept and shown as each
 * exporter would send it ({@link ExporterPreview}) without sending anything.
 *
 * <p>With {@code record} set, a copy of every batch leaving the receiver and each processor is kept
 * with the phase it appeared in (input 1, 2, ... or the final shutdown, where processors such as
 * {@code batch} release what they hold); {@code explain} renders these. Without it only the batches
 * reaching the exporters are kept (tests, benchmarks). Single-threaded use; processors that emit
 * from their own threads (batch) are recorded safely.
 */
public final class OfflinePipeline implements AutoCloseable {
  /** The phase of the final shutdown. */
  public static final int SHUTDOWN = Integer.MAX_VALUE;

  /**
   * A batch that left a stage.
   *
   * @param phase the input number (1-based) being processed when it appeared, or {@link #SHUTDOWN}
   * @param stage 0 for the receiver, i for the i-th processor
   */
  public record Output(int phase, int stage, MetricsBatch batch) {}

  private final Pipeline pipeline;
  private final ComponentId receiverId;
  private final ReceiverReplay.Replayer replayer;
  private final List<ComponentId> processorIds = new ArrayList<>();
  private final List<Processor> processors = new ArrayList<>();
  private final Map<ComponentId, ExporterPreview.Previewer> previewers = new LinkedHashMap<>();
  private final List<ComponentId> exporterIds;
  private final boolean record;
  private final boolean keepExported;
  private final List<Output> outputs = Collections.synchronizedList(new ArrayList<>());
  private final List<MetricsBatch> exported = Collections.synchronizedList(new ArrayList<>());
  private final MetricsConsumer head;
  private volatile int phase;
  private boolean finished;

  private OfflinePipeline(ServiceConfig config, Pipeline pipeline, Map<String, String> source, boolean record,
      boolean keepExported, BuildInfo info) throws Exception {
    this.pipeline = pipeline;
    this.record = record;
    this.keepExported = keepExported;
    this.exporterIds = pipeline.exporters();
    var meter = MeterProvider.noop().get("explain");
    var level = config.telemetry().metricsLevel();
    ComponentId chosen = null;
    ReceiverReplay.Replayer r = null;
    List<String> notReplayable = new ArrayList<>();
    for (ComponentId id : pipeline.receivers()) {
      ComponentSpec spec = config.component(ComponentKind.RECEIVER, id);
      if (spec.factory() instanceof ReceiverReplay<?> replay) {
        r = open(replay, settings(spec, meter, level, info), spec.config(), source);
        chosen = id;
        break;
      }
      notReplayable.add(id.toString());
    }
    if (r == null) {
      throw new IllegalArgumentException("pipeline " + pipeline.id() + " has no receiver that can replay recorded input"
          + " (receivers " + notReplayable + "); the prometheus receiver can");
    }
    this.receiverId = chosen;
    this.replayer = r;
    for (ComponentId id : pipeline.exporters()) {
      ComponentSpec spec = config.component(ComponentKind.EXPORTER, id);
      if (spec.factory() instanceof ExporterPreview<?> preview) {
        previewers.put(id, previewer(preview, settings(spec, meter, level, info), spec.config()));
      }
    }
    MetricsConsumer next = batch -> {
      if (this.keepExported) {
        exported.add(batch);
      }
    };
    List<Processor> created = new ArrayList<>();
    for (int i = pipeline.processors().size() - 1; i >= 0; i--) {
      ComponentId id = pipeline.processors().get(i);
      ComponentSpec spec = config.component(ComponentKind.PROCESSOR, id);
      Processor p = create((ProcessorFactory<?>) spec.factory(), settings(spec, meter, level, info), spec.config(),
          tap(i + 1, next));
      created.add(0, p);
      next = p;
    }
    processors.addAll(created);
    processorIds.addAll(pipeline.processors());
    this.head = tap(0, next);
    Host host = new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return Optional.empty();
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of();
      }
    };
    for (int i = processors.size() - 1; i >= 0; i--) {
      processors.get(i).start(host);
    }
  }

  /**
   * Opens a pipeline of a validated config.
   *
   * @param pipelineId the pipeline ({@code metrics}, {@code metrics/x}); null: the first one
   * @param source the receiver's source description (see {@link ReceiverReplay#replayer})
   * @param record keep a copy of every stage's output (for {@link #outputs()})
   * @param keepExported keep the batches that reach the exporters (for {@link #exported()})
   */
  public static OfflinePipeline open(ServiceConfig config, String pipelineId, Map<String, String> source,
      boolean record, boolean keepExported, BuildInfo info) throws Exception {
    Pipeline chosen = null;
    for (Pipeline p : config.pipelines()) {
      if (pipelineId == null || p.id().equals(pipelineId)) {
        chosen = p;
        break;
      }
    }
    if (chosen == null) {
      List<String> ids = new ArrayList<>();
      config.pipelines().forEach(p -> ids.add(p.id()));
      throw new IllegalArgumentException(pipelineId == null ? "the config has no metrics pipeline"
          : "no pipeline " + pipelineId + " in service::pipelines (have " + ids + ")");
    }
    return new OfflinePipeline(config, chosen, source, record, keepExported, info);
  }

  @SuppressWarnings("unchecked")
  private static <C> ReceiverReplay.Replayer open(ReceiverReplay<C> f, CreateSettings s, Object config,
      Map<String, String> source) throws Exception {
    return f.replayer(s, (C) config, source);
  }

  @SuppressWarnings("unchecked")
  private static <C> ExporterPreview.Previewer previewer(ExporterPreview<C> f, CreateSettings s, Object config)
      throws Exception {
    return f.previewer(s, (C) config);
  }

  @SuppressWarnings("unchecked")
  private static <C> Processor create(ProcessorFactory<C> f, CreateSettings s, Object config, MetricsConsumer next)
      throws Exception {
    return f.createProcessor(s, (C) config, next);
  }

  private static CreateSettings settings(ComponentSpec spec, io.opentelemetry.api.metrics.Meter meter,
      dev.otelcoljava.runtime.api.MetricsLevel level, BuildInfo info) {
    return new CreateSettings(spec.id(), spec.kind(), meter, CollectorLogging.logger(spec.path()), level, info);
  }

  private MetricsConsumer tap(int stage, MetricsConsumer next) {
    if (!record) {
      return next;
    }
    return new MetricsConsumer() {
      @Override
      public void consume(MetricsBatch batch) throws ConsumerException {
        outputs.add(new Output(phase, stage, batch.deepCopy()));
        next.consume(batch);
      }

      @Override
      public boolean mutatesData() {
        return next.mutatesData();
      }
    };
  }

  /** The pipeline's id. */
  public String pipelineId() {
    return pipeline.id();
  }

  /** The receiver replayed and what it replays. */
  public String receiverDescription() {
    return receiverId + ": " + replayer.describe();
  }

  /** The receiver replayed. */
  public ComponentId receiverId() {
    return receiverId;
  }

  /** The time between inputs in normal operation (the scrape interval). */
  public Duration interval() {
    return replayer.interval();
  }

  public List<ComponentId> processorIds() {
    return List.copyOf(processorIds);
  }

  public List<ComponentId> exporterIds() {
    return exporterIds;
  }

  /** The previewers of the exporters that can preview, by id. */
  public Map<ComponentId, ExporterPreview.Previewer> previewers() {
    return previewers;
  }

  /**
   * Replays one recorded input through the receiver and the processors.
   *
   * @return the batch count the receiver produced (0 or 1)
   * @throws Exception when the receiver rejects the input or a processor refuses the batch
   */
  public int feed(byte[] content, long timeMillis) throws Exception {
    if (finished) {
      throw new IllegalStateException("pipeline already finished");
    }
    phase++;
    MetricsBatch b = replayer.replay(content, timeMillis);
    if (b == null || b.isEmpty()) {
      return 0;
    }
    head.consume(b);
    if (record) {
      settle();
    }
    return 1;
  }

  /**
   * Waits until no stage has emitted for 250 ms (at most 3 s), so that what processors send from
   * their own threads (batch when a batch is full) is counted in the phase that caused it.
   */
  private void settle() throws InterruptedException {
    long deadline = System.nanoTime() + 3_000_000_000L;
    int seen = outputs.size();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(10);
      int now = outputs.size();
      if (now != seen) {
        seen = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= 250_000_000L) {
        return;
      }
    }
  }

  /** Shuts the processors down in pipeline order, so that what they hold is released (phase SHUTDOWN). */
  public void finish(Duration timeout) throws Exception {
    if (finished) {
      return;
    }
    finished = true;
    phase = SHUTDOWN;
    for (Processor p : processors) {
      p.shutdown(timeout);
    }
  }

  /** Every recorded stage output, in the order they appeared (empty unless recording). */
  public List<Output> outputs() {
    synchronized (outputs) {
      return List.copyOf(outputs);
    }
  }

  /** The batches that reached the exporters, in order (empty unless kept). */
  public List<MetricsBatch> exported() {
    synchronized (exported) {
      return List.copyOf(exported);
    }
  }

  /** Forgets the exported batches kept so far (benchmarks). */
  public void clearExported() {
    exported.clear();
  }

  @Override
  public void close() throws Exception {
    finish(Duration.ofSeconds(5));
  }
}
