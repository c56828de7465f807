package dev.otelcoljava.exporter.prometheusremotewrite;

import dev.otelcoljava.exporter.prometheusremotewrite.internal.NameRules;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.ExporterPreview;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Factory of the {@code prometheus_remote_write} exporter (older type name {@code
 * prometheusremotewrite}): sends metrics as Prometheus remote write 1.0 requests. Stateless.
 */
public final class PrometheusRemoteWriteExporterFactory
    implements ExporterFactory<PrometheusRemoteWriteConfig>, ExporterPreview<PrometheusRemoteWriteConfig> {
  static final List<String> PROTOCOL_HEADERS = List.of("content-encoding", "content-type", "x-prometheus-remote-write-version", "user-agent");

  @Override
  public String type() {
    return "prometheus_remote_write";
  }

  @Override
  public List<String> deprecatedTypes() {
    return List.of("prometheusremotewrite");
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public PrometheusRemoteWriteConfig createConfig(ConfigNode node, String typeUsed) {
    String endpoint = node.string("endpoint", "");
    {
      if (endpoint.isEmpty()) {
        node.error("endpoint", "is required; set it to the remote write URL, e.g. https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-.../api/v1/remote_write");
      } else {
        try {
          URI u = new URI(endpoint);
          if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
            node.error("endpoint", "\"" + endpoint + "\" is not an http(s) URL");
          }
        } catch (Exception e) {
          node.error("endpoint", "\"" + endpoint + "\" is not a valid URL: " + e.getMessage());
        }
      }
    }
    Duration timeout = node.duration("timeout", Duration.ofSeconds(5));
    if (timeout.isNegative()) {
      node.error("timeout", "must not be negative, got " + timeout);
    }
    Map<String, String> headers = node.stringMap("headers");
    for (String h : headers.keySet()) {
      if (PROTOCOL_HEADERS.contains(h.toLowerCase(Locale.ROOT))) {
        node.get("headers").error(h, "cannot override a header set by the remote write protocol (Content-Encoding, Content-Type, X-Prometheus-Remote-Write-Version, User-Agent)");
      }
    }
    ConfigNode tlsNode = node.get("tls");
    PrometheusRemoteWriteConfig.Tls tls = new PrometheusRemoteWriteConfig.Tls(
        tlsNode.string("ca_file", ""), tlsNode.string("cert_file", ""), tlsNode.string("key_file", ""),
        tlsNode.bool("insecure_skip_verify", false), tlsNode.string("server_name", ""),
        tlsNode.oneOf("min_version", "1.2", "1.0", "1.1", "1.2", "1.3"));
    tlsNode.accept("insecure", "max_version", "reload_interval", "include_system_ca_certs_pool");
    if (tls.certFile().isEmpty() != tls.keyFile().isEmpty()) {
      tlsNode.error("cert_file and key_file must be set together");
    }
    ComponentId auth = null;
    ConfigNode a = node.get("auth");
    if (a.present()) {
      String id = a.string("authenticator", "");
      if (id.isEmpty()) {
        a.error("authenticator", "is required when auth is set; name an extension such as sigv4auth");
      } else {
        try {
          auth = ComponentId.parse(id);
        } catch (IllegalArgumentException e) {
          a.error("authenticator", e.getMessage());
        }
      }
    }
    String compression = node.string("compression", "snappy");
    if (!compression.isEmpty() && !compression.equals("snappy")) {
      node.error("compression", "compression type must be snappy (got \"" + compression + "\")");
    }
    ConfigNode r = node.get("retry_on_failure");
    PrometheusRemoteWriteConfig.Retry retry = new PrometheusRemoteWriteConfig.Retry(
        r.bool("enabled", true), r.duration("initial_interval", Duration.ofMillis(50)),
        r.number("randomization_factor", 0.5), r.number("multiplier", 1.5),
        r.duration("max_interval", Duration.ofSeconds(30)), r.duration("max_elapsed_time", Duration.ofMinutes(5)));
    if (retry.randomizationFactor() < 0 || retry.randomizationFactor() > 1) {
      r.error("randomization_factor", "must be between 0 and 1, got " + retry.randomizationFactor());
    }
    if (retry.multiplier() < 1) {
      r.error("multiplier", "must be >= 1, got " + retry.multiplier());
    }
    if (retry.enabled() && retry.initialInterval().compareTo(retry.maxInterval()) > 0) {
      r.error("initial_interval (" + retry.initialInterval() + ") must be <= max_interval (" + retry.maxInterval() + ")");
    }
    ConfigNode q = node.get("remote_write_queue");
    PrometheusRemoteWriteConfig.Queue queue = new PrometheusRemoteWriteConfig.Queue(
        q.bool("enabled", true), q.integer("queue_size", 10000), q.integer("num_consumers", 5));
    if (queue.queueSize() < 0) {
      q.error("queue_size", "remote write queue size can't be negative");
    } else if (queue.enabled() && queue.queueSize() == 0) {
      q.error("queue_size", "a 0 size queue will drop all the data");
    }
    if (queue.numConsumers() < 0) {
      q.error("num_consumers", "remote write consumer number can't be negative");
    }
    if (node.has("sending_queue")) {
      node.error("sending_queue", "is not supported by this exporter (as in otelcol-contrib); use remote_write_queue and wal instead");
    }
    if (node.has("export_created_metric")) {
      node.warn("export_created_metric was removed upstream and is ignored");
    }
    int maxBatch = node.integer("max_batch_size_bytes", 3_000_000);
    if (maxBatch < 0) {
      node.error("max_batch_size_bytes", "max_batch_size_bytes must be greater than 0");
    } else if (maxBatch == 0) {
      maxBatch = 3_000_000;
    }
    int parallelism = node.integer("max_batch_request_parallelism", 5);
    if (parallelism < 1) {
      node.error("max_batch_request_parallelism", "max_batch_request_parallelism can't be set to below 1");
    }
    Map<String, String> ext = new TreeMap<>();
    for (Map.Entry<String, String> e : node.stringMap("external_labels").entrySet()) {
      if (e.getKey().isEmpty() || e.getValue().isEmpty()) {
        node.get("external_labels").error("prometheus remote write: external labels configuration contains an empty key or value (\"" + e.getKey() + "\": \"" + e.getValue() + "\")");
        continue;
      }
      ext.put(NameRules.labelName(e.getKey()), e.getValue());
    }
    String namespace = node.string("namespace", "");
    ConfigNode rt = node.get("resource_to_telemetry_conversion");
    boolean r2t = rt.bool("enabled", false);
    boolean excl = rt.bool("exclude_service_attributes", false);
    boolean targetInfo = node.get("target_info").bool("enabled", true);
    boolean disableScope = node.bool("disable_scope_info", false);
    boolean suffixes = node.bool("add_metric_suffixes", true);
    if (node.has("add_metric_suffixes")) {
      node.warn("add_metric_suffixes is deprecated; use translation_strategy");
    }
    String strategy = node.oneOf("translation_strategy", suffixes ? "UnderscoreEscapingWithSuffixes" : "UnderscoreEscapingWithoutSuffixes",
        "UnderscoreEscapingWithSuffixes", "UnderscoreEscapingWithoutSuffixes", "NoUTF8EscapingWithSuffixes", "NoTranslation");
    if (strategy != null && (strategy.equals("NoUTF8EscapingWithSuffixes") || strategy.equals("NoTranslation"))) {
      node.error("translation_strategy", "translation strategy " + strategy + " requires Prometheus Remote Write 2.0 (UTF-8 support), which this exporter does not send");
    }
    boolean sendMetadata = node.bool("send_metadata", false);
    String proto = node.oneOf("protobuf_message", "prometheus.WriteRequest", "prometheus.WriteRequest", "io.prometheus.write.v2.Request");
    if ("io.prometheus.write.v2.Request".equals(proto)) {
      node.error("protobuf_message", "remote write v2 is not supported; use prometheus.WriteRequest");
    }
    PrometheusRemoteWriteConfig.Wal wal = null;
    ConfigNode w = node.get("wal");
    if (w.present()) {
      wal = new PrometheusRemoteWriteConfig.Wal(w.string("directory", ""), w.integer("buffer_size", 300),
          w.duration("truncate_frequency", Duration.ofMinutes(1)), w.duration("lag_record_frequency", Duration.ofSeconds(15)),
          w.bytes("max_disk_usage", 1L << 30), w.duration("max_age", Duration.ofHours(24)));
      if (wal.directory().isEmpty()) {
        w.error("directory", "is required to enable the WAL; set it to a writable directory");
      }
      if (wal.bufferSize() < 1) {
        w.error("buffer_size", "must be >= 1, got " + wal.bufferSize());
      }
      if (wal.maxDiskUsage() < (1 << 20)) {
        w.error("max_disk_usage", "must be at least 1MiB, got " + wal.maxDiskUsage());
      }
      if (wal.truncateFrequency().isNegative() || wal.truncateFrequency().isZero()) {
        w.error("truncate_frequency", "must be > 0");
      }
    }
    return new PrometheusRemoteWriteConfig(endpoint, timeout, headers, tls, auth, retry, queue, maxBatch, parallelism,
        ext, namespace, r2t, excl, targetInfo, disableScope,
        strategy == null || strategy.endsWith("WithSuffixes"), strategy, sendMetadata, wal);
  }

  @Override
  public Map<String, ComponentId> extensionReferences(PrometheusRemoteWriteConfig config) {
    return config.authenticator() == null ? Map.of() : Map.of("auth::authenticator", config.authenticator());
  }

  @Override
  public Exporter createExporter(CreateSettings settings, PrometheusRemoteWriteConfig config) throws Exception {
    return new PrometheusRemoteWriteExporter(settings, config);
  }

  /** The series the exporter would send, one per line after a summary; nothing is sent. */
  @Override
  public ExporterPreview.Previewer previewer(CreateSettings settings, PrometheusRemoteWriteConfig config) {
    return new SeriesPreview(config);
  }
}
