package dev.otelcoljava.extension.sigv4auth;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.ExtensionFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/**
 * The {@code sigv4auth} extension factory: signs outgoing HTTP requests with AWS Signature V4 (see
 * {@link SigV4AuthExtension}). Stateless; creating the config and the extension has no side effect
 * (credentials are resolved on the first signed request).
 */
public final class SigV4AuthExtensionFactory implements ExtensionFactory<SigV4AuthConfig> {
  public static final String TYPE = "sigv4auth";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public SigV4AuthConfig createConfig(ConfigNode node, String typeUsed) {
    return SigV4AuthConfig.read(node);
  }

  @Override
  public Extension createExtension(CreateSettings settings, SigV4AuthConfig config) {
    return new SigV4AuthExtension(config, settings.logger(), Environment.SYSTEM);
  }
}
