package dev.otelcoljava.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Prometheus remote-write endpoint on a free 127.0.0.1 port that accepts every POST with 204
 * and counts it, optionally after a delay (a slow backend, to keep a collector's shutdown drain
 * busy). It does not decode the payload: tests that need the series use a real peer. Thread-safe.
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

  private RemoteWriteSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static RemoteWriteSink start() throws IOException {
    return new RemoteWriteSink();
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

  /** POSTs answered with 204. */
  int answered() {
    return answered.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      started.incrementAndGet();
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

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
