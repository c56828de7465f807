package dev.otelcoljava.receiver.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.peers.Nginx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver against real peers on loopback: nginx serving exposition files, and a small JDK
 * HTTP server for the faulty targets (slow, huge, gzip bomb, garbage, redirect loop) plus a port
 * nobody listens on. Scrape interval 1s.
 */
class PrometheusReceiverEndToEndTest {
  static final String GOOD = """
      # HELP e2e_requests_total Requests served.
      # TYPE e2e_requests_total counter
      e2e_requests_total{code="200"} 42
      e2e_requests_total{code="500"} 3
      # TYPE e2e_temp gauge
      e2e_temp 21.5
      """;
  static final String OTHER = "# TYPE e2e_other gauge\ne2e_other 7\n";

  @TempDir
  static Path dir;
  static Nginx nginx;
  static HttpServer faults;
  static ExecutorService faultExecutor;
  static Path nodeExporter;

  @BeforeAll
  static void startPeers() throws Exception {
    Path good = Files.createDirectories(dir.resolve("good"));
    Files.writeString(good.resolve("metrics"), GOOD);
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("metrics"), OTHER);
    nodeExporter = SharedFiles.sharedDir().resolve("fixtures/expositions/node_exporter");
    nginx = Nginx.start(dir.resolve("nginx"), List.of(good, other, nodeExporter));
    faults = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    faultExecutor = Executors.newCachedThreadPool();
    faults.setExecutor(faultExecutor);
    faults.createContext("/slow", ex -> {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(ex, 200, "slow 1\n".getBytes(StandardCharsets.UTF_8), null);
    });
    byte[] line = "huge_metric{label=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"} 1\n".getBytes(StandardCharsets.UTF_8);
    faults.createContext("/huge", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream os = ex.getResponseBody()) {
        for (int i = 0; i < (4 << 20) / line.length; i++) {
          os.write(line);
        }
      } catch (IOException ignored) {
        // the receiver aborts the read at body_size_limit
      }
    });
    byte[] bomb = gzipOfZeros(64 << 20);
    faults.createContext("/bomb", ex -> respond(ex, 200, bomb, "gzip"));
    faults.createContext("/garbage", ex -> respond(ex, 200,
        "this is { not an exposition\n\u0000\u0001".getBytes(StandardCharsets.UTF_8), null));
    faults.createContext("/badgzip", ex -> respond(ex, 200, GOOD.getBytes(StandardCharsets.UTF_8), "gzip"));
    faults.createContext("/error", ex -> respond(ex, 500, "internal error\n".getBytes(StandardCharsets.UTF_8), null));
    faults.createContext("/chain", ex -> {
      // /chain?c=C&n=K answers with a relative redirect to n=K-1; n=0 serves GOOD
      String q = String.valueOf(ex.getRequestURI().getQuery());
      int n = Integer.parseInt(q.replaceAll(".*n=(\\d+).*", "$1"));
      String chain = q.replaceAll(".*c=(\\w+).*", "$1");
      CHAIN_HOPS.add(chain + "/" + n);
      if (n == 0) {
        respond(ex, 200, GOOD.getBytes(StandardCharsets.UTF_8), null);
        return;
      }
      ex.getResponseHeaders().set("Location", "chain?c=" + chain + "&n=" + (n - 1));
      ex.sendResponseHeaders(n % 2 == 0 ? 302 : 307, -1);
      ex.close();
    });
    faults.createContext("/redirect", ex -> {
      ex.getResponseHeaders().set("Location", "/redirect");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    faults.createContext("/trickle", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream os = ex.getResponseBody()) {
        for (int i = 0; i < 100; i++) {
          os.write(("trickle_" + i + " 1\n").getBytes(StandardCharsets.UTF_8));
          os.flush();
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException ignored) {
        // the receiver gave up at the timeout
      }
    });
    byte[] gzippedGood = gzip(GOOD.getBytes(StandardCharsets.UTF_8));
    faults.createContext("/auth", ex -> {
      AUTH_REQUESTS.add(Map.of(
          "authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")),
          "accept", String.valueOf(ex.getRequestHeaders().getFirst("Accept")),
          "accept-encoding", String.valueOf(ex.getRequestHeaders().getFirst("Accept-Encoding")),
          "timeout", String.valueOf(ex.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds")),
          "user-agent", String.valueOf(ex.getRequestHeaders().getFirst("User-Agent"))));
      boolean gz = "gzip".equals(ex.getRequestHeaders().getFirst("Accept-Encoding"));
      respond(ex, 200, gz ? gzippedGood : GOOD.getBytes(StandardCharsets.UTF_8), gz ? "gzip" : null);
    });
    faults.start();
  }

  static final Queue<Map<String, String>> AUTH_REQUESTS = new ConcurrentLinkedQueue<>();
  static final Queue<String> CHAIN_HOPS = new ConcurrentLinkedQueue<>();

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] gzipOfZeros(int size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 16];
      for (int i = 0; i < size / zeros.length; i++) {
        gz.write(zeros);
      }
    }
    return out.toByteArray();
  }

  static void respond(HttpExchange ex, int status, byte[] body, String encoding) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    if (encoding != null) {
      ex.getResponseHeaders().set("Content-Encoding", encoding);
    }
    try {
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    } catch (IOException ignored) {
      // the receiver went away (timeout or limit)
    }
  }

  @AfterAll
  static void stopPeers() {
    if (faults != null) {
      faults.stop(0);
      faultExecutor.shutdownNow();
    }
    if (nginx != null) {
      nginx.close();
    }
  }

  static long sampleLines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
  }

  @Test
  void scrape_goodTargetsDeliverFixtureValues() throws Exception {
    String yaml = """
        config:
          global:
            scrape_interval: 1s
            scrape_timeout: 900ms
          scrape_configs:
            - job_name: good
              static_configs:
                - targets: ["127.0.0.1:%d"]
            - job_name: node
              metrics_path: /e2e-output.txt
              static_configs:
                - targets: ["127.0.0.1:%d"]
        """.formatted(nginx.port(0), nginx.port(2));
    String good = "127.0.0.1:" + nginx.port(0);
    String node = "127.0.0.1:" + nginx.port(2);
    try (ReceiverHarness h = new ReceiverHarness(yaml)) {
      ReceiverHarness.await("good and node scraped twice", Duration.ofSeconds(20),
          () -> h.count(good, "up", 1) >= 2 && h.count(node, "up", 1) >= 1);
      List<NumberPoint> requests = h.points(good, "e2e_requests_total");
      assertThat(requests).filteredOn(p -> "200".equals(p.attributes().getString("code")))
          .allSatisfy(p -> assertThat(p.value()).isEqualTo(42.0));
      assertThat(requests).filteredOn(p -> "500".equals(p.attributes().getString("code")))
          .allSatisfy(p -> assertThat(p.value()).isEqualTo(3.0));
      assertThat(h.points(good, "e2e_temp")).isNotEmpty().allSatisfy(p -> assertThat(p.value()).isEqualTo(21.5));
      assertThat(h.points(node, "scrape_samples_scraped").get(0).value())
          .isEqualTo((double) sampleLines(nodeExporter.resolve("e2e-output.txt")));
      assertThat(h.reader.counter("otelcol_receiver_prometheus_scrapes", "job", "good")).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void scrape_faultyTargetsGetUpZeroWhileGoodTargetKeepsFlowing() throws Exception {
    int port = faults.getAddress().getPort();
    int down = FreePorts.find();
    StringBuilder targets = new StringBuilder();
    for (String fault : List.of("slow", "huge", "bomb", "garbage", "redirect", "trickle", "badgzip", "error")) {
      targets.append("""
                  - targets: ["127.0.0.1:%d"]
                    labels: {__metrics_path__: /%s, instance: %s}
          """.formatted(port, fault, fault));
    }
    targets.append("""
                  - targets: ["127.0.0.1:%d"]
                    labels: {instance: down}
                  - targets: ["127.0.0.1:%d"]
                    labels: {instance: good-among-faults}
          """.formatted(down, nginx.port(0)));
    String yaml = """
        config:
          global:
            scrape_interval: 1s
            scrape_timeout: 500ms
          scrape_configs:
            - job_name: good
              static_configs:
                - targets: ["127.0.0.1:%d"]
            - job_name: limited
              target_limit: 1
              static_configs:
                - targets: ["127.0.0.1:%d", "127.0.0.1:%d"]
            - job_name: faults
              body_size_limit: 1MB
              static_configs:
        %s""".formatted(nginx.port(0), nginx.port(1), nginx.port(2), targets);
    String good = "127.0.0.1:" + nginx.port(0);
    List<String> faultInstances = List.of("slow", "huge", "bomb", "garbage", "redirect", "trickle", "badgzip",
        "error", "down", "127.0.0.1:" + nginx.port(1), "127.0.0.1:" + nginx.port(2));
    try (ReceiverHarness h = new ReceiverHarness(yaml)) {
      ReceiverHarness.await("every fault reported up=0 twice", Duration.ofSeconds(30),
          () -> faultInstances.stream().allMatch(i -> h.count(i, "up", 0) >= 2));
      long goodBefore = h.count(good, "up", 1);
      long neighbourBefore = h.count("good-among-faults", "up", 1);
      ReceiverHarness.await("good targets keep flowing, in their own job and in the faulty one",
          Duration.ofSeconds(10), () -> h.count(good, "up", 1) >= goodBefore + 2
              && h.count("good-among-faults", "up", 1) >= neighbourBefore + 2);
      assertThat(h.points(good, "e2e_temp")).isNotEmpty().allSatisfy(p -> assertThat(p.value()).isEqualTo(21.5));
      // the good target in the same scrape pool as the faults: every scrape up=1, every sample there
      assertThat(h.count("good-among-faults", "up", 0)).isZero();
      assertThat(h.count("good-among-faults", "e2e_temp", 21.5))
          .isEqualTo(h.count("good-among-faults", "up", 1));
      assertThat(h.points("good-among-faults", "e2e_requests_total")).isNotEmpty()
          .allSatisfy(p -> assertThat(p.noRecordedValue()).isFalse());
      for (String i : faultInstances) {
        assertThat(h.count(i, "up", 1)).as(i + " never up").isZero();
        assertThat(h.points(i, "huge_metric")).as(i + " sends no samples").isEmpty();
      }
      TestMetricReader r = h.reader;
      String f = "otelcol_receiver_prometheus_scrape_failures";
      assertThat(r.counter(f, "instance", "slow", "reason", "timeout")).isPositive();
      assertThat(r.counter(f, "instance", "down", "reason", "connection")).isPositive();
      assertThat(r.counter(f, "instance", "huge", "reason", "body_size_limit")).isPositive();
      assertThat(r.counter(f, "instance", "bomb", "reason", "body_size_limit")).isPositive();
      assertThat(r.counter(f, "instance", "garbage", "reason", "parse")).isPositive();
      assertThat(r.counter(f, "instance", "redirect", "reason", "redirect")).isPositive();
      assertThat(r.counter(f, "instance", "trickle", "reason", "timeout")).isPositive();
      assertThat(r.counter(f, "instance", "badgzip", "reason", "gzip")).isPositive();
      assertThat(r.counter(f, "instance", "error", "reason", "http_status")).isPositive();
      assertThat(r.counter(f, "instance", "good-among-faults")).as("no failure for the good neighbour").isZero();
      assertThat(r.counter(f, "job", "limited", "reason", "target_limit")).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void scrape_followsUpToTenRedirectsLikePrometheus() throws Exception {
    String target = "127.0.0.1:" + faults.getAddress().getPort();
    String yaml = """
        config:
          global:
            scrape_interval: 1s
            scrape_timeout: 900ms
          scrape_configs:
            - job_name: ten
              metrics_path: /chain
              params: {c: [ten], n: ["10"]}
              static_configs:
                - targets: ["%1$s"]
                  labels: {instance: ten}
            - job_name: eleven
              metrics_path: /chain
              params: {c: [eleven], n: ["11"]}
              static_configs:
                - targets: ["%1$s"]
                  labels: {instance: eleven}
            - job_name: nofollow
              metrics_path: /chain
              params: {c: [nofollow], n: ["1"]}
              follow_redirects: false
              static_configs:
                - targets: ["%1$s"]
                  labels: {instance: nofollow}
        """.formatted(target);
    try (ReceiverHarness h = new ReceiverHarness(yaml)) {
      ReceiverHarness.await("ten hops scraped, eleven and nofollow failed", Duration.ofSeconds(20),
          () -> h.count("ten", "e2e_temp", 21.5) >= 2 && h.count("eleven", "up", 0) >= 2
              && h.count("nofollow", "up", 0) >= 2);
      assertThat(h.count("ten", "up", 0)).as("10 redirects are fine (Go's limit), the JDK's 5 are not").isZero();
      assertThat(h.count("eleven", "up", 1)).isZero();
      assertThat(h.count("nofollow", "up", 1)).isZero();
      String f = "otelcol_receiver_prometheus_scrape_failures";
      assertThat(h.reader.counter(f, "instance", "eleven", "reason", "redirect")).isPositive();
      assertThat(h.reader.counter(f, "instance", "nofollow", "reason", "redirect")).isPositive();
      // every hop of the 10-chain is requested; from 11 the 11th redirect (to n=0) is not followed
      assertThat(CHAIN_HOPS).contains("ten/0", "ten/10", "eleven/11", "eleven/1", "nofollow/1")
          .doesNotContain("eleven/0", "nofollow/0");
    }
  }

  @Test
  void scrape_sendsPrometheusHeadersDecompressesAndRereadsTokenFile() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "one\n");
    String target = "127.0.0.1:" + faults.getAddress().getPort();
    String yaml = """
        config:
          global:
            scrape_interval: 1s
            scrape_timeout: 500ms
          scrape_configs:
            - job_name: auth
              metrics_path: /auth
              bearer_token_file: %s
              static_configs:
                - targets: ["%s"]
        """.formatted(token, target);
    AUTH_REQUESTS.clear();
    try (ReceiverHarness h = new ReceiverHarness(yaml)) {
      ReceiverHarness.await("first scrape with the first token", Duration.ofSeconds(15),
          () -> h.count(target, "e2e_temp", 21.5) >= 1);
      Map<String, String> first = AUTH_REQUESTS.peek();
      assertThat(first).containsEntry("authorization", "Bearer one")
          .containsEntry("accept", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
              + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
          .containsEntry("accept-encoding", "gzip")
          .containsEntry("timeout", "0.5")
          .containsEntry("user-agent", "otelcol-java/0.1.0-test");
      Files.writeString(token, "two\n");
      ReceiverHarness.await("a scrape with the rotated token", Duration.ofSeconds(15),
          () -> AUTH_REQUESTS.stream().anyMatch(m -> m.get("authorization").equals("Bearer two")));
    }
  }

  @Test
  void discovererProvider_pluggedInDiscoveryFeedsTargetsThroughRelabeling() throws Exception {
    String target = "127.0.0.1:" + nginx.port(0);
    dev.otelcoljava.receiver.prometheus.discovery.TestDiscovererProvider.address = target;
    String yaml = """
        config:
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: provided
              relabel_configs:
                - source_labels: [__meta_test_zone]
                  target_label: zone
        """;
    try (ReceiverHarness h = new ReceiverHarness(yaml)) {
      ReceiverHarness.await("provided target scraped", Duration.ofSeconds(15), () -> h.count(target, "up", 1) >= 1);
      assertThat(h.points(target, "e2e_temp").get(0).attributes().getString("zone")).isEqualTo("z1");
    }
  }

  @Test
  void scrape_manyTargetsNeedFewPlatformThreads() throws Exception {
    int n = 300;
    StringBuilder groups = new StringBuilder();
    for (int i = 0; i < n; i++) {
      groups.append("        - targets: [\"127.0.0.1:").append(nginx.port(0)).append("\"]\n")
          .append("          labels: {instance: t").append(i).append("}\n");
    }
    String yaml = "config:\n  global:\n    scrape_interval: 1s\n  scrape_configs:\n    - job_name: many\n"
        + "      static_configs:\n" + groups.toString().indent(2);
    int before = Thread.getAllStackTraces().size();
    try (ReceiverHarness h = new ReceiverHarness(yaml)) {
      ReceiverHarness.await("all targets scraped", Duration.ofSeconds(20), () -> {
        for (int i = 0; i < n; i++) {
          if (h.count("t" + i, "up", 1) == 0) {
            return false;
          }
        }
        return true;
      });
      int platform = Thread.getAllStackTraces().size() - before;
      // a loop per target runs on a virtual thread: the platform threads added are the timer, the
      // HTTP client's selector and the virtual-thread carriers (at most one per core)
      assertThat(platform).as("platform threads added for " + n + " targets")
          .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() + 8);
      System.out.println("platform threads added for " + n + " targets: " + platform);
    }
  }

  @Test
  void fileSd_addsAndRemovesTargetsWhileRunning() throws Exception {
    Path sd = Files.createDirectories(dir.resolve("sd"));
    String a = "127.0.0.1:" + nginx.port(0);
    String b = "127.0.0.1:" + nginx.port(1);
    Files.writeString(sd.resolve("targets.json"), "[{\"targets\": [\"" + a + "\"], \"labels\": {\"team\": \"x\"}}]");
    String yaml = """
        config:
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: files
              file_sd_configs:
                - files: ["%s/*.json", "%s/*.yaml"]
        """.formatted(sd, sd);
    try (ReceiverHarness h = new ReceiverHarness(yaml)) {
      ReceiverHarness.await("target a scraped", Duration.ofSeconds(15), () -> h.count(a, "up", 1) >= 1);
      assertThat(h.points(a, "e2e_temp").get(0).attributes().getString("team")).isEqualTo("x");
      Files.writeString(sd.resolve("more.yaml"), "- targets: ['" + b + "']\n");
      ReceiverHarness.await("target b added", Duration.ofSeconds(15), () -> h.count(b, "e2e_other", 7) >= 1);
      Files.delete(sd.resolve("targets.json"));
      ReceiverHarness.await("target a removed with staleness markers", Duration.ofSeconds(15),
          () -> h.points(a, "e2e_temp").stream().anyMatch(NumberPoint::noRecordedValue)
              && h.points(a, "up").stream().anyMatch(NumberPoint::noRecordedValue));
      long bBefore = h.count(b, "e2e_other", 7);
      ReceiverHarness.await("target b keeps flowing", Duration.ofSeconds(10),
          () -> h.count(b, "e2e_other", 7) >= bBefore + 1);
      List<NumberPoint> aTemps = h.points(a, "e2e_temp");
      assertThat(aTemps.get(aTemps.size() - 1).noRecordedValue()).as("nothing after the marker").isTrue();
      List<NumberPoint> aRequests = h.points(a, "e2e_requests_total");
      assertThat(aRequests.subList(aRequests.size() - 2, aRequests.size()))
          .as("the removal batch ends both series").allMatch(NumberPoint::noRecordedValue);
    }
  }
}
