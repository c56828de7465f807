package dev.otelcoljava.processor.deltatorate;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;

/** The {@code deltatorate} processor factory. Stateless. The default config (no metrics) is invalid, as in contrib. */
public final class DeltaToRateProcessorFactory implements ProcessorFactory<DeltaToRateConfig> {
  public static final String TYPE = "deltatorate";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public DeltaToRateConfig createConfig(ConfigNode node, String typeUsed) {
    if (!node.present()) {
      node.error("metric names are missing");
      return new DeltaToRateConfig(List.of());
    }
    return DeltaToRateConfig.read(node);
  }

  @Override
  public Processor createProcessor(CreateSettings settings, DeltaToRateConfig config, MetricsConsumer next) {
    return new DeltaToRateProcessor(config, settings.logger(), next);
  }
}
