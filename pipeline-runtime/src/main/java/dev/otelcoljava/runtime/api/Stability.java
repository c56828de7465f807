package dev.otelcoljava.runtime.api;

/** Stability levels as otelcol reports them in {@code components}. */
public enum Stability {
  DEVELOPMENT,
  ALPHA,
  BETA,
  STABLE,
  DEPRECATED,
  UNMAINTAINED;

  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
