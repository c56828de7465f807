package dev.otelcoljava.exporter.otlp;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.HttpClientAuthenticator;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;
import java.util.Map;

/**
 * The {@code otlp_grpc} exporter (deprecated alias {@code otlp}): OTLP/gRPC metrics export with
 * otelcol's sending queue and retry. A request-signing authenticator (sigv4auth) is refused at
 * start: signing an HTTP/2 gRPC stream is not supported; use {@code otlp_http}. Stateless.
 */
public final class OtlpGrpcExporterFactory implements ExporterFactory<OtlpGrpcExporterConfig> {
  @Override
  public String type() {
    return "otlp_grpc";
  }

  @Override
  public List<String> deprecatedTypes() {
    return List.of("otlp");
  }

  @Override
  public Stability stability() {
    return Stability.STABLE;
  }

  @Override
  public OtlpGrpcExporterConfig createConfig(ConfigNode node, String typeUsed) {
    return OtlpGrpcExporterConfig.read(node);
  }

  @Override
  public Map<String, ComponentId> extensionReferences(OtlpGrpcExporterConfig config) {
    return CommonConfig.authReference(config.authenticator());
  }

  @Override
  public Exporter createExporter(CreateSettings settings, OtlpGrpcExporterConfig config) {
    return new QueuedRetryExporter(settings, config.queue(), config.retry(), host -> {
      if (config.authenticator() != null) {
        Extension ext = host.extension(config.authenticator()).orElseThrow(() -> new IllegalStateException(
            "auth::authenticator: extension \"" + config.authenticator() + "\" is not configured in service::extensions"));
        if (ext instanceof HttpClientAuthenticator) {
          throw new IllegalStateException("auth::authenticator: \"" + config.authenticator() + "\" signs HTTP requests, which "
              + "this collector does not support over gRPC; use the otlp_http exporter (otlphttp) with this authenticator");
        }
        throw new IllegalStateException("auth::authenticator: extension \"" + config.authenticator() + "\" is not a client authenticator");
      }
      return new GrpcSender(config, settings.logger());
    });
  }
}
