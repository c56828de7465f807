package dev.otelcoljava.processor.filter;

import com.google.re2j.Pattern;
import dev.otelcoljava.processor.internal.GoRegex;
import dev.otelcoljava.processor.internal.NameMatcher;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import java.util.ArrayList;
import java.util.List;

/** A filter config compiled to matchers and conditions. Immutable and thread-safe. */
final class Compiled {
  /** A legacy include/exclude matcher: names (or expressions) AND resource attributes. */
  static final class LegacyMatcher {
    final NameMatcher names; // null: no name check
    final List<Condition> expressions; // null: not expr
    final String[] attrKeys;
    final String[] attrValues;
    final Pattern[] attrPatterns; // regexp mode

    LegacyMatcher(NameMatcher names, List<Condition> expressions, String[] keys, String[] values, Pattern[] patterns) {
      this.names = names;
      this.expressions = expressions;
      this.attrKeys = keys;
      this.attrValues = values;
      this.attrPatterns = patterns;
    }

    boolean matches(ResourceMetrics rm, Metric m, Condition.Ctx ctx) {
      for (int i = 0; i < attrKeys.length; i++) {
        String v = rm.resource().getString(attrKeys[i]);
        if (v == null) {
          return false;
        }
        if (attrPatterns != null ? !attrPatterns[i].matcher(v).find() : !v.equals(attrValues[i])) {
          return false;
        }
      }
      if (expressions != null) {
        ctx.metric = m;
        if (m.points().isEmpty()) {
          ctx.point = null;
          for (Condition c : expressions) {
            if (c.test(ctx)) {
              return true;
            }
          }
          return false;
        }
        for (DataPoint p : m.points()) {
          ctx.point = p;
          for (Condition c : expressions) {
            if (c.test(ctx)) {
              return true;
            }
          }
        }
        return false;
      }
      return names == null || names.matches(m.name());
    }
  }

  /** Conditions of one evaluation level with their error mode. */
  record Group(int level, String errorMode, List<Condition> conditions) {}

  final LegacyMatcher include;
  final LegacyMatcher exclude;
  final List<Group> groups;

  private Compiled(LegacyMatcher include, LegacyMatcher exclude, List<Group> groups) {
    this.include = include;
    this.exclude = exclude;
    this.groups = groups;
  }

  private interface Errors {
    void error(String path, String message);
  }

  static Compiled compile(FilterConfig c, ConfigNode node) {
    Errors errors = node == null
        ? (p, m) -> {
          throw new IllegalArgumentException(p + ": " + m);
        }
        : (p, m) -> node.error(p, m);
    LegacyMatcher inc = legacy(c.include(), "metrics::include", errors);
    LegacyMatcher exc = legacy(c.exclude(), "metrics::exclude", errors);
    List<Group> groups = new ArrayList<>();
    addLegacy(groups, c.resourceConditions(), Condition.RESOURCE, "metrics::resource", c.errorMode(), errors);
    addLegacy(groups, c.metricConditions(), Condition.METRIC, "metrics::metric", c.errorMode(), errors);
    addLegacy(groups, c.datapointConditions(), Condition.DATAPOINT, "metrics::datapoint", c.errorMode(), errors);
    if (c.inferred() != null) {
      for (int i = 0; i < c.inferred().size(); i++) {
        FilterConfig.ConditionGroup g = c.inferred().get(i);
        String path = "metric_conditions[" + i + "]";
        int fixed = switch (g.context()) {
          case "resource" -> Condition.RESOURCE;
          case "scope" -> Condition.SCOPE;
          case "metric" -> Condition.METRIC;
          case "datapoint" -> Condition.DATAPOINT;
          default -> -1;
        };
        List<Condition> conds = new ArrayList<>();
        int level = fixed;
        for (String text : g.conditions()) {
          try {
            Condition cond = Condition.parseOttl(text, fixed);
            conds.add(cond);
            level = Math.max(level, cond.level());
          } catch (Condition.ParseException e) {
            errors.error(path, unsupported(text, e));
          }
        }
        String em = g.errorMode().isEmpty() ? c.errorMode() : g.errorMode();
        if (!conds.isEmpty()) {
          groups.add(new Group(Math.max(level, Condition.RESOURCE), em, conds));
        }
      }
    }
    groups.sort((a, b) -> Integer.compare(a.level(), b.level()));
    return new Compiled(inc, exc, groups);
  }

  private static String unsupported(String text, Condition.ParseException e) {
    return "unsupported OTTL condition \"" + text + "\": " + e.getMessage()
        + " (otelcol-java supports comparisons, and/or/not, IsMatch, HasAttrKeyOnDatapoint, HasAttrOnDatapoint"
        + " on resource, scope, metric and datapoint fields)";
  }

  private static void addLegacy(List<Group> groups, List<String> texts, int level, String path, String errorMode, Errors errors) {
    if (texts == null || texts.isEmpty()) {
      return;
    }
    List<Condition> conds = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        conds.add(Condition.parseOttl(texts.get(i), level));
      } catch (Condition.ParseException e) {
        errors.error(path + "[" + i + "]", unsupported(texts.get(i), e));
      }
    }
    groups.add(new Group(level, errorMode, conds));
  }

  private static LegacyMatcher legacy(FilterConfig.MatchProperties mp, String path, Errors errors) {
    if (mp == null) {
      return null;
    }
    String[] keys = new String[mp.resourceAttributes().size()];
    String[] values = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = mp.resourceAttributes().get(i).key();
      values[i] = mp.resourceAttributes().get(i).value();
    }
    Pattern[] patterns = null;
    if (mp.matchType().equals("regexp")) {
      patterns = new Pattern[keys.length];
      for (int i = 0; i < keys.length; i++) {
        int idx = i;
        patterns[i] = GoRegex.compileOrNull(values[i], m -> errors.error(path + "::resource_attributes[" + idx + "]", m));
        if (patterns[i] == null) {
          patterns[i] = Pattern.compile("$^x");
        }
      }
    }
    if (mp.matchType().equals("expr")) {
      if (mp.expressions().isEmpty()) {
        return null;
      }
      List<Condition> conds = new ArrayList<>();
      for (int i = 0; i < mp.expressions().size(); i++) {
        String text = mp.expressions().get(i);
        try {
          conds.add(Condition.parseExpr(text));
        } catch (Condition.ParseException e) {
          errors.error(path + "::expressions[" + i + "]", "unsupported expr expression \"" + text + "\": " + e.getMessage());
        }
      }
      return new LegacyMatcher(null, conds, keys, values, patterns);
    }
    if (mp.metricNames().isEmpty() && keys.length == 0) {
      return null;
    }
    NameMatcher names = null;
    if (!mp.metricNames().isEmpty()) {
      names = mp.matchType().equals("regexp")
          ? NameMatcher.regexp(mp.metricNames(), m -> errors.error(path + "::metric_names", m))
          : NameMatcher.strict(mp.metricNames());
    }
    return new LegacyMatcher(names, null, keys, values, patterns);
  }
}
