package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.Temporality;
import dev.otelcoljava.testing.peers.PrometheusServer;
import dev.otelcoljava.testing.peers.VictoriaMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports counters, gauges, histograms, summaries, an exponential histogram, {@code up} per target
 * and a StaleNaN to real Prometheus (native histograms enabled) and VictoriaMetrics and queries
 * them back.
 */
class RealReceiversTest {
  @TempDir static Path tmp;
  static PrometheusServer prom;
  static VictoriaMetrics vm;

  @BeforeAll
  static void startPeers() {
    prom = PrometheusServer.start(tmp.resolve("prom"), "--enable-feature=native-histograms");
    vm = VictoriaMetrics.start(tmp.resolve("vm"));
  }

  @AfterAll
  static void stopPeers() {
    if (prom != null) {
      prom.close();
    }
    if (vm != null) {
      vm.close();
    }
  }

  static MetricsBatch batch(long t1, long t2, long tStale) {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = Support.resource(b, "checkout", "host-1:8080").addScope("", "");
    Attributes a = Attributes.of("method", "GET");
    Metric c = Support.counter(s, "http.requests", "", a, t1, 10);
    c.addPoint(NumberPoint.ofDouble(a.copy(), 0, t2, 15));
    Metric g = Support.gauge(s, "temperature", "Cel", Attributes.of("room", "a"), t1, 21.5);
    g.addPoint(NumberPoint.ofDouble(Attributes.of("room", "a"), 0, t2, 22.5));
    NumberPoint stale = NumberPoint.ofDouble(Attributes.of("room", "a"), 0, tStale, 0);
    stale.setNoRecordedValue(true);
    g.addPoint(stale);
    Support.histogram(s, "latency", "s", Attributes.of(), t2, new double[] {0.1, 0.5}, new long[] {3, 4, 1}, 2.25);
    Support.summary(s, "rpc.duration", Attributes.of(), t2, 7, 3.5, new double[] {0.5, 0.99}, new double[] {0.4, 0.9});
    // `up` per target, as the prometheus receiver reports it: one resource per scraped target.
    Support.gauge(s, "up", "", Attributes.of(), t2, 1);
    Support.gauge(Support.resource(b, "checkout", "host-2:8080").addScope("", ""), "up", "", Attributes.of(), t2, 0);
    // An exponential histogram (scale 0: buckets (1,2] and (2,4] hold 2 and 3, 1 in the zero bucket).
    Metric eh = new Metric("queue.wait", MetricType.EXPONENTIAL_HISTOGRAM);
    eh.setTemporality(Temporality.CUMULATIVE);
    eh.setUnit("s");
    ExponentialHistogramPoint p = new ExponentialHistogramPoint();
    p.setAttributes(Attributes.of());
    p.setTimeNanos(t2);
    p.setScale(0);
    p.setZeroCount(1);
    p.setPositive(0, new long[] {2, 3});
    p.setCount(6);
    p.setSum(10.5);
    eh.addPoint(p);
    Support.resource(b, "exphist", "host-1:8080").addScope("", "").metrics().add(eh);
    return b;
  }

