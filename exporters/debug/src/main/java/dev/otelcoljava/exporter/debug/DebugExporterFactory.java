package dev.otelcoljava.exporter.debug;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.ExporterMetrics;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/**
 * The {@code debug} exporter: prints the metrics it receives through the collector's logger.
 * Defaults: verbosity basic, sampling_initial 2, sampling_thereafter 1, use_internal_logger true.
 * Stateless and thread-safe.
 */
public final class DebugExporterFactory implements ExporterFactory<DebugExporterConfig> {
  @Override
  public String type() {
    return "debug";
  }

  @Override
  public Stability stability() {
    return Stability.DEVELOPMENT;
  }

  @Override
  public DebugExporterConfig createConfig(ConfigNode node, String typeUsed) {
    return DebugExporterConfig.read(node, false);
  }

  @Override
  public Exporter createExporter(CreateSettings settings, DebugExporterConfig config) {
    return new DebugExporter(config, settings.logger(), ExporterMetrics.create(settings), System::nanoTime);
  }
}
