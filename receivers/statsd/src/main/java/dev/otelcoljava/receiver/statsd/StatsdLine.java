package dev.otelcoljava.receiver.statsd;

import dev.otelcoljava.runtime.api.data.Attributes;
import java.util.Map;
import java.util.TreeMap;

/**
 * One parsed StatsD line {@code <name>:<value>|<type>[|@<rate>][|#k:v,...][|c:<container>][|T<secs>]}
 * (StatsD and DogStatsD 1.2/1.3), as otelcol-contrib's statsd receiver parses it. Immutable.
 */
record StatsdLine(String name, char type, double value, boolean addition, double sampleRate, long timestampNanos, Attributes attributes) {
  /** The metric types: c (counter), g (gauge), h (histogram), ms (timing, stored as 't'), d (distribution). */
  static final char COUNTER = 'c';
  static final char GAUGE = 'g';
  static final char HISTOGRAM = 'h';
  static final char TIMING = 't';
  static final char DISTRIBUTION = 'd';

  /** A line that cannot be parsed; the message says why. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  static StatsdLine parse(String line, boolean enableMetricType, boolean enableSimpleTags) throws ParseException {
    int bar = line.indexOf('|');
    if (bar < 0) {
      throw new ParseException("invalid message format: " + line);
    }
    String nameValue = line.substring(0, bar);
    int colon = nameValue.indexOf(':');
    if (colon < 0) {
      throw new ParseException("invalid <name>:<value> format: " + nameValue);
    }
    String name = nameValue.substring(0, colon);
    if (name.isEmpty()) {
      throw new ParseException("empty metric name");
    }
    String valueStr = nameValue.substring(colon + 1);
    if (valueStr.isEmpty()) {
      throw new ParseException("empty metric value");
    }
    boolean addition = valueStr.charAt(0) == '-' || valueStr.charAt(0) == '+';
    String rest = line.substring(bar + 1);
    int next = rest.indexOf('|');
    String typeStr = next < 0 ? rest : rest.substring(0, next);
    char type = switch (typeStr) {
      case "c" -> COUNTER;
      case "g" -> GAUGE;
      case "h" -> HISTOGRAM;
      case "ms" -> TIMING;
      case "d" -> DISTRIBUTION;
      default -> throw new ParseException("unsupported metric type: " + typeStr);
    };
    double sampleRate = 0;
    long timestamp = 0;
    // Attribute sets are sorted by key with the last value winning, as Go's attribute.NewSet does.
    Map<String, String> tags = new TreeMap<>();
    String parts = next < 0 ? "" : rest.substring(next + 1);
    while (!parts.isEmpty()) {
      int b = parts.indexOf('|');
      String part = b < 0 ? parts : parts.substring(0, b);
      parts = b < 0 ? "" : parts.substring(b + 1);
      if (part.isEmpty()) {
        break;
      }
      if (part.startsWith("@")) {
        try {
          sampleRate = Double.parseDouble(part.substring(1));
        } catch (NumberFormatException e) {
          throw new ParseException("parse sample rate: " + part.substring(1));
        }
      } else if (part.startsWith("#")) {
        String tagsStr = part.substring(1);
        while (!tagsStr.isEmpty()) {
          int comma = tagsStr.indexOf(',');
          String tag = comma < 0 ? tagsStr : tagsStr.substring(0, comma);
          tagsStr = comma < 0 ? "" : tagsStr.substring(comma + 1);
          if (tag.isEmpty()) {
            break;
          }
          int c = tag.indexOf(':');
          String k = c < 0 ? tag : tag.substring(0, c);
          String v = c < 0 ? "" : tag.substring(c + 1);
          if (k.isEmpty() || (v.isEmpty() && !enableSimpleTags)) {
            throw new ParseException("invalid tag format: \"" + tag + "\"");
          }
          tags.put(k, v);
        }
      } else if (part.startsWith("c:")) {
        if (part.length() > 2) {
          tags.put("container.id", part.substring(2));
        }
      } else if (part.startsWith("T")) {
        if (type != COUNTER && type != GAUGE) {
          throw new ParseException("only GAUGE and COUNT metrics support a timestamp");
        }
        try {
          timestamp = Math.multiplyExact(Long.parseUnsignedLong(part.substring(1)), 1_000_000_000L);
        } catch (NumberFormatException | ArithmeticException e) {
          throw new ParseException("invalid timestamp: " + part.substring(1));
        }
      } else {
        throw new ParseException("unrecognized message part: " + part);
      }
    }
    double value;
    char last = valueStr.charAt(valueStr.length() - 1);
    try {
      if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
        throw new NumberFormatException(); // Java's suffixes are not numbers in StatsD
      }
      value = Double.parseDouble(valueStr);
    } catch (NumberFormatException e) {
      throw new ParseException("parse metric value string: " + valueStr);
    }
    if (enableMetricType) {
      tags.put("metric_type", switch (type) {
        case COUNTER -> "counter";
        case GAUGE -> "gauge";
        case HISTOGRAM -> "histogram";
        case TIMING -> "timing";
        default -> "distribution";
      });
    }
    Attributes attrs = new Attributes(tags.size());
    for (Map.Entry<String, String> e : tags.entrySet()) {
      attrs.put(e.getKey(), e.getValue());
    }
    return new StatsdLine(name, type, value, addition, sampleRate, timestamp, attrs);
  }

  /** A counter's increment: the value scaled up by a sample rate in (0, 1), truncated toward zero for int counters. */
  double counterIncrement() {
    return sampleRate > 0 && sampleRate < 1 ? value / sampleRate : value;
  }

  /** How many observations one sampled timer/histogram line stands for. */
  double sampleCount() {
    return sampleRate > 0 && sampleRate < 1 ? 1 / sampleRate : 1;
  }
}
