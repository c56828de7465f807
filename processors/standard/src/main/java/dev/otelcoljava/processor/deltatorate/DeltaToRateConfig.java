package dev.otelcoljava.processor.deltatorate;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;

/** The {@code deltatorate} processor config: the exact names of the delta sums to turn into rates. */
public record DeltaToRateConfig(List<String> metrics) {
  static DeltaToRateConfig read(ConfigNode node) {
    List<String> metrics = node.stringList("metrics");
    if (metrics.isEmpty()) {
      node.error("metric names are missing");
    }
    return new DeltaToRateConfig(metrics);
  }
}