  @Test
  void export_seriesArriveInPrometheusAndVictoriaMetrics() throws Exception {
    long now = System.currentTimeMillis() / 1000 * 1000;
    long t1 = (now - 60_000) * 1_000_000L;
    long t2 = (now - 30_000) * 1_000_000L;
    long tStale = (now - 20_000) * 1_000_000L;
    for (String url : new String[] {prom.remoteWriteUrl(), vm.remoteWriteUrl()}) {
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite", Map.of("endpoint", url));
      e.consume(batch(t1, t2, tStale));
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isZero();
    }
    double at = (now - 30_000) / 1000.0;
    Map<String, String> expected = new TreeMap<>();
    expected.put("http_requests_total{instance=\"host-1:8080\",job=\"checkout\",method=\"GET\"}", "15");
    expected.put("temperature_celsius{instance=\"host-1:8080\",job=\"checkout\",room=\"a\"}", "22.5");
    expected.put("latency_seconds_bucket{instance=\"host-1:8080\",job=\"checkout\",le=\"0.1\"}", "3");
    expected.put("latency_seconds_bucket{instance=\"host-1:8080\",job=\"checkout\",le=\"0.5\"}", "7");
    expected.put("latency_seconds_bucket{instance=\"host-1:8080\",job=\"checkout\",le=\"+Inf\"}", "8");
    expected.put("latency_seconds_sum{instance=\"host-1:8080\",job=\"checkout\"}", "2.25");
    expected.put("latency_seconds_count{instance=\"host-1:8080\",job=\"checkout\"}", "8");
    expected.put("rpc_duration{instance=\"host-1:8080\",job=\"checkout\",quantile=\"0.5\"}", "0.4");
    expected.put("rpc_duration{instance=\"host-1:8080\",job=\"checkout\",quantile=\"0.99\"}", "0.9");
    expected.put("rpc_duration_sum{instance=\"host-1:8080\",job=\"checkout\"}", "3.5");
    expected.put("rpc_duration_count{instance=\"host-1:8080\",job=\"checkout\"}", "7");
    expected.put("up{instance=\"host-1:8080\",job=\"checkout\"}", "1");
    expected.put("up{instance=\"host-2:8080\",job=\"checkout\"}", "0");
    String q = "{job=\"checkout\",__name__!=\"target_info\"}";
    assertThat(series(prom.query(q, at))).isEqualTo(expected);
    assertThat(series(vm.query(q, (long) at))).isEqualTo(expected);
    // Earlier counter value, and the StaleNaN ends the gauge in Prometheus.
    assertThat(series(prom.query("http_requests_total", (now - 60_000) / 1000.0)).values()).containsExactly("10");
    assertThat(series(prom.query("temperature_celsius", (now - 25_000) / 1000.0))).hasSize(1);
    assertThat(series(prom.query("temperature_celsius", (now - 19_000) / 1000.0))).isEmpty();
    // `up` per target, as the seed articles' query=up check reads it.
    assertThat(series(prom.query("up", at))).containsOnlyKeys(
        "up{instance=\"host-1:8080\",job=\"checkout\"}", "up{instance=\"host-2:8080\",job=\"checkout\"}");
    // The exponential histogram arrives as a native histogram (as contrib sends it).
    assertThat(series(prom.query("histogram_count(queue_wait_seconds)", at)))
        .containsExactly(Map.entry("{instance=\"host-1:8080\",job=\"exphist\"}", "6"));
    assertThat(series(prom.query("histogram_sum(queue_wait_seconds)", at)))
        .containsExactly(Map.entry("{instance=\"host-1:8080\",job=\"exphist\"}", "10.5"));
    // 2 of 6 observations are in (1,2], so the fraction at or below 2 is (1 zero + 2) / 6 = 0.5.
    assertThat(series(prom.query("histogram_fraction(0, 2, queue_wait_seconds)", at)).values()).containsExactly("0.5");
    // VictoriaMetrics honours the StaleNaN too: the gauge is there 5 s before it, gone 1 s after.
    assertThat(series(vm.query("temperature_celsius", (now - 25_000) / 1000))).hasSize(1);
    assertThat(series(vm.query("temperature_celsius", (now - 19_000) / 1000))).isEmpty();
    // VictoriaMetrics 1.79 (Debian's) ignores the remote write Histogram field: no series at all.
    // contrib sends the same native histogram, so a user sees the same there.
    assertThat(vm.export("{job=\"exphist\"}")).isBlank();
  }

  /** Series in the result as text {@code name{labels}} -> value. */
  static Map<String, String> series(String body) {
    JsonNode root = Support.json(body);
    assertThat(root.path("status").asText()).as(body).isEqualTo("success");
    Map<String, String> out = new TreeMap<>();
    for (JsonNode r : root.path("data").path("result")) {
      JsonNode m = r.path("metric");
      StringBuilder sb = new StringBuilder(m.path("__name__").asText()).append('{');
      TreeMap<String, String> labels = new TreeMap<>();
      m.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("__name__")) {
          labels.put(f.getKey(), f.getValue().asText());
        }
      });
      StringBuilder ls = new StringBuilder();
      labels.forEach((k, v) -> ls.append(ls.length() == 0 ? "" : ",").append(k).append("=\"").append(v).append('"'));
      sb.append(ls).append('}');
      out.put(sb.toString(), r.path("value").get(1).asText());
    }
    return out;
  }
}
