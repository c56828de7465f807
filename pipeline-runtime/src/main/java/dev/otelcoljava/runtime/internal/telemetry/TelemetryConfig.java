package dev.otelcoljava.runtime.internal.telemetry;

import dev.otelcoljava.runtime.api.ListenAddress;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code service::telemetry}, as otelcol reads it.
 *
 * <p>{@code logs}: {@code level} (debug|info|warn|error; default info), {@code encoding}
 * (console|json; default console), {@code output_paths} (stderr, stdout or a file; default
 * stderr), {@code disable_stacktrace}, {@code initial_fields} (added to every line). Accepted and
 * ignored: {@code development}, {@code sampling}, {@code error_output_paths}, {@code disable_caller}
 * (there is no Go caller to print), {@code processors}.
 *
 * <p>{@code metrics}: {@code level} (none|basic|normal|detailed; default normal), the endpoint as
 * {@code readers: [{pull: {exporter: {prometheus: {host, port}}}}]} or the legacy {@code address}
 * (accepted with a deprecation warning). Without either the endpoint is {@code localhost:8888}: the
 * IPv4 loopback only, as otelcol-contrib since v0.111.0; set {@code host: 0.0.0.0} (or {@code
 * address: 0.0.0.0:8888}, or {@code address: :8888}) to serve other hosts. See {@link
 * dev.otelcoljava.runtime.api.ListenAddress} for how the host is bound. Level none: no endpoint.
 *
 * @param metricsHost null when no endpoint is served
 */
