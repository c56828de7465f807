package dev.otelcoljava.processor.resource;

import dev.otelcoljava.processor.internal.AttributeActions;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import java.util.List;

/** The {@code resource} processor factory. Stateless; the default config (no attributes) is invalid, as in contrib. */
public final class ResourceProcessorFactory implements ProcessorFactory<ResourceConfig> {
  public static final String TYPE = "resource";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public ResourceConfig createConfig(ConfigNode node, String typeUsed) {
    if (!node.present()) {
      node.error("missing required field \"attributes\"");
      return new ResourceConfig(List.of());
    }
    return ResourceConfig.read(node);
  }

  @Override
  public Processor createProcessor(CreateSettings settings, ResourceConfig config, MetricsConsumer next) {
    return new ResourceProcessor(AttributeActions.of(config.attributes()), next);
  }

  /** Applies the actions to every resource's attributes. Thread-safe. */
  static final class ResourceProcessor implements Processor {
    private final AttributeActions actions;
    private final MetricsConsumer next;

    ResourceProcessor(AttributeActions actions, MetricsConsumer next) {
      this.actions = actions;
      this.next = next;
    }

    @Override
    public boolean mutatesData() {
      return true;
    }

    @Override
    public void consume(MetricsBatch batch) throws ConsumerException {
      for (ResourceMetrics rm : batch.resourceMetrics()) {
        actions.apply(rm.resource());
      }
      next.consume(batch);
    }
  }
}
