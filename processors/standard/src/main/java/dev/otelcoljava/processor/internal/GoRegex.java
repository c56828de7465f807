package dev.otelcoljava.processor.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.Map;

/**
 * Go {@code regexp} helpers over re2j: {@link #expand} follows Go's {@code Regexp.Expand}. Stateless
 * and thread-safe.
 */
public final class GoRegex {
  private GoRegex() {}

  /**
   * Expands a template as Go's {@code Regexp.ExpandString} does: {@code $name} or {@code ${name}}
   * is replaced by the group with that number or name; the name in {@code $name} is the longest run
   * of letters, digits and underscores; an unknown or out-of-range group expands to ""; {@code $$}
   * is a literal {@code $}. The matcher must have matched.
   */
  public static String expand(String template, Pattern pattern, Matcher m) {
    StringBuilder sb = new StringBuilder(template.length() + 16);
    Map<String, Integer> named = pattern.namedGroups();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 < n && template.charAt(i + 1) == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int next;
      if (i + 1 < n && template.charAt(i + 1) == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0 || close == i + 2 || !isName(template, i + 2, close)) {
          sb.append('$'); // malformed: Go keeps the '$' literally
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        next = close + 1;
      } else {
        int j = i + 1;
        while (j < n && isNameChar(template.charAt(j))) {
          j++;
        }
        if (j == i + 1) {
          sb.append('$');
          i++;
          continue;
        }
        name = template.substring(i + 1, j);
        next = j;
      }
      int group = -1;
      if (isNumber(name)) {
        try {
          group = Integer.parseInt(name);
        } catch (NumberFormatException ignored) {
          group = -1;
        }
      } else if (named.containsKey(name)) {
        group = named.get(name);
      }
      if (group >= 0 && group <= m.groupCount()) {
        String g = m.group(group);
        if (g != null) {
          sb.append(g);
        }
      }
      i = next;
    }
    return sb.toString();
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static boolean isName(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNumber(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /** Compiles an RE2 pattern, returning null and reporting via the callback when it is invalid. */
  public static Pattern compileOrNull(String regex, java.util.function.Consumer<String> onError) {
    try {
      return Pattern.compile(regex);
    } catch (com.google.re2j.PatternSyntaxException e) {
      onError.accept("invalid regular expression \"" + regex + "\": " + e.getDescription());
      return null;
    }
  }
}
