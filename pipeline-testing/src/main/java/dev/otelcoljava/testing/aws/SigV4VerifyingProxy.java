package dev.otelcoljava.testing.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy that checks the AWS Signature V4 of every request with known credentials
 * ({@link SigV4Verifier}, no AWS SDK), answers 403 with the reason to a bad one, and forwards a good
 * one to a real backend (e.g. Prometheus' or VictoriaMetrics' remote-write URL), returning the
 * backend's status and body. The request's {@code X-Amz-Date} must be within 5 minutes of now.
 *
 * <p>{@link #failNext} makes the next N correctly signed requests fail with a status instead of
 * being forwarded, for retry tests; {@link #accepted()} lists every accepted request's
 * {@code X-Amz-Date} and signature, so a test can check that each retry was signed afresh.
 * Thread-safe; close it to stop the server.
 */
public final class SigV4VerifyingProxy implements AutoCloseable {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
      "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

  /** One request that passed verification. */
  public record Accepted(String accessKey, String service, String region, String amzDate, String signature,
      String securityToken, String path) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI backend;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
  private final List<String> rejections = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile int failStatus = 503;
  private volatile String expectedService;
  private volatile String expectedRegion;
  private volatile java.util.function.Function<String, String> resolver;

  private SigV4VerifyingProxy(URI backend) throws IOException {
    this.backend = backend;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Starts a proxy on a free loopback port in front of {@code backendBaseUrl} (scheme, host, port;
   * the request's path and query are appended), accepting the given access key and secret.
   */
  public static SigV4VerifyingProxy start(String backendBaseUrl, String accessKey, String secretKey) {
    try {
      SigV4VerifyingProxy p = new SigV4VerifyingProxy(URI.create(backendBaseUrl));
      if (accessKey != null) {
        p.allow(accessKey, secretKey);
      }
      return p;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Accepts another access key (e.g. temporary credentials an STS test obtained). */
  public SigV4VerifyingProxy allow(String accessKey, String secretKey) {
    secrets.put(accessKey, secretKey);
    return this;
  }

  /**
   * Looks up the secret of an access key the proxy has not been told about (e.g. temporary
   * credentials another process obtained from moto's STS: {@code MotoServer::assumedRoleSecret});
   * the function returns null for a key it does not know.
   */
  public SigV4VerifyingProxy allowResolved(java.util.function.Function<String, String> secretForKey) {
    this.resolver = secretForKey;
    return this;
  }

  /** Rejects requests whose credential scope names another service or region. */
  public SigV4VerifyingProxy expectScope(String service, String region) {
    this.expectedService = service;
    this.expectedRegion = region;
    return this;
  }

  /** The next {@code n} correctly signed requests are answered with {@code status}, not forwarded. */
  public void failNext(int n, int status) {
    failStatus = status;
    failNext.set(n);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The proxy's base URL ({@code http://127.0.0.1:<port>}); append the backend's path. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** Every request that passed verification, in arrival order. */
  public List<Accepted> accepted() {
    return Collections.unmodifiableList(new ArrayList<>(accepted));
  }

  /** The reason of every rejected request, in arrival order. */
  public List<String> rejections() {
    return Collections.unmodifiableList(new ArrayList<>(rejections));
  }

  private void resolveKey(String authorization) {
    java.util.function.Function<String, String> r = resolver;
    if (r == null || authorization == null) {
      return;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Credential=([^/,\\s]+)/").matcher(authorization);
    if (m.find() && !secrets.containsKey(m.group(1))) {
      String secret = r.apply(m.group(1));
      if (secret != null) {
        secrets.put(m.group(1), secret);
      }
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      List<SigV4Verifier.Header> headers = new ArrayList<>();
      ex.getRequestHeaders().forEach((k, vs) -> {
        for (String v : vs) {
          headers.add(new SigV4Verifier.Header(k, v));
        }
      });
      URI uri = ex.getRequestURI();
      String method = ex.getRequestMethod();
      resolveKey(ex.getRequestHeaders().getFirst("Authorization"));
      String reason = SigV4Verifier.verify(method, uri.getRawPath(), uri.getRawQuery(), headers, body, secrets);
      String authz = ex.getRequestHeaders().getFirst("Authorization");
      SigV4Verifier.Authorization a = SigV4Verifier.Authorization.parse(authz);
      String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
      if (reason == null) {
        Instant t = Instant.from(AMZ_DATE.parse(amzDate));
        if (Duration.between(t, Instant.now()).abs().compareTo(Duration.ofMinutes(5)) > 0) {
          reason = "X-Amz-Date " + amzDate + " is more than 5 minutes from now";
        } else if (expectedService != null && !expectedService.equals(a.service())) {
          reason = "credential scope names service " + a.service() + ", expected " + expectedService;
        } else if (expectedRegion != null && !expectedRegion.equals(a.region())) {
          reason = "credential scope names region " + a.region() + ", expected " + expectedRegion;
        }
      }
      if (reason != null) {
        rejections.add(reason);
        respond(ex, 403, ("{\"message\":\"SigV4 verification failed: " + reason + "\"}").getBytes(StandardCharsets.UTF_8));
        return;
      }
      accepted.add(new Accepted(a.accessKey(), a.service(), a.region(), amzDate, a.signature(),
          ex.getRequestHeaders().getFirst("X-Amz-Security-Token"), uri.getRawPath()));
      if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        respond(ex, failStatus, "injected failure".getBytes(StandardCharsets.UTF_8));
        return;
      }
      forward(ex, method, uri, body);
    }
  }

  private void forward(HttpExchange ex, String method, URI uri, byte[] body) throws IOException {
    String target = backend.toString().replaceAll("/+$", "") + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((k, vs) -> {
      if (!NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT))) {
        for (String v : vs) {
          b.header(k, v);
        }
      }
    });
    try {
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      r.headers().firstValue("Content-Type").ifPresent(ct -> ex.getResponseHeaders().set("Content-Type", ct));
      respond(ex, r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(ex, 502, "interrupted".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      respond(ex, 502, ("backend unreachable: " + e).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
