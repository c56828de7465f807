package dev.otelcoljava.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParserTest {
  static Parser parser(String body, String contentType) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return Parser.create(b, b.length, contentType);
  }

  @Test
  void create_picksParserByContentType() {
    assertThat(parser("", "application/openmetrics-text; version=1.0.0")).isInstanceOf(OpenMetricsParser.class);
    assertThat(parser("", "Application/OpenMetrics-Text")).isInstanceOf(OpenMetricsParser.class);
    assertThat(parser("", "text/plain; version=0.0.4")).isInstanceOf(PromParser.class);
    assertThat(parser("", null)).isInstanceOf(PromParser.class);
    assertThat(parser("", "application/json")).isInstanceOf(PromParser.class);
  }

  @Test
  void create_lengthBoundsTheBody() throws ParseException {
    byte[] b = "a 1\nb 2\n".getBytes(StandardCharsets.US_ASCII);
    Parser p = Parser.create(b, 4, null);
    assertThat(p.next()).isEqualTo(Parser.Entry.SERIES);
    assertThat(p.next()).isEqualTo(Parser.Entry.EOF);
  }

  @Test
  void text_entriesAndAccessors() throws ParseException {
    Parser p = parser("# HELP m_total Help \\\\ with \\n and \\\"q\\\"\n# TYPE m_total counter\n# other\n"
        + "m_total{b=\"x\\\"y\\\\z\\nw\",a=\"1\"} -Inf 1700000000123\nm_total NaN\n", "text/plain");
    assertThat(p.next()).isEqualTo(Parser.Entry.HELP);
    assertThat(p.metricFamily()).isEqualTo("m_total");
    assertThat(p.help()).isEqualTo("Help \\ with \n and \\\"q\\\"");
    assertThat(p.next()).isEqualTo(Parser.Entry.TYPE);
    assertThat(p.type()).isEqualTo(MetricType.COUNTER);
    assertThat(p.next()).isEqualTo(Parser.Entry.COMMENT);
    assertThat(p.next()).isEqualTo(Parser.Entry.SERIES);
    assertThat(new String(p.buffer(), p.seriesStart(), p.seriesEnd() - p.seriesStart(), StandardCharsets.UTF_8))
        .isEqualTo("m_total{b=\"x\\\"y\\\\z\\nw\",a=\"1\"}");
    assertThat(p.labels()).isEqualTo(Labels.of("__name__", "m_total", "a", "1", "b", "x\"y\\z\nw"));
    assertThat(p.value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(p.hasTimestamp()).isTrue();
    assertThat(p.timestampMs()).isEqualTo(1700000000123L);
    assertThat(p.exemplar(new Exemplar())).isFalse();
    assertThat(p.next()).isEqualTo(Parser.Entry.SERIES);
    assertThat(Double.doubleToRawLongBits(p.value())).isEqualTo(0x7ff8000000000001L);
    assertThat(p.hasTimestamp()).isFalse();
    assertThat(p.next()).isEqualTo(Parser.Entry.EOF);
    assertThat(p.next()).isEqualTo(Parser.Entry.EOF);
  }

  @Test
  void labelNames_duplicatesFailTheSeries_sortedOrNot() throws ParseException {
    // Sorted names are proved unique by comparing each with the one before it, prefixes included.
    Parser ok = parser("m{name=\"1\",namespace=\"2\",nb=\"3\",z=\"4\"} 1\nm{namespace=\"1\",name=\"2\",a=\"3\"} 1\n", "text/plain");
    assertThat(ok.next()).isEqualTo(Parser.Entry.SERIES);
    assertThat(ok.labels()).isEqualTo(Labels.of("__name__", "m", "name", "1", "namespace", "2", "nb", "3", "z", "4"));
    assertThat(ok.next()).isEqualTo(Parser.Entry.SERIES);
    assertThat(ok.labels()).isEqualTo(Labels.of("__name__", "m", "a", "3", "name", "2", "namespace", "1"));
    for (String series : new String[] {"m{a=\"1\",a=\"2\"} 1\n", "m{b=\"1\",a=\"2\",b=\"3\"} 1\n",
        "m{a=\"1\",b=\"2\",c=\"3\",b=\"4\"} 1\n", "m{ab=\"1\",a=\"2\",ab=\"3\"} 1\n"}) {
      // found when the series is decoded (a series known by its bytes passed the check before)
      Parser p = parser(series, "text/plain");
      assertThat(p.next()).as(series).isEqualTo(Parser.Entry.SERIES);
      assertThatThrownBy(p::labels).as(series).isInstanceOf(ParseException.class).hasMessageContaining("is not unique");
    }
  }

  /**
   * Label values are scanned 8 bytes at a time up to the first quote or backslash (or newline, in
   * OpenMetrics): every such byte, and a non-ASCII or invalid UTF-8 byte, at every offset of values
   * of 0-24 bytes, and a value the body ends in.
   */
  @Test
  void labelValues_specialBytesAtEveryOffset() throws ParseException {
    for (String type : new String[] {"text/plain", "application/openmetrics-text"}) {
      boolean om = type.startsWith("application");
      String eof = om ? "# EOF\n" : "";
      for (int n = 0; n <= 24; n++) {
        for (int at = 0; at < Math.max(n, 1); at++) {
          char[] plain = new char[n];
          for (int i = 0; i < n; i++) {
            plain[i] = (char) ('a' + i % 26);
          }
          String base = new String(plain);
          // an escaped quote, an escaped backslash, a non-ASCII char, at position at
          String[][] cases = n == 0 ? new String[][] {{"", ""}} : new String[][] {
              {base.substring(0, at) + "\\\"" + base.substring(at), base.substring(0, at) + "\"" + base.substring(at)},
              {base.substring(0, at) + "\\\\" + base.substring(at), base.substring(0, at) + "\\" + base.substring(at)},
              {base.substring(0, at) + "\u00e9\u4e16" + base.substring(at), base.substring(0, at) + "\u00e9\u4e16" + base.substring(at)},
              {base, base}};
          for (String[] c : cases) {
            for (String tail : new String[] {"", "x"}) {
              String body = "m{a=\"" + c[0] + "\",b=\"" + tail + "\"} 1\n" + eof;
              Parser p = parser(body, type);
              assertThat(p.next()).as(body).isEqualTo(Parser.Entry.SERIES);
              Labels want = c[1].isEmpty() && tail.isEmpty() ? Labels.of("__name__", "m")
                  : c[1].isEmpty() ? Labels.of("__name__", "m", "b", tail)
                  : tail.isEmpty() ? Labels.of("__name__", "m", "a", c[1])
                  : Labels.of("__name__", "m", "a", c[1], "b", tail);
              assertThat(p.labels()).as(body).isEqualTo(want);
              assertThat(p.next()).as(body).isEqualTo(Parser.Entry.EOF);
            }
          }
          if (n > 0) {
            // invalid UTF-8 (a lone continuation byte) at position at
            byte[] body = ("m{a=\"" + base + "\"} 1\n" + eof).getBytes(StandardCharsets.US_ASCII);
            body[5 + at] = (byte) 0x80;
            Parser p = Parser.create(body, body.length, type);
            assertThatThrownBy(p::next).as(type + " " + n + " " + at).isInstanceOf(ParseException.class)
                .hasMessageContaining("UTF-8");
            // an unterminated value ends in a parse error wherever the body stops
            byte[] cut = ("m{a=\"" + base).getBytes(StandardCharsets.US_ASCII);
            Parser u = Parser.create(cut, cut.length, type);
            assertThatThrownBy(u::next).as("unterminated " + n).isInstanceOf(ParseException.class);
            if (om) {
              // OpenMetrics: a newline inside a value is an error at every offset
              byte[] nl = ("m{a=\"" + base + "\"} 1\n# EOF\n").getBytes(StandardCharsets.US_ASCII);
              nl[5 + at] = '\n';
              Parser q = Parser.create(nl, nl.length, type);
              assertThatThrownBy(q::next).as("newline " + n + " " + at).isInstanceOf(ParseException.class);
            }
          }
        }
      }
    }
  }

  @Test
  void openMetrics_unitHelpTimestampsAndExemplar() throws ParseException {
    Parser p = parser("# TYPE req_seconds histogram\n# UNIT req_seconds seconds\n# HELP req_seconds a \\\"b\\\"\n"
        + "req_seconds_bucket{le=\"+Inf\"} 3 1520879607.789 # {trace_id=\"abc\",e=\"\"} 0.5 1520879607.001\n"
        + "req_seconds_created 1520430000.123\n# EOF\n", "application/openmetrics-text");
    assertThat(p.next()).isEqualTo(Parser.Entry.TYPE);
    assertThat(p.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(p.next()).isEqualTo(Parser.Entry.UNIT);
    assertThat(p.unit()).isEqualTo("seconds");
    assertThat(p.metricFamily()).isEqualTo("req_seconds");
    assertThat(p.next()).isEqualTo(Parser.Entry.HELP);
    assertThat(p.help()).isEqualTo("a \"b\"");
    assertThat(p.next()).isEqualTo(Parser.Entry.SERIES);
    assertThat(p.timestampMs()).isEqualTo((long) (1520879607.789 * 1000));
    Exemplar ex = new Exemplar();
    assertThat(p.exemplar(ex)).isTrue();
    assertThat(ex.labels).isEqualTo(Labels.of("trace_id", "abc"));
    assertThat(ex.value).isEqualTo(0.5);
    assertThat(ex.hasTs).isTrue();
    assertThat(ex.tsMs).isEqualTo(1520879607001L);
    assertThat(p.next()).isEqualTo(Parser.Entry.SERIES);
    assertThat(p.labels().metricName()).isEqualTo("req_seconds_created");
    assertThat(p.exemplar(ex)).isFalse();
    assertThat(p.next()).isEqualTo(Parser.Entry.EOF);
  }

  @Test
  void floats_goSyntax() throws ParseException {
    String[] ok = {"1", "-1.5", "+2", ".5", "5.", "1e3", "1E-3", "1.5e+10", "0.03682658419046249", "123456789012345678901234", "Inf", "-inf", "+Infinity", "NaN", "nan"};
    double[] want = {1, -1.5, 2, .5, 5, 1e3, 1e-3, 1.5e10, 0.03682658419046249, 123456789012345678901234d,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN};
    for (int i = 0; i < ok.length; i++) {
      Parser p = parser("a " + ok[i] + "\n", null);
      assertThat(p.next()).isEqualTo(Parser.Entry.SERIES);
      assertThat(Double.compare(p.value(), want[i])).as(ok[i]).isZero();
    }
    for (String bad : new String[] {"1d", "0x1", "1e", "e1", "--1", "Infinit", "+NaN", "1.2.3", "١"}) {
      Parser p = parser("a " + bad + "\n", null);
      assertThatThrownBy(p::next).as(bad).isInstanceOf(ParseException.class);
    }
  }

  @Test
  void floats_fastPathIsCorrectlyRounded() throws ParseException {
    java.util.Random r = new java.util.Random(42);
    StringBuilder sb = new StringBuilder();
    double[] want = new double[2000];
    for (int i = 0; i < want.length; i++) {
      double d = switch (i % 4) {
        case 0 -> r.nextDouble();
        case 1 -> r.nextInt(1_000_000) / 1000.0;
        case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL);
        default -> Math.scalb(r.nextDouble(), r.nextInt(80) - 40);
      };
      want[i] = d;
      sb.append("a ").append(d).append('\n');
    }
    Parser p = parser(sb.toString(), null);
    for (double d : want) {
      assertThat(p.next()).isEqualTo(Parser.Entry.SERIES);
      assertThat(p.value()).isEqualTo(d);
    }
  }
}
