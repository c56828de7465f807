package dev.otelcoljava.processor.batch;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/** The {@code batch} processor factory. Stateless. */
public final class BatchProcessorFactory implements ProcessorFactory<BatchConfig> {
  public static final String TYPE = "batch";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public BatchConfig createConfig(ConfigNode node, String typeUsed) {
    return node.present() ? BatchConfig.read(node) : BatchConfig.defaults();
  }

  @Override
  public Processor createProcessor(CreateSettings settings, BatchConfig config, MetricsConsumer next) {
    return new BatchProcessor(settings, config, next);
  }
}
