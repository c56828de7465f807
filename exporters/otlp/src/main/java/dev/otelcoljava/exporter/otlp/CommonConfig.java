package dev.otelcoljava.exporter.otlp;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Config sections both OTLP exporters share (otelcol's configtls, exporterhelper and configauth). */
public final class CommonConfig {
  private CommonConfig() {}

  /** Client TLS ({@code configtls.ClientConfig}). Defaults: TLS on, verification on. */
  public record Tls(boolean insecure, boolean insecureSkipVerify, String caFile, String certFile, String keyFile,
      String serverNameOverride, String minVersion) {
    static final Tls DEFAULT = new Tls(false, false, "", "", "", "", "1.2");

    static Tls read(ConfigNode n) {
      if (!n.present()) {
        n.accept();
        return DEFAULT;
      }
      n.accept("include_system_ca_certs_pool", "reload_interval", "cipher_suites", "ca_pem", "cert_pem", "key_pem", "max_version",
          "curve_preferences");
      Tls t = new Tls(n.bool("insecure", false), n.bool("insecure_skip_verify", false), n.string("ca_file", ""),
          n.string("cert_file", ""), n.string("key_file", ""), n.string("server_name_override", ""), n.string("min_version", "1.2"));
      if (t.certFile.isEmpty() != t.keyFile.isEmpty()) {
        n.error("provide both cert_file and key_file for a client certificate, or neither");
      }
      if (!List.of("1.0", "1.1", "1.2", "1.3").contains(t.minVersion)) {
        n.error("min_version", "\"" + t.minVersion + "\" must be one of 1.0, 1.1, 1.2, 1.3");
      }
      return t;
    }
  }

  /** {@code sending_queue}. Defaults: enabled, 10 consumers, 1000 batches. */
  public record Queue(boolean enabled, int numConsumers, int queueSize, boolean blockOnOverflow) {
    static Queue read(ConfigNode n) {
      n.accept("sizer", "batch", "wait_for_result");
      boolean enabled = n.bool("enabled", true);
      int consumers = n.integer("num_consumers", 10);
      int size = n.integer("queue_size", 1000);
      boolean block = n.bool("block_on_overflow", false) || n.bool("blocking", false);
      if (n.get("storage").present()) {
        n.error("storage", "a persistent sending queue is not supported by the OTLP exporters yet; remove storage");
      }
      if (enabled && consumers <= 0) {
        n.error("num_consumers", "(" + consumers + ") must be > 0");
      }
      if (enabled && size <= 0) {
        n.error("queue_size", "(" + size + ") must be > 0");
      }
      return new Queue(enabled, Math.max(1, consumers), Math.max(1, size), block);
    }
  }

  /** {@code retry_on_failure}. Defaults: enabled, 5s initial, 0.5 randomization, x1.5, 30s max, 300s elapsed (0: no limit). */
  public record Retry(boolean enabled, Duration initialInterval, double randomizationFactor, double multiplier,
      Duration maxInterval, Duration maxElapsedTime) {
    static Retry read(ConfigNode n) {
      Retry r = new Retry(n.bool("enabled", true), n.duration("initial_interval", Duration.ofSeconds(5)),
          n.number("randomization_factor", 0.5), n.number("multiplier", 1.5), n.duration("max_interval", Duration.ofSeconds(30)),
          n.duration("max_elapsed_time", Duration.ofMinutes(5)));
      if (r.enabled) {
        if (r.initialInterval.isNegative()) {
          n.error("initial_interval", "(" + r.initialInterval + ") must not be negative");
        }
        if (r.randomizationFactor < 0 || r.randomizationFactor > 1) {
          n.error("randomization_factor", "(" + r.randomizationFactor + ") must be within [0, 1]");
        }
        if (r.multiplier <= 0) {
          n.error("multiplier", "(" + r.multiplier + ") must be > 0");
        }
        if (r.maxElapsedTime.isNegative()) {
          n.error("max_elapsed_time", "(" + r.maxElapsedTime + ") must not be negative");
        }
        if (r.maxInterval.isNegative()) {
          n.error("max_interval", "(" + r.maxInterval + ") must not be negative");
        }
      }
      return r;
    }
  }

  /** The compression to use; zstd, snappy and lz4 are not built in and fall back to gzip with a warning. */
  static String compression(ConfigNode n, String key, List<String> supported) {
    String c = n.string(key, "gzip");
    if (c.isEmpty() || c.equals("none")) {
      return "none";
    }
    if (supported.contains(c)) {
      return c;
    }
    if (List.of("zstd", "snappy", "lz4", "zlib", "deflate").contains(c)) {
      n.warn(key + " \"" + c + "\" is not supported by this exporter; using gzip instead");
      return "gzip";
    }
    n.error(key, "unsupported compression type \"" + c + "\"; use gzip or none");
    return "gzip";
  }

  static ComponentId authenticator(ConfigNode n) {
    ConfigNode auth = n.get("auth");
    if (!auth.present()) {
      return null;
    }
    String id = auth.requiredString("authenticator");
    if (id.isEmpty()) {
      return null;
    }
    try {
      return ComponentId.parse(id);
    } catch (IllegalArgumentException e) {
      auth.error("authenticator", e.getMessage());
      return null;
    }
  }

  static Map<String, ComponentId> authReference(ComponentId id) {
    return id == null ? Map.of() : Map.of("auth::authenticator", id);
  }
}
