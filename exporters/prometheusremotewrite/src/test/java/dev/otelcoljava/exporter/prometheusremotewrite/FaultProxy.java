package dev.otelcoljava.exporter.prometheusremotewrite;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An in-test HTTP proxy in front of a real receiver: for request number n (from 1) the {@code
 * plan} returns a fault (an HTTP status, {@link #RESET} to drop the connection, {@link #RETRY_AFTER}
 * for 429 with Retry-After: 1) or {@link #FORWARD}.
 */
final class FaultProxy implements AutoCloseable {
  static final int FORWARD = 0;
  static final int RESET = -1;
  static final int RETRY_AFTER = -2;
  /** Accept the request and answer nothing for {@link #HANG_MILLIS}, then close the connection. */
  static final int HANG = -3;
  static final long HANG_MILLIS = 3000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String target;
  private final int port;
  private HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger forwarded = new AtomicInteger();
  volatile IntFunction<Integer> plan;
  /**
   * Consulted first with each request's (snappy) body: a fault for it, or null to follow {@link
   * #plan}. For faults that depend on what a request carries, e.g. the series of one shard.
   */
  volatile java.util.function.Function<byte[], Integer> bodyPlan;
  /** Up to this many ms of random delay before a request is forwarded (0 = none). */
  volatile int maxLatencyMillis;
  /** The longest random delay applied so far, in ms. */
  final java.util.concurrent.atomic.AtomicLong maxLatencyAppliedMillis = new java.util.concurrent.atomic.AtomicLong();
  /** Requests being handled now, and the most at once so far. */
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  /** Called with each forwarded request's (snappy) body just before it is sent on to the receiver. */
  volatile java.util.function.Consumer<byte[]> onForward;
  /** The receiver's answers to forwarded requests, by HTTP status. */
  final java.util.Map<Integer, AtomicInteger> forwardedStatus = new java.util.concurrent.ConcurrentHashMap<>();

  FaultProxy(String target, IntFunction<Integer> plan) throws IOException {
    this.plan = plan;
    this.target = target;
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  private HttpServer listen(int p) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 0);
    s.setExecutor(Executors.newFixedThreadPool(16));
    s.createContext("/", ex -> handle(ex, target));
    s.start();
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/api/v1/write";
  }

  /** Stops listening: connections are refused, as when the receiver is down. */
  synchronized void down() {
    server.stop(0);
  }

  /** Listens again on the same port. */
  synchronized void up() throws IOException {
    server = listen(port);
  }

  private void handle(HttpExchange ex, String target) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      handleCounted(ex, target);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void handleCounted(HttpExchange ex, String target) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    int n = requests.incrementAndGet();
    java.util.function.Function<byte[], Integer> bp = bodyPlan;
    Integer byBody = bp == null ? null : bp.apply(body);
    int action = byBody != null ? byBody : plan.apply(n);
    if (maxLatencyMillis > 0) {
      try {
        int delay = java.util.concurrent.ThreadLocalRandom.current().nextInt(maxLatencyMillis + 1);
        maxLatencyAppliedMillis.accumulateAndGet(delay, Math::max);
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (action == HANG) {
      try {
        Thread.sleep(HANG_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
      return;
    }
    if (action == RESET) {
      ex.getHttpContext().getServer();
      ex.close(); // no response: the client sees the connection closed
      return;
    }
    if (action == RETRY_AFTER) {
      ex.getResponseHeaders().add("Retry-After", "1");
      ex.sendResponseHeaders(429, -1);
      ex.close();
      return;
    }
    if (action > 0) {
      byte[] msg = ("injected " + action).getBytes();
      ex.sendResponseHeaders(action, msg.length);
      ex.getResponseBody().write(msg);
      ex.close();
      return;
    }
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
      for (String h : new String[] {"Content-Encoding", "Content-Type", "X-Prometheus-Remote-Write-Version", "User-Agent"}) {
        String v = ex.getRequestHeaders().getFirst(h);
        if (v != null) {
          b.header(h, v);
        }
      }
      java.util.function.Consumer<byte[]> observer = onForward;
      if (observer != null) {
        observer.accept(body);
      }
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      forwarded.incrementAndGet();
      forwardedStatus.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      if (r.body().length > 0) {
        ex.getResponseBody().write(r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.sendResponseHeaders(502, -1);
    } finally {
      ex.close();
    }
  }

  @Override
  public synchronized void close() {
    server.stop(0);
  }
}
