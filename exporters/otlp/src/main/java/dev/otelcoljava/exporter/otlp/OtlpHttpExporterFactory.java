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
 * The {@code otlp_http} exporter (deprecated alias {@code otlphttp}): OTLP/HTTP metrics export
 * (protobuf or JSON, gzip) with otelcol's sending queue and retry, and request signing through an
 * {@link HttpClientAuthenticator} extension (sigv4auth). Stateless.
 */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterConfig> {
  @Override
  public String type() {
    return "otlp_http";
  }

  @Override
  public List<String> deprecatedTypes() {
    return List.of("otlphttp");
  }

  @Override
  public Stability stability() {
    return Stability.STABLE;
  }

  @Override
  public OtlpHttpExporterConfig createConfig(ConfigNode node, String typeUsed) {
    return OtlpHttpExporterConfig.read(node);
  }

  @Override
  public Map<String, ComponentId> extensionReferences(OtlpHttpExporterConfig config) {
    return CommonConfig.authReference(config.authenticator());
  }

  @Override
  public Exporter createExporter(CreateSettings settings, OtlpHttpExporterConfig config) {
    return new QueuedRetryExporter(settings, config.queue(), config.retry(), host -> {
      HttpClientAuthenticator auth = null;
      if (config.authenticator() != null) {
        Extension ext = host.extension(config.authenticator()).orElseThrow(() -> new IllegalStateException(
            "auth::authenticator: extension \"" + config.authenticator() + "\" is not configured in service::extensions"));
        if (!(ext instanceof HttpClientAuthenticator a)) {
          throw new IllegalStateException("auth::authenticator: extension \"" + config.authenticator()
              + "\" is not a client authenticator (such as sigv4auth)");
        }
        auth = a;
      }
      return new HttpSender(config, auth, settings.logger());
    });
  }
}
