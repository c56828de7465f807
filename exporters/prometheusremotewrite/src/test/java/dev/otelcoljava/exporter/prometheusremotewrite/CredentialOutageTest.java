package dev.otelcoljava.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.extension.sigv4auth.SigV4AuthExtensionFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.aws.SigV4VerifyingProxy;
import dev.otelcoljava.testing.peers.PrometheusServer;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY case 19 end to end: this exporter signs with the real sigv4auth extension, whose
 * ECS container credentials come from a loopback endpoint; a SigV4-verifying proxy checks every
 * request against the secrets that endpoint handed out and forwards it to a real Prometheus. The
 * endpoint goes away: the cached credentials keep signing while valid; once stale, requests fail
 * retryably (counted as auth errors, retried with backoff, no secret in the log); when the endpoint
 * returns, everything consumed meanwhile is delivered, in order.
 */
class CredentialOutageTest {
  private static final List<String> PROPS = List.of("aws.containerCredentialsPath", "aws.containerServiceEndpoint",
      "aws.disableEc2Metadata");
  /** Lifetime of the served credentials: the SDK treats them as stale one minute before expiry. */
  private static final int LIFETIME_SECONDS = 65;

  @TempDir Path tmp;
  final Map<String, String> secrets = new ConcurrentHashMap<>();
  final AtomicInteger served = new AtomicInteger();
  HttpServer endpoint;

