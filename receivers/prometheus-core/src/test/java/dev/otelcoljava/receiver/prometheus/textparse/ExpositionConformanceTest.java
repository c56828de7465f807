package dev.otelcoljava.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.testing.SharedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every exposition in ../shared/fixtures/expositions and ../shared/fixtures/cadvisor (read in
 * place) parses, with the parser its content type selects, to exactly the series a simple
 * line-based reference reader written here finds in it: same order, labels (empty values dropped,
 * as the label builder does), values and timestamps. Hand-picked series are checked literally.
 */
class ExpositionConformanceTest {
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  record Sample(Labels labels, double value, Long ts) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Sample s
          && labels.equals(s.labels)
          && Double.compare(value, s.value) == 0
          && java.util.Objects.equals(ts, s.ts);
    }

    @Override
    public int hashCode() {
      return labels.hashCode();
    }
  }

  record Parsed(List<Sample> samples, int types, int helps, int units, List<Exemplar> exemplars) {}

  static boolean isOpenMetricsFile(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".om.txt") || n.equals("omtestdata.txt") || n.endsWith(".openmetrics.txt");
  }

  static List<Path> files() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String dir : List.of("expositions", "cadvisor")) {
      try (Stream<Path> s = Files.walk(SharedFiles.fixtures().resolve(dir))) {
        s.filter(Files::isRegularFile)
            .filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".prom"))
            .sorted()
            .forEach(out::add);
      }
    }
    return out;
  }

  static Parsed parse(byte[] body, String contentType) throws ParseException {
    Parser p = Parser.create(body, body.length, contentType);
    List<Sample> out = new ArrayList<>();
    List<Exemplar> exemplars = new ArrayList<>();
    int types = 0;
    int helps = 0;
    int units = 0;
    for (Parser.Entry e = p.next(); e != Parser.Entry.EOF; e = p.next()) {
      switch (e) {
        case SERIES -> {
          out.add(new Sample(p.labels(), p.value(), p.hasTimestamp() ? p.timestampMs() : null));
          Exemplar ex = new Exemplar();
          if (p.exemplar(ex)) {
            exemplars.add(ex);
          }
        }
        case TYPE -> types++;
        case HELP -> helps++;
        case UNIT -> units++;
        default -> {}
      }
    }
    return new Parsed(out, types, helps, units, exemplars);
  }

  // ---- the independent reference reader ------------------------------------------------------

  static List<Sample> reference(String body, boolean om) {
    List<Sample> out = new ArrayList<>();
    for (String line : body.split("\n", -1)) {
      if (om && line.equals("# EOF")) {
        break;
      }
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      Labels.Builder lb = new Labels.Builder();
      int i = 0;
      while (i < t.length() && t.charAt(i) != '{' && t.charAt(i) != ' ') {
        i++;
      }
      lb.set("__name__", t.substring(0, i));
      String rest;
      if (i < t.length() && t.charAt(i) == '{') {
        int j = i + 1;
        while (true) {
          while (t.charAt(j) == ' ' || t.charAt(j) == ',') {
            j++;
          }
          if (t.charAt(j) == '}') {
            break;
          }
          int eq = t.indexOf('=', j);
          String name = t.substring(j, eq).strip();
          int q = t.indexOf('"', eq) + 1;
          StringBuilder v = new StringBuilder();
          while (t.charAt(q) != '"') {
            char c = t.charAt(q);
            if (c == '\\') {
              char d = t.charAt(q + 1);
              v.append(d == 'n' ? "\n" : d == '\\' ? "\\" : d == '"' ? "\"" : "\\" + d);
              q += 2;
            } else {
              v.append(c);
              q++;
            }
          }
          lb.set(name, v.toString());
          j = q + 1;
        }
        rest = t.substring(j + 1);
      } else {
        rest = t.substring(i);
      }
      if (om) {
        int hash = rest.indexOf(" # {");
        if (hash >= 0) {
          rest = rest.substring(0, hash);
        }
      }
      String[] f = rest.strip().split("[ \t]+");
      double v = switch (f[0]) {
        case "+Inf", "Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
        case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
        case "NaN", "nan" -> Double.NaN;
        default -> Double.parseDouble(f[0]);
      };
      Long ts = null;
      if (f.length > 1) {
        ts = om ? (long) (Double.parseDouble(f[1]) * 1000) : Long.parseLong(f[1]);
      }
      out.add(new Sample(lb.build(), v, ts));
    }
    return out;
  }

  static int countLines(String body, String prefix) {
    int n = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(prefix)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void everyFixture_parsesToTheReferenceSeries() throws Exception {
    List<Path> files = files();
    assertThat(files).hasSizeGreaterThanOrEqualTo(24);
    int total = 0;
    for (Path f : files) {
      byte[] body = Files.readAllBytes(f);
      boolean om = isOpenMetricsFile(f);
      Parsed parsed = parse(body, om ? OM : TEXT);
      String text = new String(body, StandardCharsets.UTF_8);
      List<Sample> expected = reference(text, om);
      assertThat(parsed.samples()).as(f.toString()).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertThat(parsed.samples().get(i)).as(f + " sample " + i).isEqualTo(expected.get(i));
      }
      assertThat(parsed.types()).as(f + " TYPE lines").isEqualTo(countLines(text, "# TYPE "));
      assertThat(parsed.helps()).as(f + " HELP lines").isEqualTo(countLines(text, "# HELP "));
      total += expected.size();
    }
    assertThat(total).isGreaterThan(40_000);
  }

  @Test
  void textFixtures_alsoParseAsOpenMetricsOnlyIfTheyEndWithEof() throws Exception {
    // A text body served with the OpenMetrics content type fails like Prometheus (no # EOF).
    byte[] body = Files.readAllBytes(SharedFiles.fixtures().resolve("expositions/springboot/actuator-prometheus-1.txt"));
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ParseException.class, () -> parse(body, OM)))
        .isNotNull();
  }

  static Sample find(List<Sample> samples, Labels labels) {
    return samples.stream().filter(s -> s.labels().equals(labels)).findFirst().orElseThrow(() -> new AssertionError("no series " + labels));
  }

  @Test
  void kubelet135Cadvisor_handPickedSeries() throws Exception {
    Parsed p = parse(Files.readAllBytes(SharedFiles.fixtures().resolve("cadvisor/nri-kubernetes-1_35/kubelet-metrics-cadvisor.txt")), TEXT);
    // container="",image="",name="",namespace="",pod="" are empty and dropped.
    Sample s = find(p.samples(), Labels.of("__name__", "container_cpu_usage_seconds_total", "cpu", "total", "id", "/"));
    assertThat(s.value()).isEqualTo(62.148052);
    assertThat(s.ts()).isEqualTo(1782468875486L);
    assertThat(p.samples().stream().filter(x -> x.labels().metricName().startsWith("container_")).count()).isEqualTo(4611);
  }

  @Test
  void kubelet115Cadvisor_handPickedSeries() throws Exception {
    Parsed p = parse(Files.readAllBytes(SharedFiles.fixtures().resolve("cadvisor/nri-kubernetes-k8s_v1_15_kubelet_metrics_cadvisor.txt")), TEXT);
    Sample s = find(p.samples(), Labels.of("__name__", "container_memory_usage_bytes", "id", "/"));
    assertThat(s.value()).isEqualTo(1.915662336e9);
    assertThat(s.ts()).isNull();
  }

  @Test
  void springBoot_trailingCommaAndSpacesInLabelValues() throws Exception {
    Parsed p = parse(Files.readAllBytes(SharedFiles.fixtures().resolve("expositions/springboot/actuator-prometheus-1.txt")), TEXT);
    Sample s = find(p.samples(), Labels.of("__name__", "jvm_memory_used_bytes", "area", "nonheap", "id", "Code Cache"));
    assertThat(s.value()).isEqualTo(1.3269376E7);
  }

  @Test
  void envoy_emptyLabelSet() throws Exception {
    Parsed p = parse(Files.readAllBytes(SharedFiles.fixtures().resolve("expositions/envoy/envoy-stats-prometheus.txt")), TEXT);
    assertThat(find(p.samples(), Labels.of("__name__", "envoy_server_live")).value()).isEqualTo(1.0);
  }

  @Test
  void openMetrics_createdExemplarsAndInf() throws Exception {
    Parsed p = parse(Files.readAllBytes(SharedFiles.fixtures().resolve("expositions/prometheus/omtestdata.txt")), OM);
    assertThat(find(p.samples(), Labels.of("__name__", "rpc_requests_created", "service", "uniform")).value())
        .isEqualTo(1.7268398130168471e+09);
    assertThat(find(p.samples(), Labels.of("__name__", "rpc_durations_histogram_seconds_bucket", "le", "+Inf")).value())
        .isEqualTo(15.0);
    assertThat(p.exemplars()).hasSize(6);
    Exemplar first = p.exemplars().get(0);
    assertThat(first.labels).isEqualTo(Labels.of("dummyID", "17783"));
    assertThat(first.value).isEqualTo(-0.0003825067330956884);
    assertThat(first.hasTs).isTrue();
    assertThat(first.tsMs).isEqualTo(1726839814223L);
  }
}
