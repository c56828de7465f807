package dev.otelcoljava.processor.filter;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/** The {@code filter} processor factory (metrics). Stateless. */
public final class FilterProcessorFactory implements ProcessorFactory<FilterConfig> {
  public static final String TYPE = "filter";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public FilterConfig createConfig(ConfigNode node, String typeUsed) {
    return node.present() ? FilterConfig.read(node) : FilterConfig.defaults();
  }

  @Override
  public Processor createProcessor(CreateSettings settings, FilterConfig config, MetricsConsumer next) {
    return new FilterProcessor(settings, config, next);
  }
}
