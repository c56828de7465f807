package dev.otelcoljava.receiver.prometheus.otlp;

import java.util.Map;

/** Maps OpenMetrics UNIT names to UCUM, as otelcol's prometheus receiver does for common units. */
final class Units {
  private static final Map<String, String> UCUM = Map.ofEntries(
      Map.entry("days", "d"), Map.entry("hours", "h"), Map.entry("minutes", "min"), Map.entry("seconds", "s"),
      Map.entry("milliseconds", "ms"), Map.entry("microseconds", "us"), Map.entry("nanoseconds", "ns"),
      Map.entry("bytes", "By"), Map.entry("kibibytes", "KiBy"), Map.entry("mebibytes", "MiBy"),
      Map.entry("gibibytes", "GiBy"), Map.entry("tibibytes", "TiBy"), Map.entry("kilobytes", "KBy"),
      Map.entry("megabytes", "MBy"), Map.entry("gigabytes", "GBy"), Map.entry("terabytes", "TBy"),
      Map.entry("meters", "m"), Map.entry("volts", "V"), Map.entry("amperes", "A"), Map.entry("joules", "J"),
      Map.entry("watts", "W"), Map.entry("grams", "g"), Map.entry("celsius", "Cel"), Map.entry("hertz", "Hz"),
      Map.entry("ratio", "1"), Map.entry("percent", "%"));

  private Units() {}

  /** The UCUM form of an OpenMetrics unit; unknown units are passed through unchanged. */
  static String toUcum(String unit) {
    if (unit == null || unit.isEmpty()) {
      return "";
    }
    String u = UCUM.get(unit);
    return u == null ? unit : u;
  }
}
