package dev.otelcoljava.processor.metricstransform;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;

/** The {@code metrics_transform} processor factory; {@code metricstransform} is the deprecated alias. Stateless. */
public final class MetricsTransformProcessorFactory implements ProcessorFactory<MetricsTransformConfig> {
  public static final String TYPE = "metrics_transform";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> deprecatedTypes() {
    return List.of("metricstransform");
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public MetricsTransformConfig createConfig(ConfigNode node, String typeUsed) {
    return node.present() ? MetricsTransformConfig.read(node) : new MetricsTransformConfig(List.of());
  }

  @Override
  public Processor createProcessor(CreateSettings settings, MetricsTransformConfig config, MetricsConsumer next) {
    return new MetricsTransformProcessor(config, settings.buildInfo().version(), settings.logger(), next);
  }
}
