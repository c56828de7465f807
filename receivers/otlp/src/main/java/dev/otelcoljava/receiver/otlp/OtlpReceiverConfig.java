package dev.otelcoljava.receiver.otlp;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.List;

/**
 * The {@code otlp} receiver's config: {@code protocols::grpc} and {@code protocols::http}, each
 * enabled when its key is present (an empty {@code grpc:} enables it with defaults). Immutable.
 */
public record OtlpReceiverConfig(Grpc grpc, Http http) {

  /** Server TLS ({@code configtls.ServerConfig}); null when absent. */
  public record Tls(String certFile, String keyFile, String caFile, String clientCaFile, String minVersion, String maxVersion) {
    static Tls read(ConfigNode n) {
      if (!n.present()) {
        return null;
      }
      n.accept("include_system_ca_certs_pool", "reload_interval", "cipher_suites", "cert_pem", "key_pem", "ca_pem", "curve_preferences");
      Tls t = new Tls(n.string("cert_file", ""), n.string("key_file", ""), n.string("ca_file", ""),
          n.string("client_ca_file", ""), n.string("min_version", "1.2"), n.string("max_version", ""));
      if (t.certFile.isEmpty() || t.keyFile.isEmpty()) {
        n.error("a server needs both cert_file and key_file; set both or remove tls");
      }
      for (String v : new String[] {t.minVersion, t.maxVersion}) {
        if (!v.isEmpty() && !List.of("1.0", "1.1", "1.2", "1.3").contains(v)) {
          n.error("TLS version \"" + v + "\" must be one of 1.0, 1.1, 1.2, 1.3");
        }
      }
      return t;
    }
  }

  /** {@code keepalive::server_parameters} and {@code keepalive::enforcement_policy}; zero means unset. */
  public record Keepalive(Duration maxConnectionIdle, Duration maxConnectionAge, Duration maxConnectionAgeGrace,
      Duration time, Duration timeout, Duration minTime, boolean permitWithoutStream) {
    static final Keepalive DEFAULT = new Keepalive(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, false);

    static Keepalive read(ConfigNode n) {
      if (!n.present()) {
        return DEFAULT;
      }
      ConfigNode sp = n.get("server_parameters");
      ConfigNode ep = n.get("enforcement_policy");
      return new Keepalive(sp.duration("max_connection_idle", Duration.ZERO), sp.duration("max_connection_age", Duration.ZERO),
          sp.duration("max_connection_age_grace", Duration.ZERO), sp.duration("time", Duration.ZERO),
          sp.duration("timeout", Duration.ZERO), ep.duration("min_time", Duration.ZERO), ep.bool("permit_without_stream", false));
    }
  }

  /** {@code protocols::grpc}. Defaults: endpoint 0.0.0.0:4317, max_recv_msg_size_mib 4, read_buffer_size 512 KiB. */
  public record Grpc(String endpoint, int maxRecvMsgSizeMib, int maxConcurrentStreams, int readBufferSize,
      int writeBufferSize, Keepalive keepalive, Tls tls, boolean includeMetadata) {}

  /** {@code protocols::http}. Defaults: endpoint 0.0.0.0:4318, metrics_url_path /v1/metrics, max_request_body_size 20 MiB. */
  public record Http(String endpoint, String metricsUrlPath, List<String> corsAllowedOrigins, List<String> corsAllowedHeaders,
      int corsMaxAge, Tls tls, boolean includeMetadata, long maxRequestBodySize) {}

  static final String GRPC_DEFAULT_ENDPOINT = "0.0.0.0:4317";
  static final String HTTP_DEFAULT_ENDPOINT = "0.0.0.0:4318";

  /** Reads the config; with no {@code protocols} at all, otelcol fails validation, and so does this. */
  static OtlpReceiverConfig read(ConfigNode node) {
    ConfigNode protocols = node.get("protocols");
    Grpc grpc = null;
    Http http = null;
    if (protocols.has("grpc")) {
      grpc = readGrpc(protocols.get("grpc"));
    }
    if (protocols.has("http")) {
      http = readHttp(protocols.get("http"));
    }
    if (grpc == null && http == null) {
      node.error("protocols", "must specify at least one protocol when using the OTLP receiver; add grpc: or http: under protocols");
    }
    return new OtlpReceiverConfig(grpc, http);
  }

  private static Grpc readGrpc(ConfigNode g) {
    String endpoint = endpoint(g, GRPC_DEFAULT_ENDPOINT);
    g.accept("transport", "compression_algorithms");
    if (g.present() && !"tcp".equals(g.string("transport", "tcp"))) {
      g.error("transport", "only tcp is supported");
    }
    int maxRecv = g.integer("max_recv_msg_size_mib", 4);
    if (maxRecv <= 0) {
      g.error("max_recv_msg_size_mib", "(" + maxRecv + ") must be > 0");
      maxRecv = 4;
    }
    int streams = g.integer("max_concurrent_streams", 0);
    if (streams < 0) {
      g.error("max_concurrent_streams", "(" + streams + ") must be >= 0");
    }
    int read = (int) Math.min(Integer.MAX_VALUE, g.bytes("read_buffer_size", 512 * 1024));
    int write = (int) Math.min(Integer.MAX_VALUE, g.bytes("write_buffer_size", 0));
    Keepalive ka = Keepalive.read(g.get("keepalive"));
    Tls tls = Tls.read(g.get("tls"));
    boolean meta = g.bool("include_metadata", false);
    rejectAuth(g);
    return new Grpc(endpoint, maxRecv, Math.max(0, streams), read, write, ka, tls, meta);
  }

  private static Http readHttp(ConfigNode h) {
    String endpoint = endpoint(h, HTTP_DEFAULT_ENDPOINT);
    String path = h.string("metrics_url_path", "/v1/metrics");
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    h.string("traces_url_path", "/v1/traces");
    h.string("logs_url_path", "/v1/logs");
    h.accept("compression_algorithms", "response_headers", "read_timeout", "read_header_timeout", "write_timeout", "idle_timeout",
        "include_metadata_keys", "keep_alives_enabled");
    ConfigNode cors = h.get("cors");
    List<String> origins = cors.stringList("allowed_origins");
    List<String> headers = cors.stringList("allowed_headers");
    int maxAge = cors.integer("max_age", 0);
    Tls tls = Tls.read(h.get("tls"));
    boolean meta = h.bool("include_metadata", false);
    long maxBody = h.bytes("max_request_body_size", 20L * 1024 * 1024);
    if (maxBody <= 0) {
      maxBody = 20L * 1024 * 1024;
    }
    rejectAuth(h);
    return new Http(endpoint, path, origins, headers, maxAge, tls, meta, maxBody);
  }

  private static void rejectAuth(ConfigNode n) {
    if (!n.rawMap("auth").isEmpty()) {
      n.error("auth", "server authenticators are not supported by this collector yet; remove auth (terminate "
          + "authentication in front of the collector) or bind the endpoint to localhost");
    }
  }

  private static String endpoint(ConfigNode n, String def) {
    String e = n.string("endpoint", def);
    if (e.isEmpty()) {
      return def;
    }
    if (e.lastIndexOf(':') < 0) {
      n.error("endpoint", "\"" + e + "\" must be host:port, e.g. " + def);
      return def;
    }
    try {
      int port = Integer.parseInt(e.substring(e.lastIndexOf(':') + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException ex) {
      n.error("endpoint", "\"" + e + "\" has no valid port; use host:port, e.g. " + def);
      return def;
    }
    return e;
  }
}
