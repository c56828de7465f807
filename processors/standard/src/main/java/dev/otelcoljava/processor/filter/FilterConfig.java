package dev.otelcoljava.processor.filter;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code filter} processor config (metrics only), as otelcol-contrib reads it.
 *
 * @param errorMode {@code ignore} (default since contrib v0.150), {@code silent} or {@code propagate}
 * @param include legacy {@code metrics::include}, or null
 * @param exclude legacy {@code metrics::exclude}, or null
 * @param resourceConditions OTTL {@code metrics::resource} (null when absent)
 * @param metricConditions OTTL {@code metrics::metric} (null when absent)
 * @param datapointConditions OTTL {@code metrics::datapoint} (null when absent)
 * @param inferred {@code metric_conditions} groups (null when absent)
 */
public record FilterConfig(
    String errorMode,
    MatchProperties include,
    MatchProperties exclude,
    List<String> resourceConditions,
    List<String> metricConditions,
    List<String> datapointConditions,
    List<ConditionGroup> inferred) {

  /** Legacy include/exclude properties. */
  public record MatchProperties(
      String matchType, List<String> metricNames, List<String> expressions, List<ResourceAttribute> resourceAttributes) {}

  public record ResourceAttribute(String key, String value) {}

  /** One {@code metric_conditions} item: a context (empty: inferred), error mode (empty: the processor's) and conditions. */
  public record ConditionGroup(String context, String errorMode, List<String> conditions) {}

  static FilterConfig defaults() {
    return new FilterConfig("ignore", null, null, null, null, null, null);
  }

  static FilterConfig read(ConfigNode node) {
    String errorMode = node.oneOf("error_mode", "ignore", "ignore", "silent", "propagate");
    ConfigNode metrics = node.get("metrics");
    MatchProperties include = readMatch(metrics.get("include"));
    MatchProperties exclude = readMatch(metrics.get("exclude"));
    readRegexpConfig(metrics.get("regexp"));
    List<String> res = optionalList(metrics, "resource");
    List<String> met = optionalList(metrics, "metric");
    List<String> dp = optionalList(metrics, "datapoint");
    List<ConditionGroup> inferred = null;
    ConfigNode mc = node.get("metric_conditions");
    if (mc.present()) {
      inferred = new ArrayList<>();
      for (ConfigNode item : mc.items()) {
        if (item.isScalar()) {
          inferred.add(new ConditionGroup("", "", List.of(item.asString())));
        } else {
          String ctx = item.oneOf("context", "", "", "resource", "scope", "metric", "datapoint");
          String em = item.oneOf("error_mode", "", "", "ignore", "silent", "propagate");
          inferred.add(new ConditionGroup(ctx, em, item.stringList("conditions")));
        }
      }
    }
    boolean ottl = res != null || met != null || dp != null;
    boolean legacy = include != null || exclude != null;
    if (inferred != null && (ottl || legacy)) {
      node.error("cannot use context inferred metric conditions \"metric_conditions\" and the settings "
          + "\"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\", \"metrics.include\", \"metrics.exclude\" at the same time");
    } else if (ottl && legacy) {
      node.error("cannot use \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\" and the settings "
          + "\"metrics.include\", \"metrics.exclude\" at the same time");
    }
    FilterConfig c = new FilterConfig(errorMode, include, exclude, res, met, dp, inferred);
    // Compile everything once so that config errors name the bad condition at start-up.
    Compiled.compile(c, node);
    return c;
  }

  private static List<String> optionalList(ConfigNode parent, String key) {
    ConfigNode n = parent.get(key);
    if (!n.present()) {
      return null;
    }
    return parent.stringList(key);
  }

  private static void readRegexpConfig(ConfigNode r) {
    if (r.present()) {
      // The regexp cache settings only tune performance in Go; re2j needs no cache.
      r.bool("cacheenabled", false);
      r.integer("cachemaxnumentries", 0);
    }
  }

  private static MatchProperties readMatch(ConfigNode n) {
    if (!n.present()) {
      return null;
    }
    String matchType = n.string("match_type", "");
    List<String> names = n.stringList("metric_names");
    List<String> exprs = n.stringList("expressions");
    readRegexpConfig(n.get("regexp"));
    List<ResourceAttribute> attrs = new ArrayList<>();
    for (ConfigNode a : n.list("resource_attributes")) {
      attrs.add(new ResourceAttribute(a.string("key", ""), a.string("value", "")));
    }
    if (!matchType.equals("strict") && !matchType.equals("regexp") && !matchType.equals("expr")) {
      if (!names.isEmpty() || !attrs.isEmpty() || !matchType.isEmpty()) {
        n.error("match_type", "unrecognized match_type: '" + matchType + "', valid types are: [regexp strict expr]");
      }
    }
    if (matchType.equals("expr") && !names.isEmpty()) {
      n.error("metric_names", "must not be set with match_type expr; use expressions");
    }
    if (!matchType.equals("expr") && !exprs.isEmpty()) {
      n.error("expressions", "is only used with match_type expr");
    }
    return new MatchProperties(matchType, names, exprs, attrs);
  }
}
