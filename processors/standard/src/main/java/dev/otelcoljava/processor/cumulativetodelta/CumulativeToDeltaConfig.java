package dev.otelcoljava.processor.cumulativetodelta;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.List;

/**
 * The {@code cumulativetodelta} processor config.
 *
 * @param include which metrics to convert (empty: all eligible)
 * @param exclude which metrics never to convert; wins over include
 * @param maxStaleness how long a stream's state lives after it was last seen; 0 keeps it forever
 * @param initialValue {@code auto} (default), {@code keep} or {@code drop}
 */
public record CumulativeToDeltaConfig(Match include, Match exclude, Duration maxStaleness, String initialValue) {
  /** Default {@code max_staleness}, as in the current contrib factory. */
  public static final Duration DEFAULT_MAX_STALENESS = Duration.ofHours(1);

  static final List<String> METRIC_TYPES = List.of("sum", "histogram", "exponentialhistogram");

  /** A name/type filter: {@code metrics} with {@code match_type} (strict | regexp) and {@code metric_types}. */
  public record Match(List<String> metrics, String matchType, List<String> metricTypes) {
    static final Match EMPTY = new Match(List.of(), "", List.of());
  }

  static CumulativeToDeltaConfig defaults() {
    return new CumulativeToDeltaConfig(Match.EMPTY, Match.EMPTY, DEFAULT_MAX_STALENESS, "auto");
  }

  static CumulativeToDeltaConfig read(ConfigNode node) {
    Match include = readMatch(node.get("include"), "include");
    Match exclude = readMatch(node.get("exclude"), "exclude");
    List<String> old = node.stringList("metrics");
    if (!old.isEmpty()) {
      if (!include.metrics().isEmpty() || !include.matchType().isEmpty()) {
        node.error("metrics", "cannot be used together with include; move the names to include::metrics");
      } else {
        node.warn("\"metrics\" is deprecated; use include: {match_type: strict, metrics: [...]} instead");
        include = new Match(old, "strict", include.metricTypes());
      }
    }
    Duration staleness = node.duration("max_staleness", DEFAULT_MAX_STALENESS);
    if (staleness.isNegative()) {
      node.error("max_staleness", "must not be negative, got " + staleness);
    }
    String initial = node.oneOf("initial_value", "auto", "auto", "keep", "drop");
    if ((!include.metrics().isEmpty() && include.matchType().isEmpty())
        || (!exclude.metrics().isEmpty() && exclude.matchType().isEmpty())) {
      node.error("match_type must be set if metrics are supplied");
    }
    if ((!include.matchType().isEmpty() && include.metrics().isEmpty())
        || (!exclude.matchType().isEmpty() && exclude.metrics().isEmpty())) {
      node.error("metrics must be supplied if match_type is set");
    }
    return new CumulativeToDeltaConfig(include, exclude, staleness, initial);
  }

  private static Match readMatch(ConfigNode n, String name) {
    if (!n.present()) {
      return Match.EMPTY;
    }
    List<String> metrics = n.stringList("metrics");
    String matchType = n.string("match_type", "");
    if (!matchType.isEmpty() && !matchType.equals("strict") && !matchType.equals("regexp")) {
      n.error("match_type", "unrecognized match_type: '" + matchType + "', valid types are: [regexp strict]");
    }
    ConfigNode r = n.get("regexp");
    if (r.present()) {
      r.bool("cacheenabled", false);
      r.integer("cachemaxnumentries", 0);
    }
    List<String> types = n.stringList("metric_types");
    for (String t : types) {
      if (!METRIC_TYPES.contains(t)) {
        n.error("found invalid metric type in " + name + ".metric_types: " + t + ". Valid values are " + METRIC_TYPES);
      }
    }
    return new Match(metrics, matchType, types);
  }
}
