package dev.otelcoljava.exporter.debug;

import dev.otelcoljava.runtime.api.ShortestDecimal;
import dev.otelcoljava.runtime.api.data.Attributes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Text formatting that matches what otelcol's debug exporter prints with Go's {@code fmt}: {@code
 * %v} of a float64 (shortest digits; exponent form below 1e-4 and from 1e6), {@code
 * %f} (six decimals), {@code time.Time.String()} and pdata's {@code Value.AsString()}.
 */
final class GoText {
  private GoText() {}

  /** Go's {@code %v} / {@code strconv.FormatFloat(f, 'g', -1, 64)}. */
  static void appendShortest(StringBuilder sb, double d) {
    if (appendSpecial(sb, d)) {
      return;
    }
    if (d == 0) {
      sb.append(isNegativeZero(d) ? "-0" : "0");
      return;
    }
    ShortestDecimal g = ShortestDecimal.of(d);
    int exp = g.point() - 1;
    // For the shortest form Go switches to the exponent form when exp < -4 or exp >= 6
    // (it fixes "eprec" at 6), so 1e6 prints as 1e+06 and 123456 as 123456.
    if (exp < -4 || exp >= 6) {
      appendExp(sb, g, exp);
      return;
    }
    g.appendPlain(sb);
  }

  /** Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}, or 'e' where pdata's AsString switches. */
  static void appendAsString(StringBuilder sb, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      sb.append("json: unsupported value: ");
      appendShortest(sb, d);
      return;
    }
    if (d == 0) {
      sb.append(isNegativeZero(d) ? "-0" : "0");
      return;
    }
    ShortestDecimal g = ShortestDecimal.of(d);
    double abs = Math.abs(d);
    if (abs < 1e-6 || abs >= 1e21) {
      // ES6 style: e-7, e+21 (no zero padding of the exponent).
      if (g.negative()) {
        sb.append('-');
      }
      sb.append(g.digits().charAt(0));
      if (g.digits().length() > 1) {
        sb.append('.').append(g.digits(), 1, g.digits().length());
      }
      int exp = g.point() - 1;
      sb.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
      return;
    }
    g.appendPlain(sb);
  }

  /** Go's {@code %f}: six decimals, rounded half to even on the exact binary value. */
  static void appendFixed6(StringBuilder sb, double d) {
    if (appendSpecial(sb, d)) {
      return;
    }
    if (d == 0 && isNegativeZero(d)) {
      sb.append("-0.000000");
      return;
    }
    sb.append(new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString());
  }

  private static boolean appendSpecial(StringBuilder sb, double d) {
    if (Double.isNaN(d)) {
      sb.append("NaN");
      return true;
    }
    if (d == Double.POSITIVE_INFINITY) {
      sb.append("+Inf");
      return true;
    }
    if (d == Double.NEGATIVE_INFINITY) {
      sb.append("-Inf");
      return true;
    }
    return false;
  }

  private static boolean isNegativeZero(double d) {
    return Double.doubleToRawLongBits(d) == Long.MIN_VALUE;
  }

  private static void appendExp(StringBuilder sb, ShortestDecimal g, int exp) {
    if (g.negative()) {
      sb.append('-');
    }
    sb.append(g.digits().charAt(0));
    if (g.digits().length() > 1) {
      sb.append('.').append(g.digits(), 1, g.digits().length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      sb.append('0');
    }
    sb.append(a);
  }

  /** Go's {@code time.Time.String()} in UTC: {@code 2006-01-02 15:04:05.999999999 +0000 UTC}. */
  static void appendTimestamp(StringBuilder sb, long unixNanos) {
    long secs = Math.floorDiv(unixNanos, 1_000_000_000L);
    int nanos = (int) Math.floorMod(unixNanos, 1_000_000_000L);
    LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
    pad(sb, t.getYear(), 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append(' ');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2);
    if (nanos != 0) {
      StringBuilder f = new StringBuilder(9);
      pad(f, nanos, 9);
      int end = 9;
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 0, end);
    }
    sb.append(" +0000 UTC");
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /** pdata's type name of an attribute value: Str, Int, Double, Bool, Bytes, Slice, Map. */
  static String typeName(Object v) {
    if (v instanceof String) {
      return "Str";
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return "Int";
    }
    if (v instanceof Double || v instanceof Float) {
      return "Double";
    }
    if (v instanceof Boolean) {
      return "Bool";
    }
    if (v instanceof byte[]) {
      return "Bytes";
    }
    if (v instanceof List) {
      return "Slice";
    }
    if (v instanceof Map) {
      return "Map";
    }
    return v == null ? "Empty" : "Str";
  }

  /** pdata's {@code Value.AsString()}: slices and maps as JSON, bytes as base64. */
  static void appendValue(StringBuilder sb, Object v) {
    if (v == null) {
      return;
    }
    if (v instanceof Double || v instanceof Float) {
      appendAsString(sb, ((Number) v).doubleValue());
    } else if (v instanceof byte[] b) {
      sb.append(Base64.getEncoder().encodeToString(b));
    } else if (v instanceof List || v instanceof Map) {
      appendJson(sb, v);
    } else {
      sb.append(v);
    }
  }

  private static void appendJson(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      appendJsonString(sb, s);
    } else if (v instanceof byte[] b) {
      appendJsonString(sb, Base64.getEncoder().encodeToString(b));
    } else if (v instanceof Double || v instanceof Float) {
      appendAsString(sb, ((Number) v).doubleValue());
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        appendJson(sb, l.get(i));
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> m) {
      // encoding/json sorts map keys.
      sb.append('{');
      boolean first = true;
      for (Object k : new java.util.TreeSet<>(m.keySet().stream().map(String::valueOf).toList())) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        appendJsonString(sb, (String) k);
        sb.append(':');
        appendJson(sb, m.get(k));
      }
      sb.append('}');
    } else {
      sb.append(v);
    }
  }

  private static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<' -> sb.append("\\u003c");
        case '>' -> sb.append("\\u003e");
        case '&' -> sb.append("\\u0026");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** {@code key=value} pairs joined by {@code sep}, values as {@link #appendValue}. */
  static void appendPairs(StringBuilder sb, Attributes a, char sep) {
    for (int i = 0; i < a.size(); i++) {
      if (i > 0) {
        sb.append(sep);
      }
      sb.append(a.key(i)).append('=');
      appendValue(sb, a.value(i));
    }
  }

  /** Lower-case hex of bytes, empty for null or all-zero ids (pdata prints an empty id as ""). */
  static String hexId(byte[] id) {
    if (id == null) {
      return "";
    }
    boolean allZero = true;
    for (byte b : id) {
      if (b != 0) {
        allZero = false;
        break;
      }
    }
    if (allZero) {
      return "";
    }
    StringBuilder sb = new StringBuilder(id.length * 2);
    for (byte b : id) {
      sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
    }
    return sb.toString();
  }
}
