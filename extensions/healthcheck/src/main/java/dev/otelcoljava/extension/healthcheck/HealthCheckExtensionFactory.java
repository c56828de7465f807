package dev.otelcoljava.extension.healthcheck;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.ExtensionFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Clock;

/**
 * The {@code health_check} extension (otelcol's legacy mode): an HTTP endpoint, default {@code
 * localhost:13133} (the IPv4 loopback only, as otelcol-contrib's default) path {@code /},
 * answering 200 with {@code {"status":"Server available",...}} while the pipelines run and 503
 * otherwise. The extension it creates implements {@link
 * dev.otelcoljava.runtime.api.PipelineStatusListener}; the runtime calls it. Stateless.
 */
public final class HealthCheckExtensionFactory implements ExtensionFactory<HealthCheckConfig> {
  @Override
  public String type() {
    return "health_check";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public HealthCheckConfig createConfig(ConfigNode node, String typeUsed) {
    return HealthCheckConfig.read(node);
  }

  @Override
  public Extension createExtension(CreateSettings settings, HealthCheckConfig config) {
    return new HealthCheckExtension(config, settings.logger(), Clock.systemUTC());
  }
}
