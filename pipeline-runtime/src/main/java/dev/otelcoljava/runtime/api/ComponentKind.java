package dev.otelcoljava.runtime.api;

/** The four kinds of pipeline component, named as the config sections name them. */
public enum ComponentKind {
  RECEIVER("receivers", "receiver"),
  PROCESSOR("processors", "processor"),
  EXPORTER("exporters", "exporter"),
  EXTENSION("extensions", "extension");

  private final String section;
  private final String singular;

  ComponentKind(String section, String singular) {
    this.section = section;
    this.singular = singular;
  }

  /** The top-level config section, e.g. {@code receivers}. */
  public String section() {
    return section;
  }

  /** The word used in messages, e.g. {@code receiver}. */
  public String singular() {
    return singular;
  }
}
