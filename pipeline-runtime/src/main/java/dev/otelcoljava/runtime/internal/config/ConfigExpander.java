package dev.otelcoljava.runtime.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands {@code ${...}} references in a parsed config as otelcol's confmap resolver does.
 *
 * <ul>
 *   <li>{@code ${env:VAR}}, {@code ${VAR}} (the default scheme is {@code env}), {@code
 *       ${env:VAR:-default}} (the default applies only when VAR is unset), {@code ${file:path}},
 *       {@code ${http://...}} and {@code ${https://...}}.
 *   <li>Names must match {@code ^[a-zA-Z_][a-zA-Z0-9_]*$}; an unset variable gives "" and a warning.
 *   <li>A value made of exactly one reference takes the YAML type of what it expands to (a number,
 *       a boolean, even a map); inside a longer string the text is substituted.
 *   <li>The innermost-first search is repeated until nothing changes, at most 1000 times, and a
 *       string stops expanding when it grows past 4 Mi characters (self-referencing variables).
 *   <li>A reference preceded by an odd number of {@code $} is escaped; finally every {@code $$}
 *       becomes {@code $}. A bare {@code $VAR} is left alone (otelcol since v0.107).
 * </ul>
 *
 * <p>One deviation, chosen deliberately: upstream stops expanding a whole string at the first
 * escaped reference ({@code $${env:A} ${env:B}} leaves {@code ${env:B}} untouched); here the search
 * continues after the escaped one, which is what a user writing that line means.
 */
final class ConfigExpander {
  static final String NAME_REGEX = "^[a-zA-Z_][a-zA-Z0-9_]*$";
  private static final Pattern NAME = Pattern.compile(NAME_REGEX);
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]+$");
  private static final int MAX_STEPS = 1000;
  private static final int MAX_NESTED = 100;
  /** Longer than any config document SnakeYAML reads (3M code points). */
  private static final int MAX_EXPANDED_CHARS = 4 << 20;

  private final EnvLookup env;
  private final List<String> warnings;

  ConfigExpander(EnvLookup env, List<String> warnings) {
    this.env = env;
    this.warnings = warnings;
  }

  /** Expands every string in the tree, then unescapes {@code $$}. Returns a new tree. */
  Object expandTree(Object value, String path) throws ConfigException {
    return unescape(expand(value, path, 0));
  }

  private Object expand(Object v, String path, int depth) throws ConfigException {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        out.put(k, expand(e.getValue(), path.isEmpty() ? k : path + "::" + k, depth));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        out.add(expand(l.get(i), path + "[" + i + "]", depth));
      }
      return out;
    }
    Object cur = v;
    for (int step = 0; step < MAX_STEPS; step++) {
      if (!(cur instanceof String s) || !s.contains("${") || !s.contains("}")) {
        return cur;
      }
      int[] span = findUri(s, 0);
      if (span == null) {
        return s;
      }
      String uri = s.substring(span[0], span[1]);
      if (uri.length() == s.length()) {
        cur = typed(retrieve(uri, path));
        if (cur instanceof Map || cur instanceof List) {
          // A map or list read from a reference may hold references itself.
          if (depth >= MAX_NESTED) {
            throw new ConfigException(
                "", (path.isEmpty() ? "" : path + ": ") + "too many recursive expansions (references nested more than "
                    + MAX_NESTED + " deep)");
          }
          return expand(cur, path, depth + 1);
        }
      } else {
        cur = s.replace(uri, asText(retrieve(uri, path), uri, path));
        if (((String) cur).length() > MAX_EXPANDED_CHARS) {
          // B="${env:A}${env:B}", A="${env:B}" doubles the text at every step: stop before the
          // 1000 steps exhaust the memory.
          throw new ConfigException(
              "", (path.isEmpty() ? "" : path + ": ") + "expanded value longer than " + MAX_EXPANDED_CHARS
                  + " characters: the references expand into themselves");
        }
      }
    }
    throw new ConfigException(
        "", (path.isEmpty() ? "" : path + ": ") + "too many recursive expansions (more than " + MAX_STEPS + ")");
  }

  /**
   * Finds the first expandable {@code ${...}}: the one that ends at the first {@code }} at or after
   * {@code from}, opened by the last {@code ${} before it, and not escaped by an odd run of {@code
   * $}. Returns [start, end) or null.
   */
  private static int[] findUri(String s, int from) {
    int close = s.indexOf('}', from);
    if (close < 0) {
      return null;
    }
    int open = s.lastIndexOf("${", close);
    if (open < from) {
      open = -1;
    }
    if (open < 0) {
      return findUri(s, close + 1);
    }
    int count = 0;
    for (int i = open - 1; i >= 0 && s.charAt(i) == '$'; i--) {
      count++;
    }
    if (count % 2 == 1) {
      return findUri(s, close + 1);
    }
    return new int[] {open, close + 1};
  }

  private Retrieved retrieve(String ref, String path) throws ConfigException {
    String uri = ref.substring(2, ref.length() - 1);
    String scheme;
    String opaque;
    int colon = uri.indexOf(':');
    if (colon < 0) {
      scheme = "env";
      opaque = uri;
    } else {
      scheme = uri.substring(0, colon);
      opaque = uri.substring(colon + 1);
    }
    String where = path.isEmpty() ? "" : path + ": ";
    if (!SCHEME.matcher(scheme).matches()) {
      throw new ConfigException("", where + "invalid uri: \"" + scheme + ":" + opaque + "\"");
    }
    if (opaque.contains("$")) {
      throw new ConfigException(
          "", where + "the uri \"" + scheme + ":" + opaque + "\" contains unsupported characters ('$')");
    }
    switch (scheme) {
      case "env" -> {
        String name = opaque;
        String def = null;
        int d = opaque.indexOf(":-");
        if (d >= 0) {
          name = opaque.substring(0, d);
          def = opaque.substring(d + 2);
        }
        if (!NAME.matcher(name).matches()) {
          throw new ConfigException(
              "", where + "environment variable \"" + name + "\" has invalid name: must match regex " + NAME_REGEX);
        }
        String val = env.get(name);
        if (val == null) {
          if (def != null) {
            val = def;
          } else {
            warnings.add("Configuration references unset environment variable \"" + name + "\"");
            val = "";
          }
        }
        return retrieved(val);
      }
      case "file" -> {
        try {
          return retrieved(Files.readString(Path.of(opaque), StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new ConfigException("", where + "unable to read the file " + opaque + ": " + e.getMessage());
        }
      }
      case "yaml" -> {
        return retrieved(opaque);
      }
      case "http", "https" -> {
        return retrieved(HttpSource.get(scheme + ":" + opaque));
      }
      default ->
          throw new ConfigException(
              "",
              where + "scheme \"" + scheme + "\" is not supported for uri \"" + scheme + ":" + opaque
                  + "\" (supported: env, file, yaml, http, https)");
    }
  }

  /** A retrieved value: the text with its YAML reading (see {@link #typed}). */
  private record Retrieved(String text, Object parsed) {}

  private static Retrieved retrieved(String text) {
    return new Retrieved(text, Yaml.parseLenient(text));
  }

  /**
   * The value for a whole-value reference. otelcol keeps both the YAML value and the original text
   * and gives string fields the text; plain values cannot carry both, so the YAML value is used
   * only where its text form is the original text (123, true, 1.5, maps, lists) and the original
   * text otherwise (0123, yes, an empty or "null" value).
   */
  private static Object typed(Retrieved ret) {
    Object p = ret.parsed();
    if (p instanceof Map || p instanceof List) {
      return p;
    }
    if (p == null) {
      return ret.text();
    }
    String t = ret.text().trim();
    if (p instanceof Boolean b && t.equals(b.toString())) {
      return b;
    }
    if (p instanceof Number n && numberText(n).equals(t)) {
      return n;
    }
    return ret.text();
  }

  private static String numberText(Number n) {
    return n.toString();
  }

  private static String asText(Retrieved ret, String uri, String path) throws ConfigException {
    if (ret.parsed() instanceof Map || ret.parsed() instanceof List) {
      throw new ConfigException(
          "",
          (path.isEmpty() ? "" : path + ": ")
              + "expanding " + uri + ": a map or list cannot be embedded in a string; make the reference the whole value");
    }
    return ret.text();
  }

  private static Object unescape(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), unescape(e.getValue()));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(unescape(o));
      }
      return out;
    }
    if (v instanceof String s && s.contains("$$")) {
      return s.replace("$$", "$");
    }
    return v;
  }
}
