package dev.otelcoljava.exporter.debug;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.ExporterMetrics;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/**
 * The removed {@code logging} exporter (otelcol ≤ v0.110), kept so old configs load: it is the
 * {@code debug} exporter with logging's defaults (verbosity normal, sampling_initial 2,
 * sampling_thereafter 500) and the old {@code loglevel} key (debug → detailed, info → normal,
 * warn/error → basic). Loading it warns once: {@code the "logging" exporter is deprecated; use
 * "debug" instead}.
 */
public final class LoggingExporterFactory implements ExporterFactory<DebugExporterConfig> {
  @Override
  public String type() {
    return "logging";
  }

  @Override
  public Stability stability() {
    return Stability.DEPRECATED;
  }

  @Override
  public DebugExporterConfig createConfig(ConfigNode node, String typeUsed) {
    return DebugExporterConfig.read(node, true);
  }

  @Override
  public Exporter createExporter(CreateSettings settings, DebugExporterConfig config) {
    return new DebugExporter(config, settings.logger(), ExporterMetrics.create(settings), System::nanoTime);
  }
}
