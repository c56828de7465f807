package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import dev.otelcoljava.runtime.api.ShortestDecimal;

import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metric and label name rules of otelcol-contrib's {@code pkg/translator/prometheus}: names are
 * split into tokens at every character that is not an ASCII letter or digit, unit and type suffixes
 * are appended unless present, and label names have invalid characters replaced with {@code _} and
 * a {@code key} prefix where they would start with a digit or a single underscore. Stateless and
 * thread-safe; callers cache the results per metric.
 */
public final class NameRules {
  private NameRules() {}

  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"),
      Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
      Map.entry("ns", "nanoseconds"), Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"),
      Map.entry("MiBy", "mebibytes"), Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"),
      Map.entry("KBy", "kilobytes"), Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"),
      Map.entry("TBy", "terabytes"), Map.entry("m", "meters"), Map.entry("V", "volts"),
      Map.entry("A", "amperes"), Map.entry("J", "joules"), Map.entry("W", "watts"),
      Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
      Map.entry("1", ""), Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS = Map.of(
      "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Splits at every character that is not an ASCII letter or digit, dropping empty tokens. */
  static List<String> tokens(String s) {
    List<String> out = new ArrayList<>(4);
    int start = -1;
    for (int i = 0; i < s.length(); i++) {
      if (isAlnum(s.charAt(i))) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      }
    }
    if (start >= 0) {
      out.add(s.substring(start));
    }
    return out;
  }

  static String cleanUp(String s) {
    return String.join("_", tokens(s));
  }

  /**
   * The Prometheus metric name of an OTel metric as contrib's BuildCompliantName gives it.
   *
   * @param namespace prefix ({@code <ns>_}) or empty
   * @param addSuffixes whether unit, {@code _total} and {@code _ratio} suffixes are added
   */
  public static String metricName(Metric metric, String namespace, boolean addSuffixes) {
    String name;
    if (addSuffixes) {
      List<String> tokens = tokens(metric.name());
      String unit = metric.unit();
      String mainUnit = "";
      String perUnit = "";
      int slash = unit.indexOf('/');
      String main = (slash < 0 ? unit : unit.substring(0, slash)).trim();
      if (!main.isEmpty() && main.indexOf('{') < 0 && main.indexOf('}') < 0) {
        mainUnit = cleanUp(UNITS.getOrDefault(main, main));
      }
      if (slash >= 0) {
        String per = unit.substring(slash + 1).trim();
        if (!per.isEmpty() && per.indexOf('{') < 0 && per.indexOf('}') < 0) {
          perUnit = cleanUp(PER_UNITS.getOrDefault(per, per));
        }
      }
      if (!mainUnit.isEmpty() && !tokens.contains(mainUnit)) {
        tokens.add(mainUnit);
      }
      if (!perUnit.isEmpty() && !tokens.contains(perUnit)) {
        tokens.add("per");
        tokens.add(perUnit);
      }
      if (metric.type() == MetricType.SUM && metric.monotonic()) {
        // every "total" token goes, as upstream's removeItem does: a_total_b_total -> a_b_total
        tokens.removeIf("total"::equals);
        tokens.add("total");
      }
      if (unit.equals("1") && metric.type() == MetricType.GAUGE) {
        tokens.removeIf("ratio"::equals);
        tokens.add("ratio");
      }
      if (!namespace.isEmpty()) {
        tokens.add(0, namespace);
      }
      name = String.join("_", tokens);
    } else {
      name = removeForbidden(metric.name());
      if (!namespace.isEmpty()) {
        name = namespace + "_" + name;
      }
    }
    if (!name.isEmpty() && name.charAt(0) >= '0' && name.charAt(0) <= '9') {
      name = "_" + name;
    }
    return name;
  }

  /** Joins the runs of letters, digits, {@code _} and {@code :} with {@code _}. */
  static String removeForbidden(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean pendingSep = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isAlnum(c) || c == '_' || c == ':') {
        if (pendingSep && sb.length() > 0) {
          sb.append('_');
        }
        pendingSep = false;
        sb.append(c);
      } else {
        pendingSep = true;
      }
    }
    return sb.toString();
  }

  /** A label name as contrib's NormalizeLabel gives it. */
  public static String labelName(String label) {
    if (label.isEmpty()) {
      return label;
    }
    boolean clean = true;
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (!isAlnum(c) && c != '_') {
        clean = false;
        break;
      }
    }
    String s = label;
    if (!clean) {
      StringBuilder sb = new StringBuilder(label.length());
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        sb.append(isAlnum(c) || c == '_' ? c : '_');
      }
      s = sb.toString();
    }
    char first = s.charAt(0);
    if (first >= '0' && first <= '9') {
      return "key_" + s;
    }
    if (first == '_' && !s.startsWith("__")) {
      return "key" + s;
    }
    return s;
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, with {@code +Inf}/{@code -Inf}/{@code NaN}. */
  public static String formatFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    StringBuilder sb = new StringBuilder(24);
    ShortestDecimal.of(v).appendPlain(sb);
    return sb.toString();
  }
}
