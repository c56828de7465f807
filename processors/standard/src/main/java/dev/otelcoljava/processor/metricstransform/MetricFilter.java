package dev.otelcoljava.processor.metricstransform;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.otelcoljava.processor.internal.GoRegex;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import java.util.List;
import java.util.Map;

/** A transform's include filter: name (strict or unanchored regexp) plus point label matchers. */
final class MetricFilter {
  private final String strictName; // null in regexp mode
  private final Pattern regex; // null in strict mode
  private final String[] labelKeys;
  private final String[] labelStrict;
  private final Pattern[] labelRegex;

  MetricFilter(String include, boolean regexp, Map<String, String> matchLabels) {
    this.strictName = regexp ? null : include;
    this.regex = regexp ? Pattern.compile(include) : null;
    int n = matchLabels.size();
    labelKeys = new String[n];
    labelStrict = new String[n];
    labelRegex = regexp ? new Pattern[n] : null;
    int i = 0;
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      labelKeys[i] = e.getKey();
      labelStrict[i] = e.getValue();
      if (regexp) {
        labelRegex[i] = Pattern.compile(e.getValue());
      }
      i++;
    }
  }

  boolean nameMatches(String name) {
    return regex == null ? name.equals(strictName) : regex.matcher(name).find();
  }

  private boolean valueMatches(int i, String v) {
    return labelRegex == null ? labelStrict[i].equals(v) : labelRegex[i].matcher(v).find();
  }

  /** contrib's matchAttrs: a missing label matches only if the matcher accepts "". Non-string values read as "". */
  boolean matchAttrs(Attributes attrs) {
    for (int i = 0; i < labelKeys.length; i++) {
      int idx = attrs.indexOf(labelKeys[i]);
      String v = idx < 0 ? "" : (attrs.value(idx) instanceof String s ? s : "");
      if (!valueMatches(i, v)) {
        return false;
      }
    }
    return true;
  }

  boolean hasLabelMatchers() {
    return labelKeys.length > 0;
  }

  /** Name matches and any point matches (or there are no points). */
  boolean matchMetric(Metric m) {
    if (!nameMatches(m.name())) {
      return false;
    }
    List<DataPoint> pts = m.points();
    if (pts.isEmpty() || labelKeys.length == 0) {
      return true;
    }
    for (DataPoint p : pts) {
      if (matchAttrs(p.attributes())) {
        return true;
      }
    }
    return false;
  }

  boolean matchAllPoints(Metric m) {
    if (labelKeys.length == 0) {
      return true;
    }
    for (DataPoint p : m.points()) {
      if (!matchAttrs(p.attributes())) {
        return false;
      }
    }
    return true;
  }

  /** The new name template expanded against the metric's name; "" in strict mode or when it does not match. */
  String expand(String template, String name) {
    if (regex == null) {
      return "";
    }
    Matcher m = regex.matcher(name);
    if (!m.find()) {
      return "";
    }
    return GoRegex.expand(template, regex, m);
  }

  /** The regexp (null in strict mode). */
  Pattern regex() {
    return regex;
  }
}
