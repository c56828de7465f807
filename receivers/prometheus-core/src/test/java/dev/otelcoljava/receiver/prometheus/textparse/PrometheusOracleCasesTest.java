package dev.otelcoljava.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Edge cases whose outcome was observed once against a real Prometheus 2.42.0 server (each body
 * served on loopback with the given content type, the target's health and lastError read from
 * /api/v1/targets). "ok" means the scrape succeeded; otherwise the expected message (a prefix where
 * Prometheus appends the target labels).
 */
class PrometheusOracleCasesTest {
  static final String TEXT = "text/plain; version=0.0.4";
  static final String OM = "application/openmetrics-text; version=1.0.0";

  static String outcome(String body, String contentType) {
    byte[] b = unescape(body);
    String err = OpenMetricsConformanceTest.parseAll(b, contentType);
    return err == null ? "ok" : err;
  }

  /** Test-table escapes: \n, \t, \r, \0, \xHH and \\ . */
  static byte[] unescape(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char d = s.charAt(++i);
        switch (d) {
          case 'n' -> out.write('\n');
          case 't' -> out.write('\t');
          case 'r' -> out.write('\r');
          case '0' -> out.write(0);
          case 'x' -> {
            out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
            i += 2;
          }
          default -> out.write(d);
        }
      } else {
        byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(u, 0, u.length);
      }
    }
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      no trailing newline          | a 1                                 | ok
      help at end without newline  | a 1\\n# HELP a x                    | ok
      timestamp without newline    | a{b="c"} 1 123                      | ok
      value then blank at end      | a 1\\x20                          | ok
      duplicate label              | a{b="c",b="d"} 1\\n                 | label name "b" is not unique: invalid sample
      duplicate label unsorted     | a{b="c",a="x",b="d"} 1\\n           | label name "b" is not unique: invalid sample
      duplicate with empty value   | a{b="",b="d"} 1\\n                  | ok
      duplicate empty value last   | a{b="d",b=""} 1\\n                  | ok
      __name__ in braces           | a{__name__="b"} 1\\n                | label name "__name__" is not unique: invalid sample
      empty value                  | a{b=""} 1\\n                        | ok
      CRLF                         | a 1\\r\\n                           | strconv.ParseFloat: parsing "1\\r": invalid syntax
      invalid UTF-8 label value    | a{b="\\xff"} 1\\n                   | invalid UTF-8 label value
      +inf                         | a +inf\\n                           | ok
      nan                          | a nan\\n                            | ok
      Infinity                     | a Infinity\\n                       | ok
      hex float with p             | a 0x1p3\\n                          | unsupported character in float
      underscore                   | a 1_000\\n                          | unsupported character in float
      +nan                         | a +nan\\n                           | strconv.ParseFloat: parsing "+nan": invalid syntax
      hex without p                | a 0x10\\n                           | strconv.ParseFloat: parsing "0x10": invalid syntax
      out of range                 | a 1e400\\n                          | strconv.ParseFloat: parsing "1e400": value out of range
      leading dot                  | a .5\\n                             | ok
      trailing dot                 | a 1.\\n                             | ok
      negative timestamp           | a 1 -5\\n                           | expected timestamp or new record, got "INVALID"
      plus timestamp               | a 1 +5\\n                           | expected timestamp or new record, got "INVALID"
      timestamp overflow           | a 1 99999999999999999999\\n         | strconv.ParseInt: parsing "99999999999999999999": value out of range
      leading blank                | \\x20\\x20a 1\\n                | invalid metric name or label names: {__name__="  a"}
      leading tab with labels      | \\ta{b="c"} 1\\n                    | invalid metric name or label names: {__name__="\\ta"}
      blank line with spaces       | a 1\\n\\x20\\x20\\nb 2\\n       | ok
      no comma between labels      | a{b="c" d="e"} 1\\n                 | ok
      trailing comma               | a{b="c",} 1\\n                      | ok
      double comma                 | a{b="c",,} 1\\n                     | expected label name, got "COMMA"
      only comma                   | a{,} 1\\n                           | expected label name, got "COMMA"
      blanks everywhere            | a{ b = "c" , } 1\\n                 | ok
      space before brace           | a {b="c"} 1\\n                      | ok
      trailing blank after ts      | a 1 1 \\n                           | ok
      tab separators               | a\\t1\\t12\\t\\n                    | ok
      type with trailing blank     | # TYPE a counter \\na 1\\n          | invalid metric type "counter "
      type without text            | # TYPE a\\na 1\\n                   | invalid metric type ""
      gaugehistogram in text       | # TYPE b gaugehistogram\\nb 1\\n    | invalid metric type "gaugehistogram"
      help without text            | # HELP a\\na 1\\n                   | ok
      help invalid UTF-8           | # HELP a \\xff\\na 1\\n             | help text is not a valid utf8 string
      metadata at end              | # TYPE a counter                    | ok
      comment at end               | a 1\\n# foo                         | ok
      empty body                   | ``                                  | ok
      NUL ends the body            | a 1\\n\\0garbage                    | ok
      unknown escape kept          | a{b="x\\\\ty"} 1\\n                 | ok
      newline inside value         | a{b="x\\ny"} 1\\n                   | ok
      backslash newline            | a{b="x\\\\\\ny"} 1\\n               | expected label value, got "INVALID"
      labels without name          | {b="c"} 1\\n                        | "BOPEN" is not a valid start token
      value is a brace             | a{b="c"}{d="e"} 1\\n                | expected value after metric, got "BOPEN"
      name only                    | a                                   | expected value after metric, got "INVALID"
      unterminated labels          | a{b="c"                             | expected label name, got "INVALID"
      duplicate series             | a 1\\na 2\\n                        | ok
      """)
  void text_matchesPrometheus(String name, String body, String expected) {
    assertThat(outcome(body, TEXT)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      counter _total             | # TYPE a counter\\na_total 1 # {} 1\\n# EOF\\n          | ok
      counter without _total     | # TYPE a counter\\na 1 # {} 1\\n# EOF\\n                | metric name a does not support exemplars
      untyped _total             | a_total 1 # {} 1\\n# EOF\\n                             | ok
      untyped _bucket            | a_bucket{le="1"} 1 # {} 1\\n# EOF\\n                    | ok
      gauge _total               | # TYPE a gauge\\na_total 1 # {} 1\\n# EOF\\n            | ok
      histogram _count           | # TYPE a histogram\\na_count 1 # {} 1\\n# EOF\\n        | metric name a_count does not support exemplars
      no suffix                  | a 1 # {} 1\\n# EOF\\n                                   | metric name a does not support exemplars
      summary _total             | # TYPE a summary\\na_total 1 # {} 1\\n# EOF\\n          | ok
      gaugehistogram _bucket     | # TYPE a gaugehistogram\\na_bucket{le="+Inf"} 1 # {} 1\\n# EOF\\n | ok
      timestamp then exemplar    | # TYPE a counter\\na_total 1 1 # {} 1\\n# EOF\\n        | ok
      duplicate with empty value | a{b="",b="c"} 1\\n# EOF\\n                              | ok
      """)
  void openMetrics_matchesPrometheus(String name, String body, String expected) {
    assertThat(outcome(body, OM)).isEqualTo(expected);
  }
}
