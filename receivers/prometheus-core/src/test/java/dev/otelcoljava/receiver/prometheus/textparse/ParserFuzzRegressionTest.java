package dev.otelcoljava.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inputs that {@link ParserFuzzTest} once found failing, kept as plain tests. */
class ParserFuzzRegressionTest {
  static List<Labels> labels(String body, String ct) throws ParseException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    Parser p = Parser.create(b, b.length, ct);
    List<Labels> out = new ArrayList<>();
    for (Parser.Entry e = p.next(); e != Parser.Entry.EOF; e = p.next()) {
      if (e == Parser.Entry.SERIES) {
        out.add(p.labels());
      }
    }
    return out;
  }

  /**
   * OpenMetrics: a label with an empty value counted as stored, so the next series read the
   * previous series' label from the stale offsets (found by openMetricsRoundTrip_sameSeries).
   */
  @Test
  void openMetrics_emptyLabelValue_doesNotResurrectThePreviousSeriesLabel() throws ParseException {
    assertThat(labels("# TYPE a gauge\na{a=\"a\"} 0.0\na{a_=\"\"} 0.0\n# EOF\n", ParserFuzzTest.OM))
        .containsExactly(Labels.of("__name__", "a", "a", "a"), Labels.of("__name__", "a"));
    assertThat(labels("a{x=\"1\",y=\"2\"} 1\na{e=\"\",z=\"3\"} 2\n# EOF\n", ParserFuzzTest.OM))
        .containsExactly(Labels.of("__name__", "a", "x", "1", "y", "2"), Labels.of("__name__", "a", "z", "3"));
  }

  /** The same stale offset made a later label look like a duplicate and failed the whole scrape. */
  @Test
  void openMetrics_emptyLabelValue_noSpuriousDuplicateLabelError() throws ParseException {
    assertThat(labels("a{x=\"1\"} 1\na{y=\"\",x=\"2\"} 2\n# EOF\n", ParserFuzzTest.OM))
        .containsExactly(Labels.of("__name__", "a", "x", "1"), Labels.of("__name__", "a", "x", "2"));
  }

  /** The text parser had it right; the two parsers must agree. */
  @Test
  void text_emptyLabelValue_sameAsOpenMetrics() throws ParseException {
    assertThat(labels("a{x=\"1\"} 1\na{y=\"\",x=\"2\"} 2\na{e=\"\",z=\"3\"} 2\n", ParserFuzzTest.TEXT))
        .containsExactly(Labels.of("__name__", "a", "x", "1"), Labels.of("__name__", "a", "x", "2"), Labels.of("__name__", "a", "z", "3"));
  }
}
