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
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger forwarded = new AtomicInteger();
  volatile IntFunction<Integer> plan;

  FaultProxy(String target, IntFunction<Integer> plan) throws IOException {
    this.plan = plan;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", ex -> handle(ex, target));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
  }

  private void handle(HttpExchange ex, String target) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    int n = requests.incrementAndGet();
    int action = plan.apply(n);
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
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      forwarded.incrementAndGet();
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
  public void close() {
    server.stop(0);
  }
}
