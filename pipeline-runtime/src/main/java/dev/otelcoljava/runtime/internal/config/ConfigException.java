package dev.otelcoljava.runtime.internal.config;

import java.util.List;

/**
 * A config that cannot be used: a header line (e.g. {@code invalid configuration}) and one line per
 * problem, each prefixed with its YAML path. {@link #getMessage()} joins them with newlines.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String header;
  private final List<String> problems;

  public ConfigException(String header, List<String> problems) {
    super(render(header, problems));
    this.header = header;
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String header, String problem) {
    this(header, List.of(problem));
  }

  public String header() {
    return header;
  }

  /** Every problem, one line each. */
  public List<String> problems() {
    return problems;
  }

  private static String render(String header, List<String> problems) {
    StringBuilder sb = new StringBuilder(header);
    if (problems.size() > 1 || !header.isEmpty()) {
      for (String p : problems) {
        sb.append('\n').append("  ").append(p);
      }
    } else if (!problems.isEmpty()) {
      sb.append(problems.get(0));
    }
    return sb.toString();
  }
}
