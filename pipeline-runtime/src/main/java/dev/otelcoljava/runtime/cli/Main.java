package dev.otelcoljava.runtime.cli;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.internal.config.ComponentRegistry;
import dev.otelcoljava.runtime.internal.config.ConfigException;
import dev.otelcoljava.runtime.internal.config.ConfigResolver;
import dev.otelcoljava.runtime.internal.config.EnvLookup;
import dev.otelcoljava.runtime.api.FeatureGates;
import dev.otelcoljava.runtime.internal.service.Service;
import dev.otelcoljava.runtime.internal.telemetry.CollectorLogging;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code otelcol-java} command line (the launcher's main class).
 *
 * <pre>
 * otelcol-java --config=URI [--config=URI]... [--set=key.path=value]... [--feature-gates=+a,-b]
 * otelcol-java validate --config=URI...      load, validate and create the components; exit 0 or 1
 * otelcol-java components                    list every factory with kind, type, stability, aliases
 * otelcol-java explain --config=URI --input=FILE...   run a pipeline offline and report each stage
 * otelcol-java --version | --help
 * </pre>
 *
 * <p>If the environment variable {@code AOT_CONFIG_CONTENT} is set, it is the whole config and
 * {@code --config}/{@code --set} are ignored (ADOT). A fatal error prints one {@code Error:} line
 * (config errors: a header line, then one line per problem) and exits 1; stack traces only at log
 * level debug. SIGTERM and SIGINT shut down gracefully within the deadline and exit 0.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // A component thread that dies logs one line in the collector's format, not a bare stack trace.
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> CollectorLogging.logger("service")
        .log(System.Logger.Level.ERROR, "uncaught exception in thread " + t.getName(), e));
    CollectorLogging.configure(dev.otelcoljava.runtime.internal.telemetry.TelemetryConfig.defaults());
    System.exit(run(args, EnvLookup.system(), System.out, System.err, true));
  }

  /** Parsed arguments. */
  record Args(
      String command, List<String> configs, List<String> sets, List<String> gates, boolean version, boolean help,
      ExplainArgs explain) {
    Args(String command, List<String> configs, List<String> sets, List<String> gates, boolean version, boolean help) {
      this(command, configs, sets, gates, version, help, new ExplainArgs(List.of(), List.of(), null, null, 5));
    }
  }

  /** The flags of {@code explain}. */
  record ExplainArgs(List<String> inputs, List<String> targets, String pipeline, String time, int maxItems) {}

  static Args parse(String[] argv) {
    String command = "run";
    List<String> configs = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    List<String> gates = new ArrayList<>();
    boolean version = false;
    boolean help = false;
    List<String> inputs = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    String pipeline = null;
    String time = null;
    int maxItems = 5;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      String name = a;
      String value = null;
      if (a.startsWith("--") && a.contains("=")) {
        name = a.substring(0, a.indexOf('='));
        value = a.substring(a.indexOf('=') + 1);
      }
      switch (name) {
        case "--config", "-c", "--set", "--feature-gates" -> {
          if (value == null) {
            if (i + 1 >= argv.length) {
              throw new IllegalArgumentException("flag needs an argument: " + name);
            }
            value = argv[++i];
          }
          (name.equals("--set") ? sets : name.equals("--feature-gates") ? gates : configs).add(value);
        }
        case "--input", "--target", "--pipeline", "--time", "--max-items" -> {
          if (value == null) {
            if (i + 1 >= argv.length) {
              throw new IllegalArgumentException("flag needs an argument: " + name);
            }
            value = argv[++i];
          }
          switch (name) {
            case "--input" -> inputs.add(value);
            case "--target" -> {
              if (!value.contains("=")) {
                throw new IllegalArgumentException("--target needs NAME=VALUE, got " + value);
              }
              targets.add(value);
            }
            case "--pipeline" -> pipeline = value;
            case "--time" -> time = value;
            default -> {
              try {
                maxItems = Integer.parseInt(value);
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--max-items needs a number, got " + value);
              }
            }
          }
        }
        case "--version", "-v" -> version = true;
        case "--help", "-h", "help" -> help = true;
        case "validate", "components", "explain" -> {
          if (!command.equals("run")) {
            throw new IllegalArgumentException("only one command may be given, got " + command + " and " + a);
          }
          command = a;
        }
        default -> throw new IllegalArgumentException(
            (a.startsWith("-") ? "unknown flag: " : "unknown command: ") + name + " (see --help)");
      }
    }
    if (!command.equals("explain") && (!inputs.isEmpty() || !targets.isEmpty() || pipeline != null || time != null)) {
      throw new IllegalArgumentException("--input, --target, --pipeline and --time belong to the explain command");
    }
    return new Args(command, configs, sets, gates, version, help,
        new ExplainArgs(inputs, targets, pipeline, time, maxItems));
  }

  /**
   * Runs the command line and returns the exit code (after a signal-triggered shutdown: 0).
   *
   * @param exitOnSignal whether to install the SIGTERM/SIGINT handlers and wait for them (false in
   *     tests of validate/components, which never run the collector)
   */
  static int run(String[] argv, EnvLookup env, PrintStream out, PrintStream err, boolean exitOnSignal) {
    return run(argv, env, out, err, exitOnSignal, null);
  }

  /** The same with explicit factories (null: the installed ones). */
  static int run(
      String[] argv, EnvLookup env, PrintStream out, PrintStream err, boolean exitOnSignal,
      ComponentRegistry factories) {
    return run(argv, env, out, err, exitOnSignal, factories, AdotExtraConfig.DEFAULT_PATH);
  }

  static int run(
      String[] argv, EnvLookup env, PrintStream out, PrintStream err, boolean exitOnSignal,
      ComponentRegistry factories, java.nio.file.Path extraConfigPath) {
    Args args;
    try {
      args = parse(argv);
    } catch (IllegalArgumentException e) {
      err.println("Error: " + e.getMessage());
      return 1;
    }
    BuildInfo info = Service.defaultBuildInfo();
    if (args.help()) {
      out.print(usage());
      return 0;
    }
    if (args.version()) {
      out.println(info.command() + " version " + info.version());
      return 0;
    }
    try {
      // Factories first: loading them initialises their classes, which may register their own gates.
      ComponentRegistry registry = factories != null ? factories : ComponentRegistry.loadInstalled();
      for (String g : args.gates()) {
        FeatureGates.global().apply(g);
      }
      if (args.command().equals("components")) {
        out.print(components(registry, info));
        return 0;
      }
      List<String> configs = new ArrayList<>(args.configs());
      AdotExtraConfig extra = AdotExtraConfig.read(extraConfigPath);
      extra.systemProperties().forEach(System::setProperty);
      if (!configs.isEmpty()) {
        configs.addAll(extra.configs());
      }
      ConfigResolver.Selection sel = ConfigResolver.select(configs, args.sets(), env);
      System.Logger logger = CollectorLogging.logger("service");
      for (String note : sel.notes()) {
        logger.log(System.Logger.Level.INFO, note);
      }
      Service service = Service.builder().uris(sel.uris()).env(env).registry(registry).buildInfo(info)
          .offline(args.command().equals("explain")).build();
      if (args.command().equals("explain")) {
        return ExplainCommand.run(service, args.explain(), info, out, err);
      }
      if (args.command().equals("validate")) {
        service.validateCreate();
        out.println("configuration is valid: " + service.config().pipelines().size() + " pipeline(s)");
        return 0;
      }
      return runCollector(service, logger, err, exitOnSignal);
    } catch (ConfigException e) {
      printConfigError(err, e);
      return 1;
    } catch (Exception e) {
      err.println("Error: " + e.getMessage());
      if (CollectorLogging.isDebug()) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  static void printConfigError(PrintStream err, ConfigException e) {
    if (e.header().isEmpty() && e.problems().size() == 1) {
      err.println("Error: " + e.problems().get(0));
      return;
    }
    err.println("Error: " + (e.header().isEmpty() ? "invalid configuration:" : e.header()));
    for (String p : e.problems()) {
      err.println("  " + p);
    }
  }

  private static int runCollector(Service service, System.Logger logger, PrintStream err, boolean exitOnSignal)
      throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Object lock = new Object();
    boolean[] done = {false};
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable shutdown = () -> {
      synchronized (lock) {
        if (!done[0]) {
          done[0] = true;
          service.shutdown();
        }
      }
    };
    if (exitOnSignal) {
      boolean handled = Signals.install(sig -> {
        logger.log(System.Logger.Level.INFO, "Received signal from OS: " + sig);
        stop.countDown();
      });
      // Other ways the JVM may end (System.exit elsewhere, SIGHUP): still shut down cleanly. Where
      // TERM/INT cannot be handled directly, the hook also makes them exit 0 after the shutdown.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        shutdown.run();
        if (!handled && running.get()) {
          Runtime.getRuntime().halt(0);
        }
      }, "otelcol-shutdown-hook"));
    }
    logger.log(System.Logger.Level.INFO, "Starting " + service.buildInfo().command() + " " + service.buildInfo().version());
    try {
      service.start();
    } catch (Exception e) {
      synchronized (lock) {
        done[0] = true;
      }
      throw e;
    }
    running.set(true);
    stop.await();
    shutdown.run();
    return 0;
  }

  static String components(ComponentRegistry registry, BuildInfo info) {
    StringBuilder sb = new StringBuilder();
    sb.append("buildinfo:\n")
        .append("  command: ").append(info.command()).append('\n')
        .append("  description: ").append(info.description()).append('\n')
        .append("  version: ").append(info.version()).append('\n');
    for (ComponentKind kind : ComponentKind.values()) {
      sb.append(kind.section()).append(":");
      List<ComponentFactory<?>> list = registry.factories(kind);
      if (list.isEmpty()) {
        sb.append(" []\n");
        continue;
      }
      sb.append('\n');
      for (ComponentFactory<?> f : list) {
        sb.append("  - name: ").append(f.type()).append('\n');
        sb.append("    stability:\n");
        sb.append("      ").append(kind == ComponentKind.EXTENSION ? "extension" : "metrics").append(": ")
            .append(f.stability().label()).append('\n');
        if (!f.deprecatedTypes().isEmpty()) {
          sb.append("    deprecated_aliases: [").append(String.join(", ", f.deprecatedTypes())).append("]\n");
        }
      }
    }
    return sb.toString();
  }

  static String usage() {
    return """
        otelcol-java: an ADOT-compatible OpenTelemetry metrics collector on the JVM.

        Usage:
          otelcol-java --config=URI [--config=URI]... [--set=key.path=value]... [--feature-gates=+a,-b]
          otelcol-java validate --config=URI...
          otelcol-java components
          otelcol-java explain --config=URI... --input=FILE [--input=FILE]... [--target=NAME=VALUE]...
                       [--pipeline=ID] [--time=RFC3339] [--max-items=N]
          otelcol-java --version

        Config sources (merged in order; maps merge, lists are replaced):
          PATH or file:PATH     a YAML file
          env:VAR               the whole YAML in an environment variable
          yaml:a::b: value      an inline YAML snippet
        --set a.b=value is applied last. If AOT_CONFIG_CONTENT is set, it is the whole config and
        --config/--set are ignored. Values may use ${env:VAR}, ${VAR}, ${env:VAR:-default},
        ${file:path}; write $$ for a literal $.

        Commands:
          validate     load and check the config and create the components, without starting them
          components   list the available components with their stability
          explain      run a pipeline offline over recorded inputs and print, stage by stage, what
                       happened; nothing is scraped or sent. Each --input (an exposition text, e.g.
                       a saved /metrics page) is one scrape of the pipeline's receiver, taken one
                       scrape_interval after the previous (the first at --time, default now;
                       samples' own timestamps win). --target gives a discovered label of the
                       scraped target (e.g. __meta_kubernetes_node_name=ip-10-0-0-1, or
                       __meta_kubernetes_node_label_eks_amazonaws_com_compute_type=fargate), to
                       which the job's relabel_configs apply; default: the job's first static target.
                       The report shows what the receiver produced (metrics, points, names), then
                       after each processor in pipeline order what changed (metrics added, removed,
                       renamed or retyped, points dropped, labels and resource attributes), and
                       what each exporter would get (awsemf: the EMF log events with log group and
                       stream; prometheusremotewrite: the series), at most --max-items (5) each.
                       Processors that hold data (batch) release it in a final shutdown section;
                       after each input explain waits for 250 ms without output, so a batch
                       timeout shorter than that is seen to fire with that input.
                       --pipeline picks the pipeline (default: the first metrics pipeline).
        """;
  }
}
