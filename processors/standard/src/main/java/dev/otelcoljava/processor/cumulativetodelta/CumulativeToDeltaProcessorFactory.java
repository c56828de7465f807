package dev.otelcoljava.processor.cumulativetodelta;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/** The {@code cumulativetodelta} processor factory. Stateless. */
public final class CumulativeToDeltaProcessorFactory implements ProcessorFactory<CumulativeToDeltaConfig> {
  public static final String TYPE = "cumulativetodelta";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public CumulativeToDeltaConfig createConfig(ConfigNode node, String typeUsed) {
    return node.present() ? CumulativeToDeltaConfig.read(node) : CumulativeToDeltaConfig.defaults();
  }

  @Override
  public Processor createProcessor(CreateSettings settings, CumulativeToDeltaConfig config, MetricsConsumer next) {
    return new CumulativeToDeltaProcessor(config, settings.logger(), next, CumulativeToDeltaProcessorFactory::wallClockNanos);
  }

  static long wallClockNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
