package dev.otelcoljava.processor.internal;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Matches names against a list of strict names or unanchored RE2 patterns, as otelcol's {@code
 * filterset} does ({@code match_type: strict | regexp}). Immutable and thread-safe.
 */
public final class NameMatcher {
  private final Set<String> strict;
  private final Pattern[] patterns;

  private NameMatcher(Set<String> strict, Pattern[] patterns) {
    this.strict = strict;
    this.patterns = patterns;
  }

  public static NameMatcher strict(List<String> names) {
    return new NameMatcher(new HashSet<>(names), new Pattern[0]);
  }

  /** Compiles each pattern; invalid ones are reported through {@code onError} and skipped. */
  public static NameMatcher regexp(List<String> regexes, java.util.function.Consumer<String> onError) {
    List<Pattern> ps = new ArrayList<>(regexes.size());
    for (String r : regexes) {
      Pattern p = GoRegex.compileOrNull(r, onError);
      if (p != null) {
        ps.add(p);
      }
    }
    return new NameMatcher(Set.of(), ps.toArray(new Pattern[0]));
  }

  public boolean matches(String name) {
    if (strict.contains(name)) {
      return true;
    }
    for (Pattern p : patterns) {
      if (p.matcher(name).find()) {
        return true;
      }
    }
    return false;
  }
}
