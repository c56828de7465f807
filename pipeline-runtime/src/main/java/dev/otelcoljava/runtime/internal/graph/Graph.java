package dev.otelcoljava.runtime.internal.graph;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.Component;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.ExtensionFactory;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.PipelineStatusListener;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.internal.config.ConfigException;
import dev.otelcoljava.runtime.internal.config.ServiceConfig;
import dev.otelcoljava.runtime.internal.config.ServiceConfig.ComponentSpec;
import dev.otelcoljava.runtime.internal.config.ServiceConfig.Pipeline;
import dev.otelcoljava.runtime.internal.telemetry.CollectorLogging;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running form of a validated config: the component instances and how they are connected.
 *
 * <p><b>Build order</b> (fixed): the config has already been parsed and its references validated
 * ({@link dev.otelcoljava.runtime.internal.config.ServiceConfigLoader}); then nodes are created and
 * connected from the exporters back: the enabled extensions (in {@code service::extensions} order),
 * one exporter per exporter id used by any pipeline, one processor instance per pipeline and
 * processor (created last to first, each given the next consumer: the next processor, or the
 * fan-out to the pipeline's exporters), and one receiver per receiver id, given a fan-out to the
 * entry of every pipeline naming it. Configured but unused components are not created.
 *
 * <p><b>Start</b>: extensions, then exporters, then processors (last to first), then receivers;
 * then {@link PipelineStatusListener#pipelinesReady()}. A start error names the component ({@code
 * failed to start exporters::x: ...}) and shuts down what was created.
 *
 * <p><b>Shutdown</b>, within one deadline (default 25 s, as ECS kills at 30 s): {@link
 * PipelineStatusListener#pipelinesNotReady()}, then receivers (no new data), processors in pipeline
 * order (so a batch processor's flush flows through the rest), exporters (flush or persist), and
 * extensions last. Each gets the time left; one that overruns is abandoned with a warning and the
 * rest still get called.
 *
 * <p><b>Self-metrics</b>: the consumer handed to each receiver counts accepted/refused points; each
 * processor is wrapped to count incoming/outgoing items. Exporters count their own through {@link
 * dev.otelcoljava.runtime.api.ExporterMetrics}.
 *
 * <p>Lifecycle methods are called from one thread; the data path is thread-safe.
 */
public final class Graph {
  private static final System.Logger logger = CollectorLogging.logger("service");
  /** Time granted to each component still to stop once the deadline has passed. */
  private static final Duration GRACE = Duration.ofMillis(100);

  private final Map<ComponentId, Extension> extensions;
  private final Map<ComponentId, Exporter> exporters;
  private final List<Named> processors;
  private final Map<ComponentId, Receiver> receivers;
  private final Host host;
  private boolean started;
  private boolean shutDown;

  private record Named(String path, Component component) {}

  private Graph(
      Map<ComponentId, Extension> extensions, Map<ComponentId, Exporter> exporters, List<Named> processors,
      Map<ComponentId, Receiver> receivers) {
    this.extensions = Collections.unmodifiableMap(extensions);
    this.exporters = exporters;
    this.processors = processors;
    this.receivers = receivers;
    this.host = new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return Optional.ofNullable(Graph.this.extensions.get(id));
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Graph.this.extensions;
      }
    };
  }

  /**
   * Creates and connects every used component (nothing is started).
   *
   * @throws ConfigException naming each component whose factory refused to create it
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Graph build(ServiceConfig cfg, Meter meter, MetricsLevel level, BuildInfo info)
      throws ConfigException {
    List<String> errors = new ArrayList<>();
    Map<ComponentId, Extension> extensions = new LinkedHashMap<>();
    for (ComponentId id : cfg.extensions()) {
      ComponentSpec spec = cfg.component(ComponentKind.EXTENSION, id);
      try {
        extensions.put(id, ((ExtensionFactory) spec.factory()).createExtension(settings(spec, meter, level, info), spec.config()));
      } catch (Exception e) {
        errors.add(createError(spec, e));
      }
    }
    Map<ComponentId, Exporter> exporters = new LinkedHashMap<>();
    for (Pipeline p : cfg.pipelines()) {
      for (ComponentId id : p.exporters()) {
        if (exporters.containsKey(id)) {
          continue;
        }
        ComponentSpec spec = cfg.component(ComponentKind.EXPORTER, id);
        try {
          exporters.put(id, ((ExporterFactory) spec.factory()).createExporter(settings(spec, meter, level, info), spec.config()));
        } catch (Exception e) {
          errors.add(createError(spec, e));
        }
      }
    }
    List<Named> processors = new ArrayList<>();
    Map<String, MetricsConsumer> entries = new LinkedHashMap<>();
    for (Pipeline p : cfg.pipelines()) {
      List<MetricsConsumer> outs = new ArrayList<>();
      for (ComponentId id : p.exporters()) {
        if (exporters.containsKey(id)) {
          outs.add(exporters.get(id));
        }
      }
      MetricsConsumer next = outs.isEmpty() ? batch -> {} : FanOut.of(outs);
      boolean anyMutates = next.mutatesData();
      List<Named> created = new ArrayList<>();
      for (int i = p.processors().size() - 1; i >= 0; i--) {
        ComponentSpec spec = cfg.component(ComponentKind.PROCESSOR, p.processors().get(i));
        Attributes attrs = Observed.processorAttrs(spec.id().toString());
        try {
          Processor proc = ((ProcessorFactory) spec.factory()).createProcessor(
              settings(spec, meter, level, info), spec.config(), new Observed.Outgoing(next, meter, attrs));
          anyMutates |= proc.mutatesData();
          next = new Observed.Incoming(proc, proc.mutatesData(), meter, attrs);
          created.add(0, new Named(spec.path() + " (pipeline " + p.id() + ")", proc));
        } catch (Exception e) {
          errors.add(createError(spec, e) + " (in pipeline " + p.id() + ")");
        }
      }
      processors.addAll(created);
      entries.put(p.id(), new Observed.Declared(next, anyMutates));
    }
    Map<ComponentId, Receiver> receivers = new LinkedHashMap<>();
    for (Pipeline p : cfg.pipelines()) {
      for (ComponentId id : p.receivers()) {
        if (receivers.containsKey(id)) {
          continue;
        }
        List<MetricsConsumer> targets = new ArrayList<>();
        for (Pipeline q : cfg.pipelines()) {
          if (q.receivers().contains(id)) {
            targets.add(entries.get(q.id()));
          }
        }
        ComponentSpec spec = cfg.component(ComponentKind.RECEIVER, id);
        ReceiverFactory rf = (ReceiverFactory) spec.factory();
        MetricsConsumer consumer = new Observed.ReceiverConsumer(FanOut.of(targets), meter, id.toString(), rf.transport());
        try {
          receivers.put(id, rf.createReceiver(settings(spec, meter, level, info), spec.config(), consumer));
        } catch (Exception e) {
          errors.add(createError(spec, e));
        }
      }
    }
    Graph g = new Graph(extensions, exporters, processors, receivers);
    if (!errors.isEmpty()) {
      g.shutdown(Duration.ofSeconds(5));
      throw new ConfigException("failed to build pipelines:", errors);
    }
    return g;
  }

  private static String createError(ComponentSpec spec, Exception e) {
    return "failed to create " + spec.path() + ": " + message(e);
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
  }

  private static CreateSettings settings(ComponentSpec spec, Meter meter, MetricsLevel level, BuildInfo info) {
    return new CreateSettings(spec.id(), spec.kind(), meter, CollectorLogging.logger(spec.path()), level, info);
  }

  /** The Host components get at start: the enabled extensions. */
  public Host host() {
    return host;
  }

  /**
   * Starts extensions, exporters, processors (last to first), receivers, then tells status
   * listeners the pipelines are ready.
   *
   * @throws Exception {@code failed to start <path>: <cause>}, after shutting down what was created
   */
  public void start() throws Exception {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    List<Named> order = new ArrayList<>();
    extensions.forEach((id, c) -> order.add(new Named("extensions::" + id, c)));
    exporters.forEach((id, c) -> order.add(new Named("exporters::" + id, c)));
    for (int i = processors.size() - 1; i >= 0; i--) {
      order.add(processors.get(i));
    }
    receivers.forEach((id, c) -> order.add(new Named("receivers::" + id, c)));
    for (Named n : order) {
      logger.log(System.Logger.Level.DEBUG, "Starting " + n.path());
      try {
        n.component().start(host);
      } catch (Exception e) {
        Exception wrapped = new Exception("failed to start " + n.path() + ": " + message(e), e);
        shutdown(Duration.ofSeconds(5));
        throw wrapped;
      }
    }
    for (Extension e : extensions.values()) {
      if (e instanceof PipelineStatusListener l) {
        l.pipelinesReady();
      }
    }
  }

  /**
   * Stops everything within {@code timeout}: receivers, processors, exporters, extensions. Safe to
   * call twice (the second call does nothing) and without {@link #start}. Never throws; problems
   * are logged and returned, one line each.
   */
  public List<String> shutdown(Duration timeout) {
    if (shutDown) {
      return List.of();
    }
    shutDown = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> problems = new ArrayList<>();
    for (Extension e : extensions.values()) {
      if (e instanceof PipelineStatusListener l) {
        try {
          l.pipelinesNotReady();
        } catch (RuntimeException ex) {
          problems.add("pipelinesNotReady failed: " + message(ex));
        }
      }
    }
    receivers.forEach((id, c) -> stop("receivers::" + id, c, deadline, problems));
    for (Named n : processors) {
      stop(n.path(), n.component(), deadline, problems);
    }
    exporters.forEach((id, c) -> stop("exporters::" + id, c, deadline, problems));
    List<Map.Entry<ComponentId, Extension>> ext = new ArrayList<>(extensions.entrySet());
    Collections.reverse(ext);
    for (Map.Entry<ComponentId, Extension> e : ext) {
      stop("extensions::" + e.getKey(), e.getValue(), deadline, problems);
    }
    for (String p : problems) {
      logger.log(System.Logger.Level.WARNING, p);
    }
    return problems;
  }

  private static void stop(String path, Component c, long deadline, List<String> problems) {
    long left = Math.max(0, deadline - System.nanoTime());
    Duration budget = Duration.ofNanos(left);
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        c.shutdown(budget);
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "otelcol-shutdown-" + path);
    t.setDaemon(true);
    t.start();
    long wait = Math.max(left, GRACE.toNanos());
    try {
      t.join(Duration.ofNanos(wait));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      problems.add(path + " did not shut down within the shutdown deadline; continuing without it");
    } else if (failure[0] != null) {
      problems.add("failed to shut down " + path + ": " + message(failure[0]));
    }
  }

  /** Receivers by id (for tests and status). */
  public Map<ComponentId, Receiver> receivers() {
    return Collections.unmodifiableMap(receivers);
  }

  /** Exporters by id. */
  public Map<ComponentId, Exporter> exporters() {
    return Collections.unmodifiableMap(exporters);
  }

  /** Extensions by id, in start order. */
  public Map<ComponentId, Extension> extensions() {
    return extensions;
  }

}
