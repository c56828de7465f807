package dev.otelcoljava.receiver.prometheus.relabel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One Prometheus relabel rule (an item of {@code relabel_configs} or {@code
 * metric_relabel_configs}), immutable.
 *
 * <p>Defaults as in Prometheus: {@code separator} {@code ;}, {@code regex} {@code (.*)}, {@code
 * replacement} {@code $1}, {@code action} replace, {@code modulus} 0. The regex is kept as written
 * and compiled once (RE2 syntax through re2j) fully anchored as {@code ^(?s:R)$}; the canonical
 * constructor throws {@link IllegalArgumentException} for a pattern RE2 cannot compile. Values
 * handed in have already had the collector's {@code $$}→{@code $} expansion applied.
 *
 * @param sourceLabels labels whose values, joined by {@code separator}, form the matched value
 * @param separator joins the source label values
 * @param regex the pattern as written (not anchored)
 * @param modulus for hashmod (non-zero required there)
 * @param targetLabel label written by replace, hashmod, lowercase, uppercase; compared by
 *     keepequal/dropequal
 * @param replacement template for replace and labelmap ({@code $1}, {@code ${1}}, {@code ${name}})
 * @param action what the rule does
 */
public record RelabelConfig(
    List<String> sourceLabels,
    String separator,
    String regex,
    long modulus,
    String targetLabel,
    String replacement,
    Action action) {

  public static final String DEFAULT_SEPARATOR = ";";
  public static final String DEFAULT_REGEX = "(.*)";
  public static final String DEFAULT_REPLACEMENT = "$1";

  private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
  /** Prometheus' relabelTarget: a label name that may contain $n / ${n} references. */
  private static final Pattern RELABEL_TARGET =
      Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

  public RelabelConfig {
    sourceLabels = List.copyOf(sourceLabels);
    Objects.requireNonNull(separator, "separator");
    Objects.requireNonNull(regex, "regex");
    Objects.requireNonNull(targetLabel, "targetLabel");
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(action, "action");
    CompiledRegex.of(regex); // validates (throws IllegalArgumentException) and warms the cache
  }

  /** A rule with every default and the given action, source labels and target (for code/tests). */
  public static RelabelConfig of(Action action, List<String> sourceLabels, String regex, String targetLabel, String replacement) {
    return new RelabelConfig(sourceLabels, DEFAULT_SEPARATOR, regex, 0, targetLabel, replacement, action);
  }

  /** The compiled, fully anchored pattern (cached per distinct regex text). */
  public Pattern pattern() {
    return CompiledRegex.of(regex);
  }

  /**
   * Reads one rule (a {@code relabel_configs} item) with Prometheus' defaults and validation,
   * reporting each problem through the node with its YAML path. On errors the returned rule is
   * still usable (bad parts replaced by defaults) so reading can go on; the loader fails at the end.
   */
  public static RelabelConfig read(ConfigNode node) {
    if (!node.isMap()) {
      node.error("expected a relabel rule (a map with keys such as source_labels, regex, action)");
      return of(Action.REPLACE, List.of(), DEFAULT_REGEX, "", DEFAULT_REPLACEMENT);
    }
    List<String> sources = node.stringList("source_labels");
    boolean sourcesSet = node.get("source_labels").present();
    for (String s : sources) {
      if (!LABEL_NAME.matches(s)) {
        node.error("source_labels", "\"" + s + "\" is not a valid label name");
      }
    }
    String separator = node.string("separator", DEFAULT_SEPARATOR);
    String regex = node.string("regex", DEFAULT_REGEX);
    boolean regexSet = node.get("regex").present();
    long modulus = readModulus(node);
    String target = node.string("target_label", "");
    String replacement = node.string("replacement", DEFAULT_REPLACEMENT);
    String actionText = node.string("action", "replace");
    Action action = Action.parse(actionText);
    if (action == null) {
      node.error("action", "unknown relabel action \"" + actionText + "\" (known: replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase)");
      action = Action.REPLACE;
    }
    try {
      CompiledRegex.of(regex);
    } catch (IllegalArgumentException e) {
      node.error("regex", e.getMessage());
      regex = DEFAULT_REGEX;
    }
    String a = action.yamlName();
    if (modulus == 0 && action == Action.HASHMOD) {
      node.error("relabel configuration for hashmod requires non-zero modulus");
    }
    if ((action == Action.REPLACE || action == Action.HASHMOD || action == Action.LOWERCASE
            || action == Action.UPPERCASE || action == Action.KEEPEQUAL || action == Action.DROPEQUAL)
        && target.isEmpty()) {
      node.error("relabel configuration for " + a + " action requires 'target_label' value");
    } else if ((action == Action.REPLACE || action == Action.LOWERCASE || action == Action.UPPERCASE)
        && !RELABEL_TARGET.matches(target)) {
      node.error("\"" + target + "\" is invalid 'target_label' for " + a + " action");
    } else if (action == Action.HASHMOD && !LABEL_NAME.matches(target)) {
      node.error("\"" + target + "\" is invalid 'target_label' for " + a + " action");
    }
    if ((action == Action.LOWERCASE || action == Action.UPPERCASE || action == Action.KEEPEQUAL
            || action == Action.DROPEQUAL)
        && !replacement.equals(DEFAULT_REPLACEMENT)) {
      node.error("'replacement' can not be set for " + a + " action");
    }
    if (action == Action.LABELMAP && !RELABEL_TARGET.matches(replacement)) {
      node.error("\"" + replacement + "\" is invalid 'replacement' for " + a + " action");
    }
    if ((action == Action.KEEPEQUAL || action == Action.DROPEQUAL)
        && (regexSet && !regex.equals(DEFAULT_REGEX)
            || modulus != 0
            || !separator.equals(DEFAULT_SEPARATOR)
            || !replacement.equals(DEFAULT_REPLACEMENT))) {
      node.error(a + " action requires only 'source_labels' and `target_label`, and no other fields");
    }
    if ((action == Action.LABELDROP || action == Action.LABELKEEP)
        && (sourcesSet
            || !target.isEmpty()
            || modulus != 0
            || !separator.equals(DEFAULT_SEPARATOR)
            || !replacement.equals(DEFAULT_REPLACEMENT))) {
      node.error(a + " action requires only 'regex', and no other fields");
    }
    return new RelabelConfig(sources, separator, regex, modulus, target, replacement, action);
  }

  /** modulus is a uint64 in Prometheus: accept 0..2^64-1, kept as an unsigned long. */
  private static long readModulus(ConfigNode node) {
    Object raw = node.get("modulus").raw();
    java.math.BigInteger v = null;
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      v = java.math.BigInteger.valueOf(((Number) raw).longValue());
    } else if (raw instanceof java.math.BigInteger bi) {
      v = bi;
    } else if (raw instanceof String str) {
      try {
        v = new java.math.BigInteger(str.trim());
      } catch (NumberFormatException ignored) {
        v = null;
      }
    } else if (raw == null) {
      return 0;
    }
    if (v == null || v.signum() < 0 || v.bitLength() > 64) {
      node.error("modulus", "expected an unsigned 64-bit integer, got \"" + raw + "\"");
      return 0;
    }
    return v.longValue();
  }

  /** Reads the list of rules under {@code key} of {@code parent}; absent gives an empty list. */
  public static List<RelabelConfig> readList(ConfigNode parent, String key) {
    List<ConfigNode> items = parent.list(key);
    List<RelabelConfig> out = new ArrayList<>(items.size());
    for (ConfigNode item : items) {
      out.add(read(item));
    }
    return List.copyOf(out);
  }

  /** True if the regex is Prometheus' default (as written or absent). */
  boolean defaultRegex() {
    return regex.equals(DEFAULT_REGEX);
  }

  static boolean validLabelName(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Compiles regexes once per distinct text; thread-safe. */
  static final class CompiledRegex {
    private static final java.util.concurrent.ConcurrentHashMap<String, Pattern> CACHE =
        new java.util.concurrent.ConcurrentHashMap<>();

    private CompiledRegex() {}

    static Pattern of(String regex) {
      Pattern p = CACHE.get(regex);
      if (p != null) {
        return p;
      }
      try {
        p = Pattern.compile("^(?s:" + regex + ")$");
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regex \"" + regex + "\": " + e.getMessage()
                + " (relabel regexes use RE2 syntax: no backreferences or lookaround)", e);
      }
      Pattern prev = CACHE.putIfAbsent(regex, p);
      return prev == null ? p : prev;
    }
  }
}
