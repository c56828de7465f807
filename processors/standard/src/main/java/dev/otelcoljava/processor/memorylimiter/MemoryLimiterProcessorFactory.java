package dev.otelcoljava.processor.memorylimiter;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/** The {@code memory_limiter} processor factory. Stateless; the default config is invalid, as in otelcol. */
public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {
  public static final String TYPE = "memory_limiter";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public MemoryLimiterConfig createConfig(ConfigNode node, String typeUsed) {
    if (!node.present()) {
      MemoryLimiterConfig d = MemoryLimiterConfig.defaults();
      d.validate(node);
      return d;
    }
    return MemoryLimiterConfig.read(node);
  }

  @Override
  public Processor createProcessor(CreateSettings settings, MemoryLimiterConfig config, MetricsConsumer next) {
    return new MemoryLimiterProcessor(settings, config, next, new MemoryLimiterProcessor.JvmMemory());
  }
}
