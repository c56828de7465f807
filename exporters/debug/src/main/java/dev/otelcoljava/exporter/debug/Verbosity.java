package dev.otelcoljava.exporter.debug;

import java.util.Locale;

/** How much the debug exporter prints: a summary, a line per point, or everything. */
public enum Verbosity {
  /** One summary line per batch: resource metrics, metrics, data points. */
  BASIC,
  /** The summary, then a line per resource, per scope and per data point. */
  NORMAL,
  /** The summary, then a full dump of every field. */
  DETAILED;

  /** The YAML spelling. */
  public String yaml() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a YAML value case-insensitively (as otelcol's level unmarshaler); null if unknown. */
  static Verbosity parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "basic" -> BASIC;
      case "normal" -> NORMAL;
      case "detailed" -> DETAILED;
      default -> null;
    };
  }
}
