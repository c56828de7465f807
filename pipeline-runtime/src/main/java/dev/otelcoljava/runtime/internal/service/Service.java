package dev.otelcoljava.runtime.internal.service;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.internal.config.ComponentRegistry;
import dev.otelcoljava.runtime.internal.config.ConfigException;
import dev.otelcoljava.runtime.internal.config.ConfigResolver;
import dev.otelcoljava.runtime.internal.config.EnvLookup;
import dev.otelcoljava.runtime.api.FeatureGates;
import dev.otelcoljava.runtime.internal.config.ServiceConfig;
import dev.otelcoljava.runtime.internal.config.ServiceConfigLoader;
import dev.otelcoljava.runtime.internal.graph.Graph;
import dev.otelcoljava.runtime.internal.telemetry.CollectorLogging;
import dev.otelcoljava.runtime.internal.telemetry.SelfTelemetry;
import dev.otelcoljava.runtime.internal.telemetry.TelemetryConfig;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * One collector: a resolved and validated config, its self-telemetry and its component graph.
 *
 * <p>Typical use in a test:
 *
 * <pre>{@code
 * try (Service s = Service.fromYaml(yaml, Map.of("AMP_URL", url))) {
 *   s.start();
 *   ... s.metricsAddress(), s.scrapeMetrics() ...
 * } // close() shuts down within the deadline
 * }</pre>
 *
 * <p>{@link Builder#build()} resolves and validates the config (throwing {@link ConfigException}
 * with every problem); {@link #start()} applies {@code service::telemetry} (logging level and
 * format, the metrics endpoint), creates and connects the components and starts them; {@link
 * #shutdown()} stops everything within the shutdown deadline (default 25 s). Not thread-safe:
 * call lifecycle methods from one thread.
 */
public final class Service implements AutoCloseable {
  /** The default shutdown deadline: ECS sends SIGKILL 30 s after SIGTERM. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(25);

  private static final System.Logger logger = CollectorLogging.logger("service");

  private final ServiceConfig config;
  private final ComponentRegistry registry;
  private final BuildInfo buildInfo;
  private final Duration shutdownTimeout;
  private final boolean configureLogging;
  private SelfTelemetry telemetry;
  private Graph graph;
  private boolean stopped;

  private Service(Builder b, ServiceConfig config) {
    this.config = config;
    this.registry = b.registry;
    this.buildInfo = b.buildInfo;
    this.shutdownTimeout = b.shutdownTimeout;
    this.configureLogging = b.configureLogging;
  }

  /** A service over one YAML document, with the installed (ServiceLoader) factories. */
  public static Service fromYaml(String yaml, Map<String, String> env) throws ConfigException {
    return builder().yaml(yaml).env(env).build();
  }

  /** The same with explicit factories (tests). */
  public static Service fromYaml(String yaml, Map<String, String> env, ComponentRegistry registry)
      throws ConfigException {
    return builder().yaml(yaml).env(env).registry(registry).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The collector's identity, with the version from the build ({@code version.properties}). */
  public static BuildInfo defaultBuildInfo() {
    String version = "unknown";
    try (InputStream in = Service.class.getResourceAsStream("/dev/otelcoljava/runtime/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        version = p.getProperty("version", version);
      }
    } catch (IOException ignored) {
      // keep "unknown"
    }
    if (version.contains("${")) {
      String impl = Service.class.getPackage().getImplementationVersion();
      version = impl == null ? "unknown" : impl;
    }
    return new BuildInfo("otelcol-java", "otelcol-java", version);
  }

  public ServiceConfig config() {
    return config;
  }

  public BuildInfo buildInfo() {
    return buildInfo;
  }

  /**
   * Creates every used component without starting any, then shuts them down: what {@code
   * validate} does after the config checks.
   *
   * @throws ConfigException naming each component that could not be created
   */
  public void validateCreate() throws ConfigException {
    Graph g = Graph.build(config, MeterProvider.noop().get("validate"), config.telemetry().metricsLevel(), buildInfo);
    g.shutdown(Duration.ofSeconds(5));
  }

  /**
   * Applies telemetry settings, builds the graph and starts it.
   *
   * @throws ConfigException when a component cannot be created
   * @throws Exception when the metrics endpoint cannot be bound or a component fails to start (the
   *     message names it); everything already created is shut down
   */
  public void start() throws Exception {
    if (telemetry != null) {
      throw new IllegalStateException("already started");
    }
    if (configureLogging) {
      CollectorLogging.configure(config.telemetry());
    }
    telemetry = SelfTelemetry.start(config.telemetry(), buildInfo);
    try {
      graph = Graph.build(config, telemetry.meter(), config.telemetry().metricsLevel(), buildInfo);
      graph.start();
    } catch (Exception e) {
      telemetry.close();
      stopped = true;
      throw e;
    }
    logger.log(System.Logger.Level.INFO, "Everything is ready. Begin running and processing data.");
  }

  /** Stops within the shutdown deadline; safe to call twice or before start. */
  public void shutdown() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (graph != null) {
      logger.log(System.Logger.Level.INFO, "Shutdown requested; stopping within " + shutdownTimeout.toMillis() / 1000.0 + " s");
      graph.shutdown(shutdownTimeout);
    }
    if (telemetry != null) {
      telemetry.close();
    }
    logger.log(System.Logger.Level.INFO, "Shutdown complete.");
  }

  @Override
  public void close() {
    shutdown();
  }

  /** The bound self-metrics endpoint (real port), if one is served. */
  public Optional<InetSocketAddress> metricsAddress() {
    return telemetry == null ? Optional.empty() : telemetry.address();
  }

  /** The self-metrics exposition text as served at {@code /metrics} (empty before start). */
  public String scrapeMetrics() {
    return telemetry == null ? "" : telemetry.scrape();
  }

  /** The running graph (null before start). */
  public Graph graph() {
    return graph;
  }

  public ComponentRegistry registry() {
    return registry;
  }

  private record CommandLine(List<String> configs, List<String> sets) {}

  /** Builds a {@link Service}: sources, environment, factories, identity, deadline. */
  public static final class Builder {
    private final List<String> uris = new ArrayList<>();
    private EnvLookup env = EnvLookup.system();
    private ComponentRegistry registry;
    private BuildInfo buildInfo = defaultBuildInfo();
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private boolean configureLogging = true;
    private UnaryOperator<TelemetryConfig> telemetryOverride = UnaryOperator.identity();
    private CommandLine commandLine;
    private boolean offline;

    /**
     * Reads the config for an offline run ({@code explain}): files that only the running collector
     * needs (credentials, CA files of the target environment) may be missing.
     */
    public Builder offline(boolean on) {
      this.offline = on;
      return this;
    }

    /** Adds a whole YAML document as a source. */
    public Builder yaml(String document) {
      uris.add("yaml:" + document);
      return this;
    }

    /** Adds sources as given to {@code --config} (and {@code --set} converted by the resolver). */
    public Builder uris(List<String> sources) {
      uris.addAll(sources);
      return this;
    }

    /**
     * Takes sources as the command line gives them, applying ADOT's rule at {@link #build}: if
     * {@code AOT_CONFIG_CONTENT} is set in this builder's environment it is the whole config and
     * these flags are ignored.
     */
    public Builder commandLine(List<String> configFlags, List<String> setFlags) {
      this.commandLine = new CommandLine(List.copyOf(configFlags), List.copyOf(setFlags));
      return this;
    }

    public Builder env(Map<String, String> env) {
      this.env = EnvLookup.of(env);
      return this;
    }

    public Builder env(EnvLookup env) {
      this.env = env;
      return this;
    }

    public Builder registry(ComponentRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder buildInfo(BuildInfo info) {
      this.buildInfo = info;
      return this;
    }

    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = timeout;
      return this;
    }

    /** Whether {@link #start} applies {@code service::telemetry::logs} to the global log (default true). */
    public Builder configureLogging(boolean on) {
      this.configureLogging = on;
      return this;
    }

    /** Changes the telemetry settings after loading (tests: bind 127.0.0.1 on a free port). */
    public Builder telemetry(UnaryOperator<TelemetryConfig> override) {
      this.telemetryOverride = override;
      return this;
    }

    /**
     * Serves self-metrics on 127.0.0.1 with a free port instead of the configured address (tests:
     * scenario configs default to the fixed port localhost:8888). Read the port from {@link
     * Service#metricsAddress()}.
     */
    public Builder metricsOnLoopback() {
      return telemetry(t -> t.metricsHost() == null ? t : t.withMetricsEndpoint("127.0.0.1", 0));
    }

    /** Resolves, validates and logs warnings; components are created at {@link Service#start}. */
    public Service build() throws ConfigException {
      if (registry == null) {
        registry = ComponentRegistry.loadInstalled();
      }
      if (commandLine != null) {
        ConfigResolver.Selection sel = ConfigResolver.select(commandLine.configs(), commandLine.sets(), env);
        for (String note : sel.notes()) {
          logger.log(System.Logger.Level.INFO, note);
        }
        uris.addAll(sel.uris());
        commandLine = null;
      }
      boolean append = FeatureGates.global().isEnabled("confmap.enableMergeAppendOption");
      ConfigResolver.Resolved resolved = ConfigResolver.resolve(uris, env, append);
      for (String w : resolved.warnings()) {
        logger.log(System.Logger.Level.WARNING, w);
      }
      ServiceConfig cfg = ServiceConfigLoader.load(resolved.config(), registry, offline);
      for (String w : cfg.warnings()) {
        logger.log(System.Logger.Level.WARNING, w);
      }
      TelemetryConfig t = telemetryOverride.apply(cfg.telemetry());
      if (t != cfg.telemetry()) {
        cfg = new ServiceConfig(cfg.components(), cfg.extensions(), cfg.pipelines(), t, cfg.warnings());
      }
      return new Service(this, cfg);
    }
  }
}
