package dev.otelcoljava.exporter.otlp;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code otlp_grpc} (alias {@code otlp}) exporter's config. {@code endpoint} is required
 * ({@code host:port}, or {@code http://} / {@code https://host:port}); defaults: gzip, timeout 5s,
 * the queue and retry defaults of {@link CommonConfig}. Immutable.
 */
public record OtlpGrpcExporterConfig(String endpoint, CommonConfig.Tls tls, Map<String, String> headers, String compression,
    Duration timeout, CommonConfig.Queue queue, CommonConfig.Retry retry, ComponentId authenticator, String authority,
    Duration keepaliveTime, Duration keepaliveTimeout, boolean keepalivePermitWithoutStream) {

  static OtlpGrpcExporterConfig read(ConfigNode n) {
    n.accept("balancer_name", "read_buffer_size", "write_buffer_size", "wait_for_ready");
    String endpoint = n.string("endpoint", "");
    if (endpoint.isEmpty()) {
      n.error("endpoint", "is required; set it to host:port of the OTLP/gRPC server, e.g. collector:4317");
    }
    CommonConfig.Tls tls = CommonConfig.Tls.read(n.get("tls"));
    Map<String, String> headers = n.stringMap("headers");
    String compression = CommonConfig.compression(n, "compression", List.of("gzip"));
    Duration timeout = n.duration("timeout", Duration.ofSeconds(5));
    if (timeout.isNegative()) {
      n.error("timeout", "(" + timeout + ") must not be negative");
    }
    CommonConfig.Queue queue = CommonConfig.Queue.read(n.get("sending_queue"));
    CommonConfig.Retry retry = CommonConfig.Retry.read(n.get("retry_on_failure"));
    ComponentId auth = CommonConfig.authenticator(n);
    String authority = n.string("authority", "");
    ConfigNode ka = n.get("keepalive");
    return new OtlpGrpcExporterConfig(endpoint, tls, headers, compression, timeout, queue, retry, auth, authority,
        ka.duration("time", Duration.ZERO), ka.duration("timeout", Duration.ZERO), ka.bool("permit_without_stream", false));
  }
}
