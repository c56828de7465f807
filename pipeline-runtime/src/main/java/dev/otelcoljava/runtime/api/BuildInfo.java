package dev.otelcoljava.runtime.api;

/**
 * The collector's identity: {@code command} ({@code otelcol-java}), {@code description} and {@code
 * version}. Exporters build their User-Agent from it.
 */
public record BuildInfo(String command, String description, String version) {
  /** The User-Agent otelcol exporters send: description lowercased, spaces to dashes, then version. */
  public String userAgent() {
    return description.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "/" + version;
  }
}