public record TelemetryConfig(
    System.Logger.Level logLevel,
    String logEncoding,
    List<String> outputPaths,
    boolean disableStacktrace,
    Map<String, String> initialFields,
    MetricsLevel metricsLevel,
    String metricsHost,
    int metricsPort,
    Map<String, String> resource) {

  /** The default host of the metrics endpoint: the loopback only (otelcol's since v0.111.0). */
  public static final String DEFAULT_HOST = ListenAddress.LOCALHOST;
  /** What an empty host ({@code address: ":8888"}) means: every interface, as in Go. */
  static final String ALL_INTERFACES = "0.0.0.0";
  public static final int DEFAULT_PORT = 8888;

  public static TelemetryConfig defaults() {
    return new TelemetryConfig(
        System.Logger.Level.INFO, "console", List.of("stderr"), false, Map.of(), MetricsLevel.NORMAL,
        DEFAULT_HOST, DEFAULT_PORT, Map.of());
  }

  /** The same config with the metrics endpoint moved (tests bind 127.0.0.1 on a free port). */
  public TelemetryConfig withMetricsEndpoint(String host, int port) {
    return new TelemetryConfig(
        logLevel, logEncoding, outputPaths, disableStacktrace, initialFields, metricsLevel, host, port, resource);
  }

  /** Reads {@code service::telemetry}, reporting every problem through the node. */
  public static TelemetryConfig read(ConfigNode node) {
    ConfigNode logs = node.get("logs");
    String levelText = logs.string("level", "info");
    System.Logger.Level level =
        switch (levelText.toLowerCase(Locale.ROOT)) {
          case "debug" -> System.Logger.Level.DEBUG;
          case "info" -> System.Logger.Level.INFO;
          case "warn", "warning" -> System.Logger.Level.WARNING;
          case "error", "dpanic", "panic", "fatal" -> System.Logger.Level.ERROR;
          default -> {
            logs.error("level", "\"" + levelText + "\" must be in [debug, info, warn, error]");
            yield System.Logger.Level.INFO;
          }
        };
    String encoding = logs.oneOf("encoding", "console", "console", "json");
    List<String> outputs = logs.has("output_paths") ? logs.stringList("output_paths") : List.of("stderr");
    if (outputs.isEmpty()) {
      outputs = List.of("stderr");
    }
    boolean disableStacktrace = logs.bool("disable_stacktrace", false);
    Map<String, String> initial = new LinkedHashMap<>(logs.stringMap("initial_fields"));
    logs.bool("development", false);
    logs.bool("disable_caller", false);
    logs.stringList("error_output_paths");
    ConfigNode sampling = logs.get("sampling");
    sampling.bool("enabled", true);
    sampling.duration("tick", java.time.Duration.ofSeconds(10));
    sampling.integer("initial", 10);
    sampling.integer("thereafter", 100);
    logs.accept("processors");

    ConfigNode metrics = node.get("metrics");
    String ml = metrics.string("level", "normal");
    MetricsLevel metricsLevel =
        switch (ml.toLowerCase(Locale.ROOT)) {
          case "none" -> MetricsLevel.NONE;
          case "basic" -> MetricsLevel.BASIC;
          case "normal" -> MetricsLevel.NORMAL;
          case "detailed" -> MetricsLevel.DETAILED;
          default -> {
            metrics.error("level", "\"" + ml + "\" must be in [none, basic, normal, detailed]");
            yield MetricsLevel.NORMAL;
          }
        };
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    String address = metrics.string("address", null);
    List<ConfigNode> readers = metrics.list("readers");
    if (address != null) {
      int[] p = {0};
      host = splitHostPort(address, metrics, "address", p);
      port = p[0];
      if (readers.isEmpty()) {
        metrics.warn(
            "address is deprecated; use readers: [{pull: {exporter: {prometheus: {host: \"" + host
                + "\", port: " + port + "}}}}]");
      }
    }
    boolean found = false;
    for (ConfigNode r : readers) {
      ConfigNode periodic = r.get("periodic");
      if (periodic.present()) {
        periodic.acceptAnyKey();
        r.error("periodic", "only a pull reader with a prometheus exporter is supported; remove this reader");
        continue;
      }
      ConfigNode exporter = r.get("pull").get("exporter");
      ConfigNode prom = exporter.get("prometheus");
      if (!prom.present()) {
        exporter.acceptAnyKey();
        r.error("only a pull reader with a prometheus exporter is supported, e.g. pull: {exporter: {prometheus: {host: localhost, port: 8888}}}");
        continue;
      }
      if (found) {
        r.error("only one prometheus pull reader is supported; remove the others");
        continue;
      }
      found = true;
      host = prom.string("host", DEFAULT_HOST);
      if (host.isEmpty()) {
        host = ALL_INTERFACES; // Go's listener: an empty host is every interface
      }
      port = prom.integer("port", DEFAULT_PORT);
      prom.bool("without_type_suffix", true);
      prom.bool("without_units", true);
      prom.bool("without_scope_info", true);
      prom.bool("without_target_info", true);
      prom.rawMap("with_resource_constant_labels");
    }
    metrics.accept("views");
    Map<String, String> resource = node.stringMap("resource");
    ConfigNode traces = node.get("traces");
    traces.acceptAnyKey();
    if (traces.present()) {
      traces.warn("ignored: this collector does not emit traces about itself");
    }
    if (metricsLevel == MetricsLevel.NONE) {
      host = null;
      port = 0;
    }
    return new TelemetryConfig(
        level, encoding, List.copyOf(outputs), disableStacktrace, Map.copyOf(initial), metricsLevel, host, port,
        Map.copyOf(resource));
  }

  private static String splitHostPort(String address, ConfigNode node, String key, int[] port) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      node.error(key, "\"" + address + "\" must be host:port, e.g. localhost:8888 or 0.0.0.0:8888");
      port[0] = DEFAULT_PORT;
      return DEFAULT_HOST;
    }
    String h = address.substring(0, colon);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    try {
      port[0] = Integer.parseInt(address.substring(colon + 1));
      if (port[0] < 0 || port[0] > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      node.error(key, "\"" + address + "\" has an invalid port; expected host:port, e.g. localhost:8888 or 0.0.0.0:8888");
      port[0] = DEFAULT_PORT;
    }
    return h.isEmpty() ? ALL_INTERFACES : h;
  }
}
