package dev.otelcoljava.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.SharedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the OpenMetrics parser suite (../shared/fixtures/openmetrics/parsers, read in place) through
 * the OpenMetrics parser and compares each outcome, error message included, with what a real
 * Prometheus 2.42 server reported for the same case (om-suite-prometheus-2.42.tsv). Every case that
 * must parse parses. Cases that must not parse fail exactly where Prometheus fails the scrape; the
 * rest are accepted, as Prometheus accepts them (the scrape engine must give the same series).
 */
class OpenMetricsConformanceTest {
  static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  /** Parses a whole body; returns null on success or the parse error message. */
  static String parseAll(byte[] body, String contentType) {
    Parser p = Parser.create(body, body.length, contentType);
    Exemplar ex = new Exemplar();
    try {
      while (true) {
        Parser.Entry e = p.next();
        if (e == Parser.Entry.EOF) {
          return null;
        }
        if (e == Parser.Entry.SERIES) {
          p.labels();
          p.exemplar(ex);
        }
      }
    } catch (ParseException e) {
      return e.getMessage();
    }
  }

  record Case(String name, boolean shouldParse, byte[] body) {}

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(SharedFiles.fixtures().resolve("openmetrics/parsers"))) {
      for (Path d : dirs.sorted().toList()) {
        String json = Files.readString(d.resolve("test.json")).replace(" ", "");
        assertThat(json).contains("\"type\":\"text\"").contains("\"file\":\"metrics\"");
        boolean should = json.contains("\"shouldParse\":true");
        assertThat(should || json.contains("\"shouldParse\":false")).as(d.toString()).isTrue();
        out.add(new Case(d.getFileName().toString(), should, Files.readAllBytes(d.resolve("metrics"))));
      }
    }
    return out;
  }

  /** The oracle: case name to null (Prometheus 2.42 accepted it) or its error message. */
  static Map<String, String> prometheusResults() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in = OpenMetricsConformanceTest.class.getResourceAsStream("om-suite-prometheus-2.42.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", 3);
        out.put(f[0], f[1].equals("up") ? null : f[2]);
      }
    }
    return out;
  }

  @Test
  void suite_mustParseCasesParse_mustNotCasesFailWherePrometheusFails() throws IOException {
    List<Case> cases = cases();
    Map<String, String> oracle = prometheusResults();
    assertThat(cases).hasSize(211);
    assertThat(oracle.keySet()).containsExactlyInAnyOrderElementsOf(cases.stream().map(Case::name).toList());
    List<String> wrong = new ArrayList<>();
    int rejectedBad = 0;
    int acceptedBad = 0;
    for (Case c : cases) {
      String err = parseAll(c.body(), OM);
      if (c.shouldParse() && err != null) {
        wrong.add(c.name() + " must parse but failed: " + err);
      }
      String expected = oracle.get(c.name());
      if (!java.util.Objects.equals(err, expected)) {
        wrong.add(c.name() + ": got " + err + ", Prometheus 2.42: " + expected);
      }
      if (!c.shouldParse()) {
        if (err != null) {
          rejectedBad++;
        } else {
          acceptedBad++;
        }
      }
    }
    assertThat(wrong).isEmpty();
    // 44 must parse and do; of the 167 that must not, Prometheus 2.42 rejects 96 and accepts 71
    // (structure and per-type value rules that its line-by-line parser does not check).
    assertThat(cases.stream().filter(Case::shouldParse)).hasSize(44);
    assertThat(rejectedBad).isEqualTo(96);
    assertThat(acceptedBad).isEqualTo(71);
  }

  static String errorOf(String caseName) throws IOException {
    byte[] body = Files.readAllBytes(SharedFiles.fixtures().resolve("openmetrics/parsers").resolve(caseName).resolve("metrics"));
    return parseAll(body, OM);
  }

  @Test
  void errors_havePrometheusMessages() throws IOException {
    assertThat(errorOf("bad_no_eof")).isEqualTo("data does not end with # EOF");
    assertThat(errorOf("bad_text_after_eof_0")).isEqualTo("unexpected data after # EOF");
    assertThat(errorOf("bad_blank_line")).isEqualTo("\"INVALID\" \"\\n\" is not a valid start token");
  }

  @Test
  void textBodies_ofTheSuite_failOrParseWithoutCrashing() throws IOException {
    // The text parser must never throw anything but ParseException on arbitrary input.
    for (Case c : cases()) {
      parseAll(c.body(), "text/plain; version=0.0.4");
    }
  }
}
