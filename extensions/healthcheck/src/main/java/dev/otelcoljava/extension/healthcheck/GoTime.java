package dev.otelcoljava.extension.healthcheck;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Go's RFC 3339 (nano) time text and {@code time.Duration.String()}, as health_check prints them. */
final class GoTime {
  private GoTime() {}

  /** Go's {@code time.RFC3339Nano} in UTC: fraction with trailing zeros removed, {@code Z}. */
  static String rfc3339Nano(Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(32);
    pad(sb, d.getYear(), 4).append('-');
    pad(sb, d.getMonthValue(), 2).append('-');
    pad(sb, d.getDayOfMonth(), 2).append('T');
    pad(sb, d.getHour(), 2).append(':');
    pad(sb, d.getMinute(), 2).append(':');
    pad(sb, d.getSecond(), 2);
    int nanos = t.getNano();
    if (nanos != 0) {
      StringBuilder f = new StringBuilder(9);
      pad(f, nanos, 9);
      int end = 9;
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 0, end);
    }
    return sb.append('Z').toString();
  }

  /**
   * Go's {@code Duration.String()}: {@code 72h3m0.5s}, {@code 1.5s}, {@code 250ms}, {@code 3µs},
   * {@code 12ns}, {@code 0s}.
   */
  static String duration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    boolean neg = nanos < 0;
    // Long.MIN_VALUE cannot be negated; it is far beyond any uptime.
    long u = Math.abs(nanos);
    StringBuilder sb = new StringBuilder(24);
    if (u < 1_000_000_000L) {
      // Below one second: one unit with a fraction.
      long unit;
      String name;
      if (u < 1_000L) {
        unit = 1;
        name = "ns";
      } else if (u < 1_000_000L) {
        unit = 1_000L;
        name = "µs";
      } else {
        unit = 1_000_000L;
        name = "ms";
      }
      appendFraction(sb, u, unit);
      sb.append(name);
    } else {
      long hours = u / 3_600_000_000_000L;
      long rest = u % 3_600_000_000_000L;
      long minutes = rest / 60_000_000_000L;
      long secNanos = rest % 60_000_000_000L;
      if (hours > 0) {
        sb.append(hours).append('h');
      }
      if (hours > 0 || minutes > 0) {
        sb.append(minutes).append('m');
      }
      appendFraction(sb, secNanos, 1_000_000_000L);
      sb.append('s');
    }
    return neg ? "-" + sb : sb.toString();
  }

  private static void appendFraction(StringBuilder sb, long value, long unit) {
    sb.append(value / unit);
    long frac = value % unit;
    if (frac != 0) {
      int digits = Long.toString(unit).length() - 1;
      StringBuilder f = new StringBuilder(digits);
      String s = Long.toString(frac);
      for (int i = s.length(); i < digits; i++) {
        f.append('0');
      }
      f.append(s);
      int end = f.length();
      while (end > 0 && f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 0, end);
    }
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
