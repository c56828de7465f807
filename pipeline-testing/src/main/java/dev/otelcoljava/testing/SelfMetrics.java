package dev.otelcoljava.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed scrape of the collector's self-metrics endpoint ({@code /metrics}, Prometheus text
 * format), for exact assertions on otelcol's counters:
 *
 * <pre>{@code
 * SelfMetrics m = SelfMetrics.scrape(service.metricsAddress().orElseThrow().getPort());
 * assertThat(m.value("otelcol_exporter_sent_metric_points", "exporter", "debug")).isEqualTo(42);
 * }</pre>
 *
 * Immutable.
 */
public final class SelfMetrics {
  /** One series: name, labels, value. */
  public record Series(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Series> series;

  private SelfMetrics(String text, List<Series> series) {
    this.text = text;
    this.series = series;
  }

  /** GETs {@code http://127.0.0.1:<port>/metrics} and parses it. */
  public static SelfMetrics scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /metrics answered " + r.statusCode());
    }
    return parse(r.body());
  }

  /** Parses exposition text (comments skipped; label values unescaped). */
  public static SelfMetrics parse(String text) {
    List<Series> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int end = line.lastIndexOf('}');
        parseLabels(line.substring(brace + 1, end), labels);
      } else {
        name = line.substring(0, space);
      }
      String v = line.substring(space + 1).trim();
      double value = switch (v) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(v);
      };
      out.add(new Series(name, Map.copyOf(labels), value));
    }
    return new SelfMetrics(text, List.copyOf(out));
  }

  private static void parseLabels(String s, Map<String, String> labels) {
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      String key = s.substring(i, eq).trim();
      StringBuilder v = new StringBuilder();
      int j = eq + 2; // skip ="
      while (j < s.length() && s.charAt(j) != '"') {
        char c = s.charAt(j);
        if (c == '\\' && j + 1 < s.length()) {
          char n = s.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
        j++;
      }
      labels.put(key, v.toString());
      i = j + 1;
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
      }
    }
  }

  /** The raw exposition text. */
  public String text() {
    return text;
  }

  public List<Series> series() {
    return series;
  }

  /** Every series of the name whose labels include the given {@code key, value} pairs. */
  public List<Series> find(String name, String... labelPairs) {
    List<Series> out = new ArrayList<>();
    for (Series s : series) {
      if (!s.name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i + 1 < labelPairs.length; i += 2) {
        all &= labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
      }
      if (all) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The value of the one matching series.
   *
   * @throws AssertionError when none or several match (the message shows the text)
   */
  public double value(String name, String... labelPairs) {
    List<Series> hits = find(name, labelPairs);
    if (hits.size() != 1) {
      throw new AssertionError(
          hits.size() + " series of " + name + " match " + List.of(labelPairs) + " in:\n" + text);
    }
    return hits.get(0).value();
  }

  /** The sum over every matching series (0 if none). */
  public double sum(String name, String... labelPairs) {
    double total = 0;
    for (Series s : find(name, labelPairs)) {
      total += s.value();
    }
    return total;
  }
}
