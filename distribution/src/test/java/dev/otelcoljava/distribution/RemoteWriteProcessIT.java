package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.aws.SigV4VerifyingProxy;
import dev.otelcoljava.testing.peers.MotoServer;
import dev.otelcoljava.testing.peers.PrometheusServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/otelcol-java scraping with the prometheus receiver and remote-writing to a real Prometheus
 * 2.42: {@code up} per target as the seed articles' {@code query=up} check reads it; a receiver
 * outage with a SIGKILL of the collector in the middle and a restart (the WAL loses nothing, order
 * holds); and sigv4auth with IRSA environment credentials plus assume_role from moto's STS, through
 * a signing-verifying proxy that fails the first requests (every retry re-signed and accepted).
 */
class RemoteWriteProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A target exposing {@code ticks_total}, which grows by one per scrape; remembers when each value was served. */
  static final class Ticker implements AutoCloseable {
    final HttpServer server;
    final AtomicLong ticks = new AtomicLong();
    final ConcurrentSkipListMap<Long, Long> servedAt = new ConcurrentSkipListMap<>(); // value -> millis

    Ticker() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/metrics", ex -> {
        long v = ticks.incrementAndGet();
        servedAt.put(v, System.currentTimeMillis());
        byte[] b = ("# TYPE ticks_total counter\nticks_total " + v + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
      });
      server.start();
    }

    String address() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * An HTTP forwarder on a fixed port that can go down (connections refused) and come back, and
   * can hold each request {@code delayMillis} before passing it on (a slow back end).
   */
  static final class Forwarder implements AutoCloseable {
    final String target;
    final int port = FreePorts.find();
    final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    volatile long delayMillis;
    HttpServer server;

    Forwarder(String target) throws IOException {
      this.target = target;
      up();
    }

    synchronized void up() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.setExecutor(Executors.newFixedThreadPool(4, r -> Thread.ofPlatform().daemon().unstarted(r)));
      server.createContext("/", this::forward);
      server.start();
    }

    synchronized void down() {
      server.stop(0);
    }

    private void forward(HttpExchange ex) throws IOException {
      try (ex; InputStream in = ex.getRequestBody()) {
        byte[] body = in.readAllBytes();
        requests.incrementAndGet();
        long d = delayMillis;
        if (d > 0) {
          Thread.sleep(d);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().getRawPath()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : new String[] {"Content-Encoding", "Content-Type", "X-Prometheus-Remote-Write-Version", "User-Agent"}) {
          String v = ex.getRequestHeaders().getFirst(h);
          if (v != null) {
            b.header(h, v);
          }
        }
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        if (r.body().length > 0) {
          ex.getResponseBody().write(r.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String url() {
      return "http://127.0.0.1:" + port + "/api/v1/write";
    }

    @Override
    public synchronized void close() {
      server.stop(0);
    }
  }

  static String config(String targets, String endpoint, Path wal, String extensionBlock, String authBlock) {
    return """
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: ticker
                  scrape_interval: 1s
                  scrape_timeout: 500ms
                  static_configs:
                    - targets: [%s]
        exporters:
          prometheusremotewrite:
            endpoint: %s
            retry_on_failure:
              initial_interval: %s
              randomization_factor: 0
              max_interval: 2s
            %s
            %s
        %s
        service:
          %s
          telemetry:
            metrics:
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: 127.0.0.1
                        port: %d
          pipelines:
            metrics:
              receivers: [prometheus]
              exporters: [prometheusremotewrite]
        """.formatted(targets, endpoint, extensionBlock.isEmpty() ? "50ms" : "1100ms",
        wal == null ? "" : "wal:\n      directory: " + wal + "\n      truncate_frequency: 1s",
        authBlock, extensionBlock, extensionBlock.isEmpty() ? "" : "extensions: [sigv4auth]", FreePorts.find());
  }

  static ExternalProcess collector(Path dir, String name, Path cfg, Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    return ExternalProcess.start(name, List.of(AppDir.launcher().toString(), "--config=" + cfg), dir, e);
  }

  static JsonNode query(PrometheusServer prom, String q) throws IOException {
    JsonNode root = JSON.readTree(prom.query(q, null));
    assertThat(root.path("status").asText()).isEqualTo("success");
    return root.path("data").path("result");
  }

  static void await(String what, Duration timeout, ExternalProcess p, BooleanSupplier cond) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (cond.getAsBoolean()) {
        return;
      }
      assertThat(p.process().isAlive()).as("collector exited; log:\n" + p.tail()).isTrue();
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what + "; collector log:\n" + p.tail());
  }

  /** `up` per target: label set -> value. */
  static Map<String, String> up(PrometheusServer prom) {
    try {
      Map<String, String> out = new TreeMap<>();
      for (JsonNode r : query(prom, "up")) {
        JsonNode m = r.path("metric");
        out.put(m.path("job").asText() + "/" + m.path("instance").asText(), r.path("value").get(1).asText());
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Raw values of ticks_total in Prometheus, in timestamp order. */
  static List<Long> storedTicks(PrometheusServer prom) {
    try {
      JsonNode r = query(prom, "ticks_total[1h]");
      List<Long> out = new ArrayList<>();
      if (r.size() == 0) {
        return out;
      }
      assertThat(r.size()).as("one ticks_total series").isEqualTo(1);
      for (JsonNode v : r.get(0).path("values")) {
        out.add((long) Double.parseDouble(v.get(1).asText()));
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void upPerTarget_thenOutageWithSigkillAndRestart_walLosesNothing(@TempDir Path dir) throws Exception {
    int deadPort = FreePorts.find(); // nothing listens there: up=0
    try (PrometheusServer prom = PrometheusServer.start(dir.resolve("prom"));
        Ticker ticker = new Ticker();
        Forwarder fwd = new Forwarder(prom.baseUrl())) {
      Path cfg = dir.resolve("config.yaml");
      Files.writeString(cfg, config("\"" + ticker.address() + "\", \"127.0.0.1:" + deadPort + "\"", fwd.url(),
          dir.resolve("wal"), "", ""));
      ExternalProcess first = collector(dir, "collector-1", cfg, Map.of());
      try {
        // `up` per target, exactly as the seed articles' query=up check shows it.
        Map<String, String> expectedUp = Map.of("ticker/" + ticker.address(), "1", "ticker/127.0.0.1:" + deadPort, "0");
        await("up for both targets", Duration.ofSeconds(60), first, () -> up(prom).equals(new TreeMap<>(expectedUp)));
        await("three ticks stored", Duration.ofSeconds(20), first, () -> storedTicks(prom).size() >= 3);
        // The launcher points snappy-java at the library the build unpacked into native/: it is
        // mapped from there, not from a copy in the temp directory.
        String arch = switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64" -> "aarch64";
          default -> throw new AssertionError("no snappy library unpacked for " + System.getProperty("os.arch"));
        };
        assertThat(Files.readString(Path.of("/proc/" + first.process().pid() + "/maps")))
            .contains(AppDir.home() + "/native/org/xerial/snappy/native/Linux/" + arch + "/libsnappyjava.so")
            .doesNotContain("-libsnappyjava.so");

        // The receiver goes away; scrapes continue into the WAL; then kill -9.
        fwd.down();
        Thread.sleep(6_000);
        long killedAt = System.currentTimeMillis();
        first.kill();
        assertThat(first.process().isAlive()).isFalse();
      } finally {
        first.close();
      }
      long tickAtKill = ticker.ticks.get();
      Path walDir = dir.resolve("wal");
      try (var files = Files.walk(walDir)) {
        assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).as("WAL segments left by the killed process").isPositive();
      }

      ExternalProcess second = collector(dir, "collector-2", cfg, Map.of());
      try {
        // Still down for a while after the restart; new scrapes join the replayed ones.
        await("scrapes by the restarted collector", Duration.ofSeconds(60), second, () -> ticker.ticks.get() >= tickAtKill + 3);
        fwd.up();
        Thread.sleep(2_000);
        long lastExpected = ticker.ticks.get();
        await("ticks up to " + lastExpected + " delivered", Duration.ofSeconds(60), second, () -> {
          List<Long> s = storedTicks(prom);
          return !s.isEmpty() && s.get(s.size() - 1) >= lastExpected;
        });
        second.terminate();
        assertThat(second.waitFor(Duration.ofSeconds(30))).as("exit code after SIGTERM; log:\n" + second.tail()).isZero();

        List<Long> stored = storedTicks(prom);
        // Prometheus rejects out-of-order samples, and values only grow: strictly increasing proves order.
        for (int i = 1; i < stored.size(); i++) {
          assertThat(stored.get(i)).as("order at " + i + ": " + stored).isGreaterThan(stored.get(i - 1));
        }
        // Zero loss: every value served up to lastExpected is stored, except a scrape the SIGKILL
        // interrupted before the exporter accepted it (served in the last 1.5 s before the kill).
        long killMillis = ticker.servedAt.get(tickAtKill) == null ? 0 : ticker.servedAt.get(tickAtKill);
        List<Long> missing = new ArrayList<>();
        for (long v = 1; v <= lastExpected; v++) {
          if (!stored.contains(v)) {
            missing.add(v);
          }
        }
        assertThat(missing).as("values lost; stored " + stored).allSatisfy(v ->
            assertThat(ticker.servedAt.get(v)).as("value " + v + " served at").isGreaterThan(killMillis - 1_500));
        assertThat(missing.size()).as("at most the scrape in flight at the kill").isLessThanOrEqualTo(2);
        assertThat(stored.size()).isGreaterThan(10);
      } finally {
        second.close();
      }
    }
  }

  @Test
  void sigv4_irsaEnvAndAssumeRoleFromMotoSts_everyRequestAndRetryVerified(@TempDir Path dir) throws Exception {
    try (PrometheusServer prom = PrometheusServer.start(dir.resolve("prom"));
        MotoServer moto = MotoServer.start(dir.resolve("moto"));
        Ticker ticker = new Ticker();
        SigV4VerifyingProxy proxy = SigV4VerifyingProxy.start(prom.baseUrl(), null, null)
            .expectScope("aps", "us-west-2")) {
      proxy.allowResolved(moto::assumedRoleSecret);
      proxy.failNext(3, 503); // the first requests fail: each retry must be signed again
      Path token = dir.resolve("irsa-token");
      Files.writeString(token, "eyJhbGciOiJSUzI1NiJ9.irsa-test-token.sig");
      String ext = """
          extensions:
            sigv4auth:
              region: us-west-2
              service: aps
              assume_role:
                arn: arn:aws:iam::123456789012:role/amp-remote-writer
                session_name: otelcol-it
                sts_region: us-west-2
          """;
      Path cfg = dir.resolve("config.yaml");
      Files.writeString(cfg, config("\"" + ticker.address() + "\"", proxy.baseUrl() + "/api/v1/write", null, ext,
          "auth:\n      authenticator: sigv4auth\n    remote_write_queue:\n      num_consumers: 1"));
      Map<String, String> env = Map.of(
          "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
          "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa-node-role",
          "AWS_ROLE_SESSION_NAME", "irsa-it",
          "AWS_REGION", "us-west-2",
          "AWS_ENDPOINT_URL_STS", moto.endpoint(),
          "AWS_EC2_METADATA_DISABLED", "true");
      ExternalProcess p = collector(dir, "collector-sigv4", cfg, env);
      try {
        await("up and ticks through the proxy", Duration.ofSeconds(60), p,
            () -> up(prom).equals(Map.of("ticker/" + ticker.address(), "1")) && storedTicks(prom).size() >= 3);
        assertThat(proxy.rejections()).as("every request verified").isEmpty();
        List<SigV4VerifyingProxy.Accepted> accepted = proxy.accepted();
        assertThat(accepted.size()).isGreaterThanOrEqualTo(4); // 3 answered 503, then forwarded
        // The signing key is the assume_role's, obtained with the IRSA web-identity credentials.
        String key = accepted.get(0).accessKey();
        assertThat(key).startsWith("ASIA");
        assertThat(moto.assumedRoleArn(key)).isEqualTo("arn:aws:iam::123456789012:role/amp-remote-writer");
        // ... and the IRSA role was assumed with the web identity token from the environment.
        String state = HTTP.send(HttpRequest.newBuilder(URI.create(moto.endpoint() + "/moto-api/data.json")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(state).contains("\"role_arn\": \"arn:aws:iam::123456789012:role/irsa-node-role\"")
            .contains("\"session_name\": \"irsa-it\"");
        // One consumer, retries over a second apart (initial_interval 1100ms, no jitter): the first
        // four attempts are one request signed four times, each with its own X-Amz-Date.
        assertThat(accepted.subList(0, 4)).extracting(SigV4VerifyingProxy.Accepted::amzDate).doesNotHaveDuplicates();
        assertThat(accepted.subList(0, 4)).extracting(SigV4VerifyingProxy.Accepted::signature).doesNotHaveDuplicates();
        p.terminate();
        assertThat(p.waitFor(Duration.ofSeconds(30))).as("exit after SIGTERM; log:\n" + p.tail()).isZero();
        String log = p.logText();
        assertThat(log).doesNotContain(moto.assumedRoleSecret(key)).doesNotContain("irsa-test-token");
        for (SigV4VerifyingProxy.Accepted a : accepted) {
          assertThat(log).doesNotContain(a.signature());
        }
      } finally {
        p.close();
      }
    }
  }
}
