package dev.otelcoljava.processor.attributes;

import dev.otelcoljava.processor.internal.AttributeActions;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;

/**
 * The {@code attributes} processor config for metrics: {@code actions} on data point attributes,
 * applied to metrics that pass {@code include} and fail {@code exclude}.
 */
public record AttributesConfig(List<AttributeActions.Action> actions, Match include, Match exclude) {
  /** A metric-name matcher: {@code match_type} strict | regexp and {@code metric_names}. */
  public record Match(String matchType, List<String> metricNames) {}

  static AttributesConfig read(ConfigNode node) {
    List<AttributeActions.Action> actions = AttributeActions.read(node, "actions");
    if (actions.isEmpty()) {
      node.error("missing required field \"actions\"");
    }
    return new AttributesConfig(actions, readMatch(node.get("include")), readMatch(node.get("exclude")));
  }

  private static Match readMatch(ConfigNode n) {
    if (!n.present()) {
      return null;
    }
    String type = n.string("match_type", "");
    if (!type.equals("strict") && !type.equals("regexp")) {
      n.error("match_type", "unrecognized match_type: '" + type + "', valid types are: [regexp strict]");
    }
    ConfigNode r = n.get("regexp");
    if (r.present()) {
      r.bool("cacheenabled", false);
      r.integer("cachemaxnumentries", 0);
    }
    List<String> names = n.stringList("metric_names");
    if (names.isEmpty()) {
      n.error("metric_names", "is required for metrics: list the metric names to match");
    }
    return new Match(type, names);
  }
}
