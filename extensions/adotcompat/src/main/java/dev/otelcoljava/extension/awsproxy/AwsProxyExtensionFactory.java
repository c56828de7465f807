package dev.otelcoljava.extension.awsproxy;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.ExtensionFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/**
 * The {@code awsproxy} extension: its keys load (so a config is read completely and every problem
 * reported at once), and creating it fails with the metrics-only message, because it serves the
 * AWS X-Ray API to trace SDKs, which this collector does not handle. Stateless.
 */
public final class AwsProxyExtensionFactory implements ExtensionFactory<AwsProxyExtensionFactory.Config> {
  /** The keys of upstream's awsproxy, read only to be validated. */
  public record Config(String endpoint) {}

  @Override
  public String type() {
    return "awsproxy";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Config createConfig(ConfigNode node, String typeUsed) {
    node.accept("proxy_address", "tls", "region", "role_arn", "aws_endpoint", "local_mode", "service_name", "additional_routing_rules",
        "transport");
    // otelcol-contrib's default since the component.UseLocalHostAsDefaultHost gate (never served here).
    return new Config(node.string("endpoint", "localhost:2000"));
  }

  @Override
  public Extension createExtension(CreateSettings settings, Config config) {
    throw new IllegalStateException("this collector handles metrics only: awsproxy serves the AWS X-Ray API for traces; remove it "
        + "from service::extensions or run it in another collector");
  }
}
