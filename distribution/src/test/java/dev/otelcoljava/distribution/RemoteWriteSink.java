package dev.otelcoljava.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Prometheus remote-write endpoint on a free 127.0.0.1 port that accepts every POST with 204
 * and counts it, optionally after a delay (a slow backend, to keep a collector's shutdown drain
 * busy). It does not decode the payload: tests that need the series use a real peer, either
 * directly or behind {@link #forwardingTo}, which passes each POST on to a real receiver's URL
 * whatever the path it came to (so a collector can write to an AMP-shaped path such as {@code
 * /workspaces/<id>/api/v1/remote_write}, which VictoriaMetrics does not serve) and answers with
 * the receiver's status. Thread-safe.
 */
final class RemoteWriteSink implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "remote-write-sink");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;
  private final URI forwardTo;
  private final HttpClient client;

  private RemoteWriteSink(URI forwardTo) throws IOException {
    this.forwardTo = forwardTo;
    this.client = forwardTo == null ? null : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static RemoteWriteSink start() throws IOException {
    return new RemoteWriteSink(null);
  }

  /**
   * A sink that forwards every POST (body and the remote-write headers) to {@code url}, e.g.
   * {@code VictoriaMetrics#remoteWriteUrl()}, and answers with that receiver's status and body.
   */
  static RemoteWriteSink forwardingTo(String url) throws IOException {
    return new RemoteWriteSink(URI.create(url));
  }

  /** The URL to write to, e.g. {@code http://127.0.0.1:1234/api/v1/write}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers each request after {@code d} from now on. */
  void delay(Duration d) {
    delay = d;
  }

  /** POSTs received (answered or not yet). */
  int started() {
    return started.get();
  }

  /** POSTs answered with 204 (or, when forwarding, with the receiver's 2xx). */
  int answered() {
    return answered.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      started.incrementAndGet();
      if (forwardTo != null) {
        forward(ex, body);
        return;
      }
      long ms = delay.toMillis();
      if (ms > 0) {
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ex.sendResponseHeaders(204, -1);
      answered.incrementAndGet();
    }
  }

  private void forward(HttpExchange ex, byte[] body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(forwardTo).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (String h : List.of("Content-Type", "Content-Encoding", "X-Prometheus-Remote-Write-Version", "User-Agent")) {
      String v = ex.getRequestHeaders().getFirst(h);
      if (v != null) {
        b.header(h, v);
      }
    }
    HttpResponse<byte[]> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.sendResponseHeaders(503, -1);
      return;
    } catch (IOException e) {
      ex.sendResponseHeaders(502, -1);
      return;
    }
    ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
    if (r.body().length > 0) {
      ex.getResponseBody().write(r.body());
    }
    if (r.statusCode() / 100 == 2) {
      answered.incrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
