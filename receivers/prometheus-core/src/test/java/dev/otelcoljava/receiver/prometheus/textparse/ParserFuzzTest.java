package dev.otelcoljava.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.testing.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing of the two exposition parsers (Prometheus text 0.0.4 and OpenMetrics 1.0):
 *
 * <ul>
 *   <li>any bytes, and random mutations of the real expositions and OpenMetrics test cases in
 *       ../shared/fixtures, end in EOF or a {@link ParseException}: no other exception from {@code
 *       next()} or from the accessors of the entry it returned, at most one entry per input byte (no
 *       endless loop), and each input parses within {@link #PER_INPUT_SECONDS};
 *   <li>a random valid exposition (names, label values with escapes and non-ASCII text, empty
 *       label values, HELP lines with escapes in between, special and extreme float values,
 *       timestamps), rendered in either format, parses back to the same series, values (bit for
 *       bit, NaN as NaN) and timestamps.
 * </ul>
 *
 * The number of tries per property is jqwik's {@code jqwik.tries.default} (small in
 * src/test/resources/junit-platform.properties; raise it on the command line for a long run, see
 * scripts/README.md). Inputs that once failed stay as plain tests in {@link ParserFuzzRegressionTest}.
 */
class ParserFuzzTest {
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final long PER_INPUT_SECONDS = 5;

