package dev.otelcoljava.exporter.awsemf;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes JSON exactly as Go's {@code encoding/json} Marshal does for the values the EMF exporter
 * emits: map keys sorted, {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped, float64 in
 * Go's shortest form ({@code 1e+21}, {@code 1e-7}, {@code 0.5}). Byte-compatible output keeps log
 * events identical to contrib's. Not thread-safe; one instance per event.
 */
final class GoJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final StringBuilder sb;

  GoJson(StringBuilder sb) {
    this.sb = sb;
  }

  GoJson string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> unicode(c);
        default -> {
          if (c < 0x20) {
            unicode(c);
          } else if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else {
              sb.append('\ufffd'); // Go replaces invalid UTF-8 with U+FFFD
            }
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
    return this;
  }

  private void unicode(char c) {
    sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
  }

  GoJson number(double d) {
    appendFloat(sb, d);
    return this;
  }

  GoJson number(long l) {
    sb.append(l);
    return this;
  }

  GoJson raw(char c) {
    sb.append(c);
    return this;
  }

  GoJson key(String k) {
    string(k);
    sb.append(':');
    return this;
  }

  /** Writes a parsed JSON value (parse_json_encoded_attr_values) as Go re-marshals an {@code any}. */
  GoJson tree(JsonNode n) {
    if (n == null || n.isNull()) {
      sb.append("null");
    } else if (n.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        sorted.put(e.getKey(), e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        key(e.getKey());
        tree(e.getValue());
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        tree(n.get(i));
      }
      sb.append(']');
    } else if (n.isTextual()) {
      string(n.textValue());
    } else if (n.isBoolean()) {
      sb.append(n.booleanValue());
    } else if (n.isNumber()) {
      appendFloat(sb, n.doubleValue()); // Go decodes JSON numbers into float64
    } else {
      string(n.asText());
    }
    return this;
  }

  /** Go's strconv.AppendFloat(f, 'f' or 'e', -1, 64) as encoding/json chooses it. */
  static void appendFloat(StringBuilder sb, double d) {
    if (d == 0) {
      sb.append((Double.doubleToRawLongBits(d) < 0) ? "-0" : "0");
      return;
    }
    double abs = Math.abs(d);
    if (abs >= 1e-6 && abs < 1e21) {
      if (d == Math.rint(d) && abs < 1e15) {
        sb.append((long) d);
        return;
      }
      sb.append(new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString());
      return;
    }
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    String digits = bd.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - bd.scale();
    if (d < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int e = Math.abs(exp);
    if (e < 10 && exp > 0) {
      sb.append('0'); // Go keeps two exponent digits, but trims e-07 to e-7
    }
    sb.append(e);
  }

  static String toString(Object v) {
    StringBuilder sb = new StringBuilder();
    new GoJson(sb).value(v);
    return sb.toString();
  }

  /** Writes String, Double, Long, Boolean, JsonNode, List, Map (keys sorted) or {@link EmfValue}. */
  @SuppressWarnings("unchecked")
  GoJson value(Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof Double d) {
      number(d);
    } else if (v instanceof Long l) {
      number(l);
    } else if (v instanceof Integer i) {
      number(i.longValue());
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof JsonNode n) {
      tree(n);
    } else if (v instanceof EmfValue e) {
      e.writeTo(this);
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        value(l.get(i));
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> m) {
      TreeMap<String, Object> sorted = new TreeMap<>((Map<String, Object>) m);
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        key(e.getKey());
        value(e.getValue());
      }
      sb.append('}');
    } else {
      string(String.valueOf(v));
    }
    return this;
  }

  /** A structured value whose field order is fixed (a Go struct). */
  interface EmfValue {
    void writeTo(GoJson out);
  }

  /** Histogram and summary statistics: Go's cWMetricStats field order. */
  record Stats(double max, double min, long count, double sum) implements EmfValue {
    @Override
    public void writeTo(GoJson o) {
      o.raw('{').key("Max").number(max).raw(',').key("Min").number(min).raw(',').key("Count").number(count)
          .raw(',').key("Sum").number(sum).raw('}');
    }
  }

  /** Exponential histogram buckets: Go's cWMetricHistogram field order. */
  record Histogram(List<Double> values, List<Double> counts, double max, double min, long count, double sum)
      implements EmfValue {
    @Override
    public void writeTo(GoJson o) {
      o.raw('{').key("Values").value(new ArrayList<>(values)).raw(',').key("Counts").value(new ArrayList<>(counts))
          .raw(',').key("Max").number(max).raw(',').key("Min").number(min).raw(',').key("Count").number(count)
          .raw(',').key("Sum").number(sum).raw('}');
    }
  }
}
