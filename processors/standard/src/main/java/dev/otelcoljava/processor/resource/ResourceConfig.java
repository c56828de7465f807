package dev.otelcoljava.processor.resource;

import dev.otelcoljava.processor.internal.AttributeActions;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;

/** The {@code resource} processor config: {@code attributes}, a list of actions on resource attributes. */
public record ResourceConfig(List<AttributeActions.Action> attributes) {
  static ResourceConfig read(ConfigNode node) {
    List<AttributeActions.Action> actions = AttributeActions.read(node, "attributes");
    if (actions.isEmpty()) {
      node.error("missing required field \"attributes\"");
    }
    return new ResourceConfig(actions);
  }
}
