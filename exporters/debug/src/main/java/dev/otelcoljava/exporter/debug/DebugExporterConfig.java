package dev.otelcoljava.exporter.debug;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;
import java.util.Map;

/**
 * Config of the {@code debug} exporter (and of the removed {@code logging} type, which reads the
 * same keys with other defaults and also the old {@code loglevel}).
 *
 * @param verbosity basic (debug's default) | normal (logging's default) | detailed
 * @param samplingInitial batches printed per second before sampling starts (default 2)
 * @param samplingThereafter then every Nth batch in that second (debug: 1 = all; logging: 500)
 * @param useInternalLogger write through the collector's logger (default true)
 * @param outputPaths where to write when {@code use_internal_logger} is false: {@code stdout},
 *     {@code stderr} or file paths (default [stdout])
 * @param sendingQueue the {@code sending_queue} section as written (accepted for compatibility;
 *     printing is synchronous, so no queue is used)
 */
public record DebugExporterConfig(
    Verbosity verbosity,
    int samplingInitial,
    int samplingThereafter,
    boolean useInternalLogger,
    List<String> outputPaths,
    Map<String, Object> sendingQueue) {

  static final String LOGGING_DEPRECATED = "the \"logging\" exporter is deprecated; use \"debug\" instead";

  /** The defaults of {@code debug}. */
  public static DebugExporterConfig debugDefaults() {
    return new DebugExporterConfig(Verbosity.BASIC, 2, 1, true, List.of("stdout"), Map.of());
  }

  /** The defaults of the removed {@code logging} exporter. */
  public static DebugExporterConfig loggingDefaults() {
    return new DebugExporterConfig(Verbosity.NORMAL, 2, 500, true, List.of("stdout"), Map.of());
  }

  /** Reads the config, reporting every problem through the node. */
  static DebugExporterConfig read(ConfigNode node, boolean legacyLogging) {
    DebugExporterConfig d = legacyLogging ? loggingDefaults() : debugDefaults();
    if (legacyLogging) {
      node.warn(LOGGING_DEPRECATED);
    }
    Verbosity verbosity = d.verbosity();
    boolean hasVerbosity = node.has("verbosity") && node.get("verbosity").present();
    if (hasVerbosity) {
      String v = node.string("verbosity", verbosity.yaml());
      Verbosity parsed = Verbosity.parse(v);
      if (parsed == null) {
        node.error("verbosity", "verbosity level \"" + v + "\" is not supported; use basic, normal or detailed");
      } else {
        verbosity = parsed;
      }
    }
    if (legacyLogging && node.has("loglevel") && node.get("loglevel").present()) {
      String level = node.string("loglevel", "info");
      if (hasVerbosity) {
        node.error("'loglevel' and 'verbosity' are incompatible. Use only 'verbosity' instead");
      } else {
        Verbosity mapped = switch (level.toLowerCase(java.util.Locale.ROOT)) {
          case "debug" -> Verbosity.DETAILED;
          case "info" -> Verbosity.NORMAL;
          case "warn", "error", "dpanic", "panic", "fatal" -> Verbosity.BASIC;
          default -> null;
        };
        if (mapped == null) {
          node.error("loglevel", "unrecognized level: \"" + level + "\"; use verbosity: basic, normal or detailed instead");
        } else {
          verbosity = mapped;
          node.warn("loglevel is deprecated; use verbosity: " + mapped.yaml() + " instead");
        }
      }
    }
    int initial = node.integer("sampling_initial", d.samplingInitial());
    int thereafter = node.integer("sampling_thereafter", d.samplingThereafter());
    if (initial < 0) {
      node.error("sampling_initial", "must be >= 0, got " + initial);
    }
    if (thereafter < 0) {
      node.error("sampling_thereafter", "must be >= 0, got " + thereafter);
    }
    boolean internal = node.bool("use_internal_logger", d.useInternalLogger());
    List<String> paths = d.outputPaths();
    if (node.has("output_paths") && node.get("output_paths").present()) {
      paths = List.copyOf(node.stringList("output_paths"));
      if (internal) {
        node.error("output_paths", "is only used when use_internal_logger is false; set use_internal_logger: false or remove output_paths");
      } else if (paths.isEmpty()) {
        node.error("output_paths", "must not be empty when use_internal_logger is false; use [stdout]");
      }
    }
    Map<String, Object> queue = node.rawMap("sending_queue");
    return new DebugExporterConfig(verbosity, initial, thereafter, internal, paths, queue);
  }
}