  private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "parser-fuzz");
    t.setDaemon(true);
    return t;
  });
  private static List<byte[]> seeds;

  @AfterContainer
  static void stopRunner() {
    RUNNER.shutdownNow();
  }

  // ---- properties ---------------------------------------------------------------------------

  @Property
  void anyBytes_endInEofOrParseException(@ForAll("anyBytes") byte[] body, @ForAll("contentTypes") String ct) {
    assertOnlyParseException(body, ct);
  }

  @Property
  void mutatedFixtures_endInEofOrParseException(@ForAll("mutatedFixtures") byte[] body, @ForAll("contentTypes") String ct) {
    assertOnlyParseException(body, ct);
  }

  @Property
  void textRoundTrip_sameSeries(@ForAll("families") List<Family> families) {
    byte[] body = render(families, false).getBytes(StandardCharsets.UTF_8);
    List<Sample> got = parseAll(body, TEXT);
    assertThat(got).as("parsed back from:\n%s", new String(body, StandardCharsets.UTF_8)).isEqualTo(expected(families, false));
  }

  @Property
  void openMetricsRoundTrip_sameSeries(@ForAll("families") List<Family> families) {
    byte[] body = render(families, true).getBytes(StandardCharsets.UTF_8);
    List<Sample> got = parseAll(body, OM);
    assertThat(got).as("parsed back from:\n%s", new String(body, StandardCharsets.UTF_8)).isEqualTo(expected(families, true));
  }

  // ---- the checks ---------------------------------------------------------------------------

  /** Runs one full parse (every accessor of every entry) on the fuzz runner thread, bounded in time. */
  static void assertOnlyParseException(byte[] body, String ct) {
    Future<Throwable> f = RUNNER.submit(() -> {
      try {
        drain(body, ct);
        return null;
      } catch (ParseException expected) {
        assertThat(expected.getMessage()).isNotBlank();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    Throwable t;
    try {
      t = f.get(PER_INPUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("parse of " + describe(body, ct) + " did not end within " + PER_INPUT_SECONDS + " s");
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
    if (t != null) {
      throw new AssertionError("parse of " + describe(body, ct) + " threw " + t, t);
    }
  }

  /** Calls next() to EOF and every accessor valid for each entry; at most one entry per byte. */
  static void drain(byte[] body, String ct) throws ParseException {
    Parser p = Parser.create(body, body.length, ct);
    Exemplar ex = new Exemplar();
    int entries = 0;
    for (Parser.Entry e = p.next(); e != Parser.Entry.EOF; e = p.next()) {
      if (++entries > body.length + 1) {
        throw new AssertionError("more entries than bytes: the parser does not advance");
      }
      switch (e) {
        case SERIES -> {
          Objects.requireNonNull(p.labels());
          assertThat(p.seriesStart()).isBetween(0, body.length);
          assertThat(p.seriesEnd()).isBetween(p.seriesStart(), body.length);
          p.value();
          if (p.hasTimestamp()) {
            p.timestampMs();
          }
          if (p.exemplar(ex)) {
            Objects.requireNonNull(ex.labels);
          }
        }
        case TYPE -> {
          p.metricFamily();
          Objects.requireNonNull(p.type());
        }
        case HELP -> {
          p.metricFamily();
          Objects.requireNonNull(p.help());
        }
        case UNIT -> {
          p.metricFamily();
          Objects.requireNonNull(p.unit());
        }
        default -> {}
      }
    }
    assertThat(p.next()).isEqualTo(Parser.Entry.EOF);
  }

  static String describe(byte[] body, String ct) {
    String hex = HexFormat.of().formatHex(body, 0, Math.min(body.length, 4096));
    return ct + " body of " + body.length + " bytes (hex" + (body.length > 4096 ? ", first 4096" : "") + ": " + hex + ")";
  }

  record Sample(Labels labels, double value, Long ts) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Sample s && labels.equals(s.labels) && Double.compare(value, s.value) == 0 && Objects.equals(ts, s.ts);
    }

    @Override
    public int hashCode() {
      return labels.hashCode();
    }
  }

  static List<Sample> parseAll(byte[] body, String ct) {
    try {
      Parser p = Parser.create(body, body.length, ct);
      List<Sample> out = new ArrayList<>();
      for (Parser.Entry e = p.next(); e != Parser.Entry.EOF; e = p.next()) {
        if (e == Parser.Entry.SERIES) {
          out.add(new Sample(p.labels(), p.value(), p.hasTimestamp() ? p.timestampMs() : null));
        }
      }
      return out;
    } catch (ParseException e) {
      throw new AssertionError("valid " + ct + " exposition refused: " + e.getMessage() + "\n" + new String(body, StandardCharsets.UTF_8), e);
    }
  }

  // ---- generators ---------------------------------------------------------------------------

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(TEXT, OM);
  }

  /** Short random byte strings over an alphabet weighted towards the formats' own syntax. */
  @Provide
  Arbitrary<byte[]> anyBytes() {
    Arbitrary<Byte> syntax = Arbitraries.of("{}=\",# \n\\\t:_.-+eE0123456789aZxNIfn".chars().mapToObj(c -> (byte) c).toList());
    Arbitrary<Byte> any = Arbitraries.bytes();
    Arbitrary<Byte> b = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, syntax), net.jqwik.api.Tuple.of(1, any));
    Arbitrary<byte[]> raw = b.list().ofMaxSize(400).map(ParserFuzzTest::toBytes);
    Arbitrary<byte[]> lines = Arbitraries.of(
            "# TYPE m counter\n", "# TYPE m_total counter\n", "# HELP m h\\n\\\\\n", "# UNIT m_seconds seconds\n",
            "# TYPE m_seconds histogram\n", "m_seconds_bucket{le=\"1\"} 1\n", "m_seconds_bucket{le=\"+Inf\"} 2\n",
            "m_seconds_count 2\n", "m_seconds_sum 1.5\n", "m_total{a=\"1\"} 1 1700000000\n", "m{a=\"x\\\"y\"} NaN\n",
            "m{a=\"\",b=\"c\"} -Inf 123\n", "m 1 # {t=\"a\"} 1 1.5\n", "# EOF\n", "# EOF", "\n", "# comment\n",
            "m{} 1\n", "m{a=\"b\",} 1\n", "m 0x10\n", "m 1e-400\n", "m{a=\"\u00e9\"} 1\n")
        .list().ofMaxSize(30).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(raw, lines);
  }

  /** A slice of a real fixture with up to 8 random mutations (flips, inserts, deletes, duplications, cuts). */
  @Provide
  Arbitrary<byte[]> mutatedFixtures() {
    List<byte[]> all = seeds();
    Arbitrary<byte[]> base = Arbitraries.integers().between(0, all.size() - 1)
        .flatMap(i -> {
          byte[] f = all.get(i);
          int max = Math.min(f.length, 6000);
          return Arbitraries.integers().between(0, Math.max(0, f.length - max))
              .map(start -> slice(f, start, max, i % 2 == 0));
        });
    Arbitrary<Mutation> m = Combinators.combine(
            Arbitraries.integers().between(0, 5), Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 64),
            Arbitraries.bytes())
        .as(Mutation::new);
    return Combinators.combine(base, m.list().ofMaxSize(8)).as((b, ms) -> {
      byte[] out = b;
      for (Mutation x : ms) {
        out = x.apply(out);
      }
      return out;
    });
  }

  /** A slice starting at a line boundary (or the file start), so mutations act on whole entries. */
  static byte[] slice(byte[] f, int start, int max, boolean fromStart) {
    int s = fromStart ? 0 : start;
    while (s > 0 && s < f.length && f[s - 1] != '\n') {
      s++;
    }
    int e = Math.min(f.length, s + max);
    byte[] out = new byte[e - s];
    System.arraycopy(f, s, out, 0, out.length);
    return out;
  }

  record Mutation(int kind, double where, int n, byte value) {
    byte[] apply(byte[] in) {
      int at = (int) (where * in.length);
      List<Byte> l = new ArrayList<>(in.length + n);
      for (byte x : in) {
        l.add(x);
      }
      byte[] interesting = "{}\"\\=,# \n\t+-.eE".getBytes(StandardCharsets.US_ASCII);
      switch (kind) {
        case 0 -> { // flip one byte to an arbitrary value
          if (at < l.size()) {
            l.set(at, value);
          }
        }
        case 1 -> l.add(Math.min(at, l.size()), interesting[Math.floorMod(value, interesting.length)]);
        case 2 -> { // delete a range
          for (int i = 0; i < n && at < l.size(); i++) {
            l.remove(at);
          }
        }
        case 3 -> { // duplicate a range
          int e = Math.min(l.size(), at + n);
          l.addAll(e, new ArrayList<>(l.subList(Math.min(at, e), e)));
        }
        case 4 -> { // cut the rest
          return java.util.Arrays.copyOf(in, at);
        }
        default -> { // swap two ranges' order by rotating a window
          int e = Math.min(l.size(), at + n);
          Collections.rotate(l.subList(Math.min(at, e), e), n / 2 + 1);
        }
      }
      return toBytes(l);
    }
  }

  static byte[] toBytes(List<Byte> l) {
    byte[] out = new byte[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = l.get(i);
    }
    return out;
  }

  /** The real payloads: every exposition and every OpenMetrics parser test case's metrics file. */
  static synchronized List<byte[]> seeds() {
    if (seeds == null) {
      List<byte[]> out = new ArrayList<>();
      for (String dir : List.of("expositions", "openmetrics")) {
        try (Stream<Path> s = Files.walk(SharedFiles.fixtures().resolve(dir))) {
          for (Path p : s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".json")).sorted().toList()) {
            out.add(Files.readAllBytes(p));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      assertThat(out).as("fixtures under %s", SharedFiles.fixtures()).hasSizeGreaterThan(100);
      seeds = out;
    }
    return seeds;
  }

  // ---- random valid expositions -------------------------------------------------------------

  /** One metric family: name, type (text names), HELP text, and its series. */
  record Family(String name, String type, String help, List<Series> series) {}

  record Series(Map<String, String> labels, double value, Long tsSeconds, int tsMillis) {}

  @Provide
  Arbitrary<List<Family>> families() {
    Arbitrary<String> name = Combinators.combine(
            Arbitraries.strings().withChars("abcxyzABCXYZ_:").ofMinLength(1).ofMaxLength(1),
            Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_:").ofMaxLength(20))
        .as((a, b) -> a + b)
        .filter(n -> !n.startsWith("__") && !n.endsWith("_total") && !n.endsWith("_created"));
    Arbitrary<String> labelName = Combinators.combine(
            Arbitraries.strings().withChars("abcxyzABCXYZ_").ofMinLength(1).ofMaxLength(1),
            Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_").ofMaxLength(12))
        .as((a, b) -> a + b)
        .filter(n -> !n.startsWith("__") && !n.equals("le") && !n.equals("quantile"));
    Arbitrary<String> text = Arbitraries.oneOf(
        Arbitraries.strings().withChars("abc XYZ019,={}#\"\\\n\t-.:/").ofMaxLength(24),
        Arbitraries.strings().withCharRange('\u00a0', '\u024f').ofMaxLength(8),
        Arbitraries.of("", "\uD83D\uDE00 emoji", "\u65e5\u672c\u8a9e", "a\\nb", "\\", "\"", "\n"));
    Arbitrary<Double> value = Arbitraries.oneOf(
        Arbitraries.doubles(),
        Arbitraries.doubles().between(-1e6, 1e6).ofScale(3),
        Arbitraries.longs().map(l -> (double) l),
        Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE,
            -Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL, 1e-320, 9007199254740993.0, 0.1, 123456789012345678.0));
    Arbitrary<Long> ts = Arbitraries.oneOf(
        Arbitraries.just((Long) null), Arbitraries.longs().between(0, 4_000_000_000L), Arbitraries.of(0L, 1L, 1700000000L));
    Arbitrary<Series> series = Combinators.combine(
            Arbitraries.maps(labelName, text).ofMaxSize(5), value, ts, Arbitraries.integers().between(0, 999))
        .as((l, v, t, ms) -> new Series(new LinkedHashMap<>(l), v, t, ms));
    Arbitrary<Family> family = Combinators.combine(
            name, Arbitraries.of("gauge", "untyped", "counter", ""), text, series.list().ofMinSize(1).ofMaxSize(6))
        .as(Family::new);
    return family.list().ofMaxSize(6).uniqueElements(Family::name)
        // one family's name must not be another's name plus a suffix a parser may attribute to it
        .filter(fs -> fs.stream().noneMatch(a -> fs.stream().anyMatch(b -> a != b && b.name().startsWith(a.name()))));
  }

  /** Renders the families; OpenMetrics gets counters as *_total samples, seconds timestamps and # EOF. */
  static String render(List<Family> families, boolean om) {
    StringBuilder sb = new StringBuilder();
    for (Family f : families) {
      String type = om && f.type().equals("untyped") ? "unknown" : f.type();
      if (!type.isEmpty()) {
        sb.append("# TYPE ").append(f.name()).append(' ').append(type).append('\n');
      }
      sb.append("# HELP ").append(f.name()).append(' ').append(escape(f.help(), om)).append('\n');
      // OpenMetrics: a counter's value must not be negative or NaN, and a series may not repeat
      java.util.Set<Map<String, String>> seen = new java.util.HashSet<>();
      for (Series s : f.series()) {
        if (!seen.add(nonEmpty(s.labels()))) {
          continue;
        }
        sb.append(sampleName(f, om));
        if (!s.labels().isEmpty()) {
          sb.append('{');
          boolean first = true;
          for (Map.Entry<String, String> e : s.labels().entrySet()) {
            sb.append(first ? "" : ",").append(e.getKey()).append("=\"").append(escape(e.getValue(), true)).append('"');
            first = false;
          }
          sb.append('}');
        }
        sb.append(' ').append(formatValue(valueFor(f, s, om)));
        if (s.tsSeconds() != null) {
          sb.append(' ').append(om ? s.tsSeconds() + "." + String.format("%03d", s.tsMillis()) : Long.toString(s.tsSeconds() * 1000 + s.tsMillis()));
        }
        sb.append('\n');
      }
    }
    if (om) {
      sb.append("# EOF\n");
    }
    return sb.toString();
  }

  static List<Sample> expected(List<Family> families, boolean om) {
    List<Sample> out = new ArrayList<>();
    for (Family f : families) {
      java.util.Set<Map<String, String>> seen = new java.util.HashSet<>();
      for (Series s : f.series()) {
        Map<String, String> l = nonEmpty(s.labels());
        if (!seen.add(l)) {
          continue;
        }
        Labels.Builder b = new Labels.Builder();
        b.set(Labels.METRIC_NAME, sampleName(f, om));
        l.forEach(b::set);
        Long ts = null;
        if (s.tsSeconds() != null) {
          // OpenMetrics timestamps are float seconds, truncated to ms as Prometheus' int64(ts*1000)
          ts = om ? (long) (Double.parseDouble(s.tsSeconds() + "." + String.format("%03d", s.tsMillis())) * 1000)
              : s.tsSeconds() * 1000 + s.tsMillis();
        }
        out.add(new Sample(b.build(), valueFor(f, s, om), ts));
      }
    }
    return out;
  }

  static Map<String, String> nonEmpty(Map<String, String> l) {
    Map<String, String> out = new java.util.TreeMap<>();
    l.forEach((k, v) -> {
      if (!v.isEmpty()) {
        out.put(k, v);
      }
    });
    return out;
  }

  static String sampleName(Family f, boolean om) {
    return om && f.type().equals("counter") ? f.name() + "_total" : f.name();
  }

  static double valueFor(Family f, Series s, boolean om) {
    double v = s.value();
    if (om && f.type().equals("counter") && (Double.isNaN(v) || v < 0)) {
      return Math.abs(Double.isNaN(v) ? 1.0 : v);
    }
    return v;
  }

  static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  /** Label values (both formats) and OpenMetrics HELP escape \\, \" and newline; text HELP escapes \\ and newline. */
  static String escape(String s, boolean quotes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '"' -> sb.append(quotes ? "\\\"" : "\"");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
