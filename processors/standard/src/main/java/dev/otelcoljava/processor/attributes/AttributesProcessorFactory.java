package dev.otelcoljava.processor.attributes;

import dev.otelcoljava.processor.internal.AttributeActions;
import dev.otelcoljava.processor.internal.NameMatcher;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import java.util.List;

/** The {@code attributes} processor factory (metrics). Stateless; the default config (no actions) is invalid, as in contrib. */
public final class AttributesProcessorFactory implements ProcessorFactory<AttributesConfig> {
  public static final String TYPE = "attributes";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public AttributesConfig createConfig(ConfigNode node, String typeUsed) {
    if (!node.present()) {
      node.error("missing required field \"actions\"");
      return new AttributesConfig(List.of(), null, null);
    }
    return AttributesConfig.read(node);
  }

  @Override
  public Processor createProcessor(CreateSettings settings, AttributesConfig config, MetricsConsumer next) {
    return new AttributesProcessor(AttributeActions.of(config.actions()), matcher(config.include()),
        matcher(config.exclude()), next);
  }

  private static NameMatcher matcher(AttributesConfig.Match m) {
    if (m == null) {
      return null;
    }
    return m.matchType().equals("regexp") ? NameMatcher.regexp(m.metricNames(), e -> {}) : NameMatcher.strict(m.metricNames());
  }

  /** Applies the actions to the point attributes of selected metrics. Thread-safe. */
  static final class AttributesProcessor implements Processor {
    private final AttributeActions actions;
    private final NameMatcher include;
    private final NameMatcher exclude;
    private final MetricsConsumer next;

    AttributesProcessor(AttributeActions actions, NameMatcher include, NameMatcher exclude, MetricsConsumer next) {
      this.actions = actions;
      this.include = include;
      this.exclude = exclude;
      this.next = next;
    }

    @Override
    public boolean mutatesData() {
      return true;
    }

    @Override
    public void consume(MetricsBatch batch) throws ConsumerException {
      for (ResourceMetrics rm : batch.resourceMetrics()) {
        for (ScopeMetrics sm : rm.scopeMetrics()) {
          for (Metric m : sm.metrics()) {
            if ((include != null && !include.matches(m.name())) || (exclude != null && exclude.matches(m.name()))) {
              continue;
            }
            for (DataPoint p : m.points()) {
              actions.apply(p.attributes());
            }
          }
        }
      }
      next.consume(batch);
    }
  }
}
