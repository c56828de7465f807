package dev.otelcoljava.processor.resourcedetection;

import dev.otelcoljava.runtime.api.data.Attributes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code env}: {@code OTEL_RESOURCE_ATTRIBUTES} (falling back to the deprecated {@code
 * OTEL_RESOURCE}) as {@code k=v,k2=v2}; keys and values are ASCII, trimmed, values URL-unescaped
 * ({@code %XX}, {@code +} as space). Bad input fails the detector with upstream's messages, e.g.
 * {@code invalid resource format: "…"}.
 */
final class EnvDetector implements Detector {
  static final String ENV = "OTEL_RESOURCE_ATTRIBUTES";
  static final String DEPRECATED_ENV = "OTEL_RESOURCE";

  // Go's \s is [\t\n\f\r ]; [[:ascii:]] is \x00-\x7F; $ (no multiline) is the end of the text.
  private static final Pattern LABEL = Pattern.compile(
      "[\\t\\n\\f\\r ]*([\\x00-\\x7F]{1,256}?)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*([\\x00-\\x7F]{0,256}?)"
          + "[\\t\\n\\f\\r ]*(?:,|\\z)");

  @Override
  public Attributes detect(Context ctx) {
    String labels = ctx.getenv(ENV).strip();
    if (labels.isEmpty()) {
      labels = ctx.getenv(DEPRECATED_ENV).strip();
      if (labels.isEmpty()) {
        return new Attributes();
      }
    }
    return parse(labels);
  }

  /** Parses the variable's value; throws IllegalArgumentException with upstream's message. */
  static Attributes parse(String s) {
    Attributes out = new Attributes();
    Matcher m = LABEL.matcher(s);
    int prev = 0;
    boolean any = false;
    while (prev <= s.length() && m.find(prev)) {
      if (m.end() == m.start() && m.start() >= s.length()) {
        break;
      }
      any = true;
      if (m.start() != prev) {
        throw new IllegalArgumentException(
            "invalid resource format, invalid text: " + quote(s.substring(prev, m.start())));
      }
      String key = m.group(1);
      String value;
      try {
        value = queryUnescape(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid resource format in attribute: "
            + quote(s.substring(m.start(), m.end())) + ", err: " + e.getMessage());
      }
      out.put(key, value);
      prev = m.end();
      if (prev == s.length()) {
        break;
      }
    }
    if (!any) {
      throw new IllegalArgumentException("invalid resource format: " + quote(s));
    }
    if (prev != s.length()) {
      throw new IllegalArgumentException("invalid resource format, invalid text: " + quote(s.substring(prev)));
    }
    return out;
  }

  /** Go's url.QueryUnescape: {@code +} is a space, {@code %XX} a byte; the bytes are UTF-8. */
  static String queryUnescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      byte c = b[i];
      if (c == '%') {
        if (i + 2 >= b.length || hex(b[i + 1]) < 0 || hex(b[i + 2]) < 0) {
          String bad = new String(b, i, Math.min(3, b.length - i), StandardCharsets.UTF_8);
          throw new IllegalArgumentException("invalid URL escape " + quote(bad));
        }
        out.write(hex(b[i + 1]) << 4 | hex(b[i + 2]));
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Go's %q for printable text: double quotes, with {@code \} and {@code "} escaped. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
