package dev.otelcoljava.processor.metricsgeneration;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;

/**
 * The {@code metricsgeneration} processor factory. {@code experimental_metricsgeneration}, the name
 * before contrib v0.115 (which dropped it without an alias), still loads with a deprecation warning.
 */
public final class MetricsGenerationProcessorFactory implements ProcessorFactory<MetricsGenerationConfig> {
  public static final String TYPE = "metricsgeneration";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> deprecatedTypes() {
    return List.of("experimental_metricsgeneration");
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public MetricsGenerationConfig createConfig(ConfigNode node, String typeUsed) {
    return node.present() ? MetricsGenerationConfig.read(node) : new MetricsGenerationConfig(List.of());
  }

  @Override
  public Processor createProcessor(CreateSettings settings, MetricsGenerationConfig config, MetricsConsumer next) {
    return new MetricsGenerationProcessor(config, settings.logger(), next);
  }
}
