package dev.otelcoljava.receiver.prometheus.relabel;

import java.util.Locale;

/** A relabel action; YAML names are the lower-case enum names, matched case-insensitively. */
public enum Action {
  REPLACE,
  KEEP,
  DROP,
  KEEPEQUAL,
  DROPEQUAL,
  HASHMOD,
  LABELMAP,
  LABELDROP,
  LABELKEEP,
  LOWERCASE,
  UPPERCASE;

  /** The YAML spelling ({@code replace}, {@code labelmap}, ...). */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action for a YAML name (case-insensitive), or null if unknown. */
  public static Action parse(String s) {
    for (Action a : values()) {
      if (a.name().equalsIgnoreCase(s)) {
        return a;
      }
    }
    return null;
  }
}
