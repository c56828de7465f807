package dev.otelcoljava.receiver.awscontainerinsight;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the ECS agent introspection API ({@code /v1/metadata}, {@code /v1/tasks}) and
 * the EC2 instance metadata service (IMDSv2: {@code PUT /latest/api/token}, then {@code GET
 * /latest/dynamic/instance-identity/document} with the token) on a free 127.0.0.1 port. Bodies come
 * from testdata; a path can be switched to an HTTP status (500, 404, ...) or to "down" (the
 * connection is closed without an answer). With {@code imdsV1Only} the token call answers 405 and
 * the document is served without a token, as an IMDSv1-only instance does; otherwise a document
 * request without the issued token answers 401, as IMDSv2-required instances do.
 */
final class AgentAndImdsServer implements AutoCloseable {
  static final String METADATA = "/v1/metadata";
  static final String TASKS = "/v1/tasks";
  static final String TOKEN = "/latest/api/token";
  static final String DOCUMENT = "/latest/dynamic/instance-identity/document";
  static final String TOKEN_VALUE = "AQAEAFakeTokenForTests==";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private volatile boolean imdsV1Only;

  AgentAndImdsServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "agent-imds-standin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    bodies.put(METADATA, resource("ecs-agent/metadata.json"));
    bodies.put(TASKS, resource("ecs-agent/tasks.json"));
    bodies.put(DOCUMENT, resource("imds/identity-document.json"));
    server.start();
  }

  static String resource(String name) {
    try (InputStream in = AgentAndImdsServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void body(String path, String body) {
    bodies.put(path, body);
  }

  /** Answers {@code status} on {@code path} from now on; 200 restores the body; -1 drops the connection. */
  void status(String path, int status) {
    if (status == 200) {
      statuses.remove(path);
    } else {
      statuses.put(path, status);
    }
  }

  void imdsV1Only(boolean on) {
    imdsV1Only = on;
  }

  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      Integer st = statuses.get(path);
      if (st != null && st == -1) {
        ex.getResponseBody().close();
        ex.close();
        return;
      }
      if (st != null) {
        send(ex, st, "forced status");
        return;
      }
      if (path.equals(TOKEN)) {
        if (imdsV1Only) {
          send(ex, 405, "");
        } else if (!"PUT".equals(ex.getRequestMethod())
            || ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") == null) {
          send(ex, 400, "missing ttl");
        } else {
          send(ex, 200, TOKEN_VALUE);
        }
        return;
      }
      if (path.startsWith("/latest/") && !imdsV1Only
          && !TOKEN_VALUE.equals(ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
        send(ex, 401, "");
        return;
      }
      String body = bodies.get(path);
      if (body == null) {
        send(ex, 404, "404 page not found");
      } else {
        send(ex, 200, body);
      }
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
