package dev.otelcoljava.runtime.api.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of one node of a parsed YAML config, with its path ({@code
 * exporters::prometheusremotewrite::auth}), typed getters with defaults, and problem reporting.
 *
 * <p>Every key a factory asks about (present or not) is remembered; after the factory has read its
 * config the loader calls {@link #reportUnknownKeys()} on the root, which reports every present key
 * nobody asked about and names the nearest known key. Free-form maps (headers, labels) are read with
 * {@link #stringMap} or {@link #rawMap}, which accept any key. Getters never throw: a wrong type is
 * recorded as an error in {@link ConfigProblems} and the default is returned, so a factory reads
 * on and every problem is reported at once.
 */
public final class ConfigNode {
  private final Object value;
  private final String path;
  private final ConfigProblems problems;
  private final Set<String> asked = new LinkedHashSet<>();
  private final List<ConfigNode> children = new ArrayList<>();
  private boolean acceptAnyKey;

  private ConfigNode(Object value, String path, ConfigProblems problems) {
    this.value = value;
    this.path = path;
    this.problems = problems;
  }

  /** A root node over a parsed YAML value (maps, lists, scalars as SnakeYAML/Jackson yields them). */
  public static ConfigNode root(Object value, String path, ConfigProblems problems) {
    return new ConfigNode(value, path, problems);
  }

  /** The YAML path of this node, parts joined by {@code ::}, list items as {@code key[i]}. */
  public String path() {
    return path;
  }

  public ConfigProblems problems() {
    return problems;
  }

  /** True if the node has a non-null value. An empty body ({@code batch:}) is not present. */
  public boolean present() {
    return value != null;
  }

  public boolean isMap() {
    return value instanceof Map;
  }

  public boolean isList() {
    return value instanceof List;
  }

  public boolean isScalar() {
    return value != null && !(value instanceof Map) && !(value instanceof List);
  }

  /** The raw parsed value (Map, List, String, Number, Boolean) or null. */
  public Object raw() {
    return value;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map() {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    return Map.of();
  }

  /** The keys present, in YAML order. Listing them does not mark them as known. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(map().keySet());
  }

  /** True if the key is present (even with a null value). Marks the key as known. */
  public boolean has(String key) {
    asked.add(key);
    return map().containsKey(key);
  }

  /** Marks keys as known without reading them (e.g. accepted-and-ignored removed keys). */
  public void accept(String... keys) {
    Collections.addAll(asked, keys);
  }

  /** Marks every key of this node as known (a free-form map). */
  public void acceptAnyKey() {
    acceptAnyKey = true;
  }

  private String childPath(String key) {
    return path.isEmpty() ? key : path + "::" + key;
  }

  /** The child node for a key (absent: a node that is not {@link #present()}). */
  public ConfigNode get(String key) {
    asked.add(key);
    if (value != null && !(value instanceof Map)) {
      problems.error(path, "expected a map of keys, got " + describe(value));
    }
    ConfigNode c = new ConfigNode(map().get(key), childPath(key), problems);
    children.add(c);
    return c;
  }

  /** The items of this list node; a scalar or map is an error and yields no items. */
  public List<ConfigNode> items() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l)) {
      problems.error(path, "expected a list, got " + describe(value));
      return List.of();
    }
    List<ConfigNode> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      ConfigNode c = new ConfigNode(l.get(i), path + "[" + i + "]", problems);
      children.add(c);
      out.add(c);
    }
    return out;
  }

  /** The items of the list under a key (absent: empty). */
  public List<ConfigNode> list(String key) {
    return get(key).items();
  }

  /** This scalar node as text (numbers and booleans rendered as written), or null if absent. */
  public String asString() {
    if (value == null) {
      return null;
    }
    if (value instanceof Map || value instanceof List) {
      problems.error(path, "expected a string, got " + describe(value));
      return null;
    }
    return scalarText(value);
  }

  private static String scalarText(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
      return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(v);
  }

  public String string(String key, String def) {
    ConfigNode c = get(key);
    String s = c.asString();
    return s == null ? def : s;
  }

  /** A string that must be present and non-empty; otherwise an error naming the key. */
  public String requiredString(String key) {
    String s = string(key, null);
    if (s == null || s.isEmpty()) {
      problems.error(childPath(key), "is required; set it to a non-empty value");
      return "";
    }
    return s;
  }

  /** A string that must be one of the allowed values (compared case-sensitively). */
  public String oneOf(String key, String def, String... allowed) {
    String s = string(key, def);
    if (s == null) {
      return null;
    }
    for (String a : allowed) {
      if (a.equals(s)) {
        return s;
      }
    }
    problems.error(childPath(key), "\"" + s + "\" must be in " + List.of(allowed));
    return def;
  }

  public boolean bool(String key, boolean def) {
    ConfigNode c = get(key);
    Object v = c.value;
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    problems.error(c.path, "expected true or false, got " + describe(v));
    return def;
  }

  public long longValue(String key, long def) {
    ConfigNode c = get(key);
    Object v = c.value;
    if (v == null) {
      return def;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    problems.error(c.path, "expected an integer, got " + describe(v));
    return def;
  }

  public int integer(String key, int def) {
    long l = longValue(key, def);
    if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
      problems.error(childPath(key), "integer " + l + " is out of range");
      return def;
    }
    return (int) l;
  }

  public double number(String key, double def) {
    ConfigNode c = get(key);
    Object v = c.value;
    if (v == null) {
      return def;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    problems.error(c.path, "expected a number, got " + describe(v));
    return def;
  }

  /**
   * A duration: Go form ({@code 300ms}, {@code 1.5h}, {@code 2h45m}) or Prometheus form ({@code
   * 1d}, {@code 1w}, {@code 1y}); a YAML integer is nanoseconds, as otelcol decodes it.
   */
  public Duration duration(String key, Duration def) {
    ConfigNode c = get(key);
    Object v = c.value;
    if (v == null) {
      return def;
    }
    if (v instanceof Integer || v instanceof Long) {
      return Duration.ofNanos(((Number) v).longValue());
    }
    Duration d = parseDuration(String.valueOf(v));
    if (d == null) {
      problems.error(c.path, "expected a duration such as 30s, 1m or 500ms, got " + describe(v));
      return def;
    }
    return d;
  }

  /**
   * Parses a Go or Prometheus duration; null if it is not one or it does not fit in a long of
   * nanoseconds (about 292 years). Each number may have a fraction ({@code 1.5h}); its nanoseconds
   * are rounded down, per number, as Go does. Plain long arithmetic: BigDecimal's static
   * initialiser alone cost a few percent of the collector's start-up, where this runs interpreted.
   */
  public static Duration parseDuration(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      return null;
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    int n = s.length();
    if (n == 0) {
      return null;
    }
    long total = 0;
    int i = 0;
    try {
      while (i < n) {
        int start = i;
        long whole = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          whole = Math.addExact(Math.multiplyExact(whole, 10), s.charAt(i) - '0');
          i++;
        }
        int fracStart = i;
        int fracEnd = i;
        if (i < n && s.charAt(i) == '.') {
          fracStart = ++i;
          while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
          }
          fracEnd = i;
        }
        if (fracStart == start || i == start + 1 && s.charAt(start) == '.') {
          return null; // no digits: "", "." or a unit alone
        }
        int us = i;
        while (i < n && !(s.charAt(i) >= '0' && s.charAt(i) <= '9') && s.charAt(i) != '.') {
          i++;
        }
        long mult = switch (s.substring(us, i)) {
          case "ns" -> 1L;
          case "us", "\u00b5s", "\u03bcs" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          case "d" -> 86_400_000_000_000L;
          case "w" -> 7 * 86_400_000_000_000L;
          case "y" -> 365 * 86_400_000_000_000L;
          default -> -1L;
        };
        if (mult < 0) {
          return null;
        }
        // floor(0.f1f2...fk * mult) by Horner's rule from the last digit: each step's floor keeps
        // the result exact, and d * mult + r < 10 * mult fits in a long for every unit
        long frac = 0;
        for (int k = fracEnd - 1; k >= fracStart; k--) {
          frac = ((s.charAt(k) - '0') * mult + frac) / 10;
        }
        total = Math.addExact(total, Math.addExact(Math.multiplyExact(whole, mult), frac));
      }
    } catch (ArithmeticException e) {
      return null;
    }
    Duration d = Duration.ofNanos(total);
    return negative ? d.negated() : d;
  }

  /**
   * A byte size as Prometheus writes it ({@code 50MB}, {@code 512KiB}, {@code 1GB}: powers of
   * 1024) or a plain integer of bytes.
   */
  public long bytes(String key, long def) {
    ConfigNode c = get(key);
    Object v = c.value;
    if (v == null) {
      return def;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    long b = parseBytes(String.valueOf(v));
    if (b < 0) {
      problems.error(c.path, "expected a size such as 50MB or 512KiB, got " + describe(v));
      return def;
    }
    return b;
  }

  /** Parses a Prometheus base-2 byte size; -1 if it is not one. */
  public static long parseBytes(String text) {
    String s = text.trim();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      return -1;
    }
    double num;
    try {
      num = Double.parseDouble(s.substring(0, i));
    } catch (NumberFormatException e) {
      return -1;
    }
    String unit = s.substring(i).trim().toUpperCase(java.util.Locale.ROOT).replace("IB", "B");
    long mult;
    switch (unit) {
      case "", "B" -> mult = 1L;
      case "KB", "K" -> mult = 1L << 10;
      case "MB", "M" -> mult = 1L << 20;
      case "GB", "G" -> mult = 1L << 30;
      case "TB", "T" -> mult = 1L << 40;
      case "PB", "P" -> mult = 1L << 50;
      case "EB", "E" -> mult = 1L << 60;
      default -> {
        return -1;
      }
    }
    return (long) (num * mult);
  }

  /** A list of strings; absent gives an empty list; a single scalar is an error. */
  public List<String> stringList(String key) {
    ConfigNode c = get(key);
    if (c.value == null) {
      return List.of();
    }
    if (!(c.value instanceof List<?> l)) {
      problems.error(c.path, "expected a list of strings, got " + describe(c.value));
      return List.of();
    }
    List<String> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      Object o = l.get(i);
      if (o == null || o instanceof Map || o instanceof List) {
        problems.error(c.path + "[" + i + "]", "expected a string, got " + describe(o));
      } else {
        out.add(scalarText(o));
      }
    }
    return out;
  }

  /** A free-form map of string to string (headers, labels); every key is accepted. */
  public Map<String, String> stringMap(String key) {
    ConfigNode c = get(key);
    c.acceptAnyKey = true;
    if (c.value == null) {
      return Map.of();
    }
    if (!(c.value instanceof Map<?, ?> m)) {
      problems.error(c.path, "expected a map, got " + describe(c.value));
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map || v instanceof List) {
        problems.error(c.childPath(String.valueOf(e.getKey())), "expected a string, got " + describe(v));
      } else {
        out.put(String.valueOf(e.getKey()), v == null ? "" : scalarText(v));
      }
    }
    return out;
  }

  /** A free-form map with raw values; every key is accepted. */
  public Map<String, Object> rawMap(String key) {
    ConfigNode c = get(key);
    c.acceptAnyKey = true;
    if (c.value == null) {
      return Map.of();
    }
    if (!(c.value instanceof Map<?, ?>)) {
      problems.error(c.path, "expected a map, got " + describe(c.value));
      return Map.of();
    }
    return Collections.unmodifiableMap(c.map());
  }

  /** Records an error at this node: {@code <path>: <message>}. */
  public void error(String message) {
    problems.error(path, message);
  }

  /** Records an error at a key of this node: {@code <path>::<key>: <message>}. */
  public void error(String key, String message) {
    problems.error(childPath(key), message);
  }

  /** Records a warning (e.g. a deprecated spelling) at this node. */
  public void warn(String message) {
    problems.warn(path, message);
  }

  /**
   * Reports, for this node and every child read through it, each present key that no code asked
   * about, naming the nearest known key.
   */
  public void reportUnknownKeys() {
    if (value instanceof Map && !acceptAnyKey) {
      for (String k : map().keySet()) {
        if (!asked.contains(k)) {
          String near = nearest(k, asked);
          String hint = near == null ? "" : "; did you mean \"" + near + "\"?";
          String known = asked.isEmpty() ? " (this section takes no keys)" : " (known keys: " + String.join(", ", new java.util.TreeSet<>(asked)) + ")";
          problems.error(path, "unknown key \"" + k + "\"" + hint + known);
        }
      }
    }
    for (ConfigNode c : children) {
      c.reportUnknownKeys();
    }
  }

  /** The candidate closest to {@code key} by edit distance, or null if none is close. */
  public static String nearest(String key, Iterable<String> candidates) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = editDistance(key.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    if (best == null) {
      return null;
    }
    int limit = Math.max(2, Math.max(key.length(), best.length()) / 3);
    return bestD <= limit ? best : null;
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Map) {
      return "a map";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "\"" + v + "\"";
  }
}