  private HttpServer listen(int port) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
    s.createContext("/", ex -> {
      int n = served.incrementAndGet();
      String key = "ASIAOUTAGE" + n;
      String secret = "outage-secret-" + n;
      secrets.put(key, secret);
      String body = "{\"AccessKeyId\":\"" + key + "\",\"SecretAccessKey\":\"" + secret + "\",\"Token\":\"outage-token-" + n
          + "\",\"Expiration\":\"" + Instant.now().plusSeconds(LIFETIME_SECONDS).truncatedTo(ChronoUnit.SECONDS) + "\"}";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    s.start();
    return s;
  }

  @AfterEach
  void clear() {
    PROPS.forEach(System::clearProperty);
    if (endpoint != null) {
      endpoint.stop(0);
    }
  }

  static Extension sigv4(System.Logger logger) {
    SigV4AuthExtensionFactory f = new SigV4AuthExtensionFactory();
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(Map.of("region", "us-east-1", "service", "aps"), "extensions::sigv4auth", problems);
    var config = f.createConfig(node, "sigv4auth");
    assertThat(problems.errors()).isEmpty();
    return f.createExtension(new CreateSettings(ComponentId.parse("sigv4auth"), ComponentKind.EXTENSION,
        OpenTelemetry.noop().getMeter("test"), logger, MetricsLevel.NORMAL, new BuildInfo("otelcol-java", "otelcol-java", "1.2.3")),
        config);
  }

  @Test
  void endpointOutage_cachedCredentialsSignUntilStale_thenAuthErrorsCountedAndRetried_thenAllDelivered() throws Exception {
    endpoint = listen(0);
    int port = endpoint.getAddress().getPort();
    System.setProperty("aws.disableEc2Metadata", "true");
    System.setProperty("aws.containerServiceEndpoint", "http://127.0.0.1:" + port);
    System.setProperty("aws.containerCredentialsPath", "/v2/credentials/task-role-uuid");
    Support.CapturingLogger log = new Support.CapturingLogger();
    Extension ext = sigv4(log);
    Host host = new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return id.equals(ComponentId.parse("sigv4auth")) ? Optional.of(ext) : Optional.empty();
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of(ComponentId.parse("sigv4auth"), ext);
      }
    };
    String metric = "cred_outage_gauge";
    int steps = 0;
    try (PrometheusServer prom = PrometheusServer.start(tmp.resolve("prom"));
        SigV4VerifyingProxy proxy = SigV4VerifyingProxy.start(prom.baseUrl(), null, null)) {
      proxy.allowResolved(secrets::get).expectScope("aps", "us-east-1");
      Map<String, Object> c = new HashMap<>(FaultsTest.cfg(proxy.baseUrl() + "/api/v1/write", 2));
      c.put("auth", Map.of("authenticator", "sigv4auth"));
      c.put("retry_on_failure", Map.of("initial_interval", "50ms", "max_interval", "500ms"));
      ext.start(host);
      PrometheusRemoteWriteExporter e = Support.start("prometheusremotewrite/amp", c, log, host);
      long t0 = System.currentTimeMillis() - 120_000;
      Instant servedAt = Instant.now();
      e.consume(FaultsTest.step(metric, t0, 0));
      steps++;
      Support.await("first step signed and delivered", 10_000, () -> proxy.accepted().size() > 0);
      endpoint.stop(0); // the credential endpoint goes away
      endpoint = null;
      Instant stoppedAt = Instant.now();
      int servedBeforeOutage = served.get(); // the first fetch, and perhaps a refresh ahead of expiry

      // Still valid: requests keep being signed with the cached credentials and delivered.
      while (Instant.now().isBefore(servedAt.plusSeconds(LIFETIME_SECONDS - 60).minusMillis(1500))) {
        e.consume(FaultsTest.step(metric, t0 + steps * 1000L, steps));
        steps++;
        Thread.sleep(250);
      }
      int whileValid = steps;
      Support.await("steps consumed while the cached credentials were valid delivered", 10_000,
          () -> counts(prom, metric).values().stream().allMatch(v -> v == whileValid) && counts(prom, metric).size() == FaultsTest.SERIES);
      assertThat(e.requestsByClass()).doesNotContainKey("auth_error");

      // Stale with the endpoint down: nothing can be signed; each attempt is an auth error, retried with backoff.
      Instant staleAt = stoppedAt.plusSeconds(LIFETIME_SECONDS - 60); // at the latest
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), staleAt).toMillis()) + 500);
      long retriesBefore = e.retriesTotal();
      long outageStart = System.nanoTime();
      for (int i = 0; i < 8; i++) {
        e.consume(FaultsTest.step(metric, t0 + steps * 1000L, steps));
        steps++;
        Thread.sleep(250);
      }
      double outageSeconds = (System.nanoTime() - outageStart) / 1e9;
      long authErrors = e.requestsByClass().getOrDefault("auth_error", 0L);
      assertThat(authErrors).isPositive();
      // Backoff from 50 ms up to 500 ms on each of 2 shards: a bounded rate, no hot loop.
      assertThat(authErrors / outageSeconds).as("auth error attempts per second").isLessThan(2 * 1000.0 / 50);
      assertThat(e.retriesTotal()).isGreaterThan(retriesBefore);
      assertThat(e.droppedSamples()).isZero();
      assertThat(served.get()).isEqualTo(servedBeforeOutage);

      endpoint = listen(port); // back
      int expected = steps;
      Support.await("every step delivered once the endpoint is back", 20_000, () -> {
        Map<String, Integer> m = counts(prom, metric);
        return m.size() == FaultsTest.SERIES && m.values().stream().allMatch(v -> v == expected);
      });
      assertThat(proxy.accepted()).anyMatch(a -> a.accessKey().equals("ASIAOUTAGE" + (servedBeforeOutage + 1)));
      assertThat(proxy.rejections()).isEmpty();
      e.shutdown(Duration.ofSeconds(10));
      assertThat(e.droppedSamples()).isZero();
    } finally {
      ext.shutdown(Duration.ofSeconds(1));
    }
    assertThat(log.lines).anyMatch(l -> l.contains("cannot sign request: could not retrieve credential provider"));
    for (String line : log.lines) {
      assertThat(line).doesNotContain("outage-secret-").doesNotContain("outage-token-");
    }
  }

  static Map<String, Integer> counts(PrometheusServer prom, String name) {
    Map<String, Integer> out = new HashMap<>();
    for (var r : Support.json(prom.query("count_over_time(" + name + "[1h])", null)).path("data").path("result")) {
      out.put(r.path("metric").path("series").asText(), r.path("value").get(1).asInt());
    }
    return out;
  }
}
