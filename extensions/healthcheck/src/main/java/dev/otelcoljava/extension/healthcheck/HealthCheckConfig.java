package dev.otelcoljava.extension.healthcheck;

import dev.otelcoljava.runtime.api.ListenAddress;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Config of the {@code health_check} extension (otelcol's legacy mode, the default).
 *
 * @param host the interface to bind: {@code localhost} by default, the IPv4 loopback only, as in
 *     otelcol-contrib since v0.104.0 (the {@code component.UseLocalHostAsDefaultHost} gate, stable
 *     from v0.110.0); probes from outside the container or pod need an explicit endpoint such as
 *     {@code ${env:MY_POD_IP}:13133} or {@code 0.0.0.0:13133}. {@code :13133} (empty host) binds
 *     every interface, as in Go.
 * @param port the port (default 13133)
 * @param path the path that answers (default {@code /}; a path ending in {@code /} also answers
 *     below it, as Go's ServeMux does)
 * @param healthyBody fixed text replacing the JSON body when healthy, or null
 * @param unhealthyBody fixed text replacing the JSON body when not healthy, or null
 * @param checkPipeline {@code check_collector_pipeline::enabled} (accepted; documented as broken
 *     upstream and not used here)
 * @param checkInterval {@code check_collector_pipeline::interval} (default 5m)
 * @param exporterFailureThreshold {@code check_collector_pipeline::exporter_failure_threshold}
 *     (default 5)
 * @param corsAllowedOrigins {@code cors::allowed_origins}: origins (or {@code *}) that get an
 *     {@code Access-Control-Allow-Origin} header
 * @param responseHeaders {@code response_headers}: headers added to every response
 */
public record HealthCheckConfig(
    String host,
    int port,
    String path,
    String healthyBody,
    String unhealthyBody,
    boolean checkPipeline,
    Duration checkInterval,
    int exporterFailureThreshold,
    List<String> corsAllowedOrigins,
    Map<String, String> responseHeaders) {

  public static final String DEFAULT_ENDPOINT = ListenAddress.LOCALHOST + ":13133";

  public static HealthCheckConfig defaults() {
    return new HealthCheckConfig(ListenAddress.LOCALHOST, 13133, "/", null, null, false, Duration.ofMinutes(5), 5, List.of(), Map.of());
  }

  /** The endpoint as {@code host:port}. */
  public String endpoint() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** True if the section is set; its own keys are not reported, only the section is refused. */
  private static boolean rejected(ConfigNode node, String key) {
    ConfigNode c = node.get(key);
    c.acceptAnyKey();
    return c.present();
  }

  static HealthCheckConfig read(ConfigNode node) {
    HealthCheckConfig d = defaults();
    String endpoint = node.string("endpoint", DEFAULT_ENDPOINT);
    String host = d.host();
    int port = d.port();
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0) {
      node.error("endpoint", "\"" + endpoint + "\" must be host:port, e.g. localhost:13133 or 0.0.0.0:13133");
    } else {
      host = endpoint.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty()) {
        host = "0.0.0.0"; // ":13133" listens on every interface, as in Go
      }
      try {
        port = Integer.parseInt(endpoint.substring(colon + 1));
        if (port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        node.error("endpoint", "\"" + endpoint + "\" has an invalid port; expected host:port with a port from 0 to 65535");
        port = d.port();
      }
    }
    String path = node.string("path", d.path());
    if (!path.startsWith("/")) {
      node.error("path", "\"" + path + "\" must start with \"/\"");
    }
    ConfigNode body = node.get("response_body");
    String healthy = null;
    String unhealthy = null;
    if (body.present()) {
      healthy = body.string("healthy", null);
      unhealthy = body.string("unhealthy", null);
    }
    ConfigNode check = node.get("check_collector_pipeline");
    boolean enabled = check.bool("enabled", false);
    Duration interval = check.duration("interval", d.checkInterval());
    int threshold = check.integer("exporter_failure_threshold", d.exporterFailureThreshold());
    if (enabled) {
      node.warn("check_collector_pipeline is documented as not working in otelcol and is ignored here; "
          + "health reflects whether the pipelines are running");
    }
    // otelcol's v2 settings need the extension.healthcheck.useComponentStatus gate.
    for (String v2 : List.of("http", "grpc")) {
      if (node.has(v2) && rejected(node, v2)) {
        node.error(v2, "is a setting of health_check v2, which needs the extension.healthcheck.useComponentStatus "
            + "feature gate; this collector implements the legacy health_check: use endpoint and path");
      }
    }
    if (node.has("tls") && rejected(node, "tls")) {
      node.error("tls", "TLS is not supported by health_check here; remove tls (probes run inside the task or pod)");
    }
    if (node.has("auth") && rejected(node, "auth")) {
      node.error("auth", "server authentication is not supported by health_check here; remove auth");
    }
    List<String> origins = List.of();
    ConfigNode cors = node.get("cors");
    if (cors.present()) {
      origins = List.copyOf(cors.stringList("allowed_origins"));
      cors.stringList("allowed_headers");
      cors.integer("max_age", 0);
    }
    Map<String, String> headers = Map.copyOf(node.stringMap("response_headers"));
    // confighttp server keys with no effect on a GET-only status endpoint; accepted so configs load.
    node.accept("max_request_body_size", "include_metadata", "read_timeout", "read_header_timeout",
        "write_timeout", "idle_timeout", "compression_algorithms", "keepalives_enabled", "transport");
    return new HealthCheckConfig(host, port, path, healthy, unhealthy, enabled, interval, threshold, origins, headers);
  }
}
