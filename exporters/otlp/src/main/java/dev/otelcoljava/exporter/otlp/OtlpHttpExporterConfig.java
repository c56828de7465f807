package dev.otelcoljava.exporter.otlp;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code otlp_http} (alias {@code otlphttp}) exporter's config. {@code endpoint} (the metrics
 * URL is {@code <endpoint>/v1/metrics}) or {@code metrics_endpoint} (used as is) is required;
 * defaults: gzip, {@code encoding: proto}, timeout 30s, the queue and retry defaults. Immutable.
 */
public record OtlpHttpExporterConfig(URI metricsUrl, boolean json, CommonConfig.Tls tls, Map<String, String> headers,
    String compression, Duration timeout, CommonConfig.Queue queue, CommonConfig.Retry retry, ComponentId authenticator) {

  static OtlpHttpExporterConfig read(ConfigNode n) {
    n.accept("traces_endpoint", "logs_endpoint", "profiles_endpoint", "read_buffer_size", "write_buffer_size", "max_idle_conns",
        "max_idle_conns_per_host", "max_conns_per_host", "idle_conn_timeout", "disable_keep_alives", "http2_read_idle_timeout",
        "http2_ping_timeout", "proxy_url", "cookies", "compression_params", "force_attempt_http2", "include_metadata");
    String endpoint = n.string("endpoint", "");
    String metricsEndpoint = n.string("metrics_endpoint", "");
    URI url = null;
    if (!metricsEndpoint.isEmpty()) {
      url = uri(n, "metrics_endpoint", metricsEndpoint);
    } else if (!endpoint.isEmpty()) {
      String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
      url = uri(n, "endpoint", base + "/v1/metrics");
    } else {
      n.error("at least one endpoint must be specified; set endpoint (e.g. http://collector:4318) or metrics_endpoint");
    }
    String encoding = n.oneOf("encoding", "proto", "proto", "json");
    CommonConfig.Tls tls = CommonConfig.Tls.read(n.get("tls"));
    Map<String, String> headers = n.stringMap("headers");
    String compression = CommonConfig.compression(n, "compression", List.of("gzip", "deflate", "zlib"));
    Duration timeout = n.duration("timeout", Duration.ofSeconds(30));
    if (timeout.isNegative()) {
      n.error("timeout", "(" + timeout + ") must not be negative");
    }
    CommonConfig.Queue queue = CommonConfig.Queue.read(n.get("sending_queue"));
    CommonConfig.Retry retry = CommonConfig.Retry.read(n.get("retry_on_failure"));
    ComponentId auth = CommonConfig.authenticator(n);
    return new OtlpHttpExporterConfig(url, "json".equals(encoding), tls, headers, compression, timeout, queue, retry, auth);
  }

  private static URI uri(ConfigNode n, String key, String text) {
    try {
      URI u = URI.create(text);
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
        n.error(key, "\"" + text + "\" must be an http:// or https:// URL");
        return null;
      }
      return u;
    } catch (IllegalArgumentException e) {
      n.error(key, "\"" + text + "\" is not a valid URL: " + e.getMessage());
      return null;
    }
  }
}
