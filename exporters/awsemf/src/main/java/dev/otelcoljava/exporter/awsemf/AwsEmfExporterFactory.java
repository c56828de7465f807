package dev.otelcoljava.exporter.awsemf;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.ExporterPreview;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Clock;

/**
 * The {@code awsemf} exporter factory: CloudWatch embedded metric format through CloudWatch Logs.
 * Stateless; the config has no side effects and the CloudWatch Logs client is built at start.
 */
public final class AwsEmfExporterFactory implements ExporterFactory<AwsEmfConfig>, ExporterPreview<AwsEmfConfig> {
  public static final String TYPE = "awsemf";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public AwsEmfConfig createConfig(ConfigNode node, String typeUsed) {
    return AwsEmfConfig.read(node);
  }

  @Override
  public Exporter createExporter(CreateSettings settings, AwsEmfConfig config) {
    return new AwsEmfExporter(settings, config, Clock.systemUTC(), System.out);
  }

  /** The EMF events the exporter would write, one per line after a summary; nothing is sent. */
  @Override
  public ExporterPreview.Previewer previewer(CreateSettings settings, AwsEmfConfig config) {
    return new EmfPreview(config);
  }
}
