package dev.otelcoljava.extension.healthcheck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.ListenAddress;
import dev.otelcoljava.runtime.api.ComponentStatus;
import dev.otelcoljava.runtime.api.PipelineStatusListener;
import dev.otelcoljava.runtime.api.StatusEvent;
import dev.otelcoljava.runtime.api.StatusWatcher;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the collector's health on {@code endpoint}+{@code path}: 503 until the runtime reports
 * the pipelines ready, 200 while they run, 503 again once shutdown begins; the socket closes when
 * the extension shuts down. Served by the JDK's HTTP server on two daemon threads. Thread-safe.
 *
 * <p>Components that report a status other than OK ({@link StatusWatcher}, e.g. an exporter whose
 * queue directory takes no writes: {@code StatusRecoverableError}) are listed in the JSON body under
 * {@code components}, with otelcol v2's per-component fields ({@code healthy}, {@code status},
 * {@code error}, {@code status_time}); the status code stays 200, as v2 answers for recoverable
 * errors by default. While every component is OK the body is exactly otelcol's legacy one.
 */
final class HealthCheckExtension implements Extension, PipelineStatusListener, StatusWatcher {
  static final String NOT_AVAILABLE =
      "{\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}";

  private final HealthCheckConfig config;
  private final System.Logger logger;
  private final Clock clock;
  private volatile Instant upSince;
  private volatile long upSinceNanos;
  // The latest non-OK status of each component, by otelcol instance name (exporter:prometheusremotewrite/x).
  private final Map<String, StatusEvent> problems = new ConcurrentHashMap<>();
  private HttpServer server;
  private ExecutorService executor;

  HealthCheckExtension(HealthCheckConfig config, System.Logger logger, Clock clock) {
    this.config = config;
    this.logger = logger;
    this.clock = clock;
  }

  @Override
  public synchronized void start(Host host) throws IOException {
    if (server != null) {
      return;
    }
    HttpServer s;
    try {
      s = HttpServer.create(ListenAddress.of(config.host(), config.port()), 16);
    } catch (BindException e) {
      throw new IOException("cannot listen on " + config.endpoint() + ": " + e.getMessage()
          + "; another process uses the port: change health_check::endpoint", e);
    } catch (UnknownHostException e) {
      throw new IOException("cannot listen on " + config.endpoint() + ": unknown host \"" + config.host()
          + "\"; change health_check::endpoint to an address of this host, e.g. localhost:13133 or 0.0.0.0:13133", e);
    }
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "health_check-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    server = s;
    // Names the bound address too: 127.0.0.1 means only this container or pod can probe it.
    logger.log(System.Logger.Level.INFO, "Health check listening on " + config.endpoint() + config.path()
        + " (bound to " + ListenAddress.describe(s.getAddress()) + ")", (Throwable) null);
  }

  /** The bound port (useful when the config asked for port 0). */
  synchronized int port() {
    return server == null ? -1 : server.getAddress().getPort();
  }

  /** The bound socket address, or null when not started. */
  synchronized InetSocketAddress boundAddress() {
    return server == null ? null : server.getAddress();
  }

  @Override
  public void pipelinesReady() {
    upSinceNanos = System.nanoTime();
    upSince = clock.instant();
  }

  @Override
  public void pipelinesNotReady() {
    upSince = null;
  }

  @Override
  public void componentStatusChanged(StatusEvent event) {
    if (event.status() == ComponentStatus.OK || event.status() == ComponentStatus.STARTING
        || event.status() == ComponentStatus.STOPPING || event.status() == ComponentStatus.STOPPED) {
      problems.remove(event.instanceName());
    } else {
      problems.put(event.instanceName(), event);
    }
  }

  /** {@code ,"components":{...}} for the components not OK, or "" if none. */
  private String componentsJson() {
    if (problems.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(",\"components\":{");
    boolean first = true;
    for (StatusEvent e : new TreeMap<>(problems).values()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      // Recoverable and permanent errors keep the collector healthy (otelcol v2's defaults).
      boolean healthy = e.status() != ComponentStatus.FATAL_ERROR;
      quote(sb, e.instanceName()).append(":{\"healthy\":").append(healthy).append(",\"status\":");
      quote(sb, e.status().otelName());
      if (e.error() != null) {
        quote(sb.append(",\"error\":"), e.error());
      }
      quote(sb.append(",\"status_time\":"), GoTime.rfc3339Nano(e.time())).append('}');
    }
    return sb.append('}').toString();
  }

  private static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }

  private boolean pathMatches(String requestPath) {
    String p = config.path();
    return p.endsWith("/") ? requestPath.startsWith(p) : requestPath.equals(p);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      String origin = ex.getRequestHeaders().getFirst("Origin");
      if (origin != null && (config.corsAllowedOrigins().contains("*") || config.corsAllowedOrigins().contains(origin))) {
        ex.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
        ex.getResponseHeaders().set("Vary", "Origin");
      }
      for (Map.Entry<String, String> h : config.responseHeaders().entrySet()) {
        ex.getResponseHeaders().set(h.getKey(), h.getValue());
      }
      if (!pathMatches(ex.getRequestURI().getPath())) {
        send(ex, 404, "text/plain; charset=utf-8", "404 page not found\n");
        return;
      }
      Instant since = upSince;
      if (since != null) {
        if (config.healthyBody() != null) {
          send(ex, 200, "text/plain; charset=utf-8", config.healthyBody());
        } else {
          String uptime = GoTime.duration(System.nanoTime() - upSinceNanos);
          send(ex, 200, "application/json", "{\"status\":\"Server available\",\"upSince\":\""
              + GoTime.rfc3339Nano(since) + "\",\"uptime\":\"" + uptime + "\"" + componentsJson() + "}");
        }
      } else if (config.unhealthyBody() != null) {
        send(ex, 503, "text/plain; charset=utf-8", config.unhealthyBody());
      } else {
        send(ex, 503, "application/json", NOT_AVAILABLE);
      }
    }
  }

  private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : b.length);
    if (!head) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    }
  }

  @Override
  public synchronized void shutdown(Duration timeout) throws InterruptedException {
    upSince = null;
    if (server != null) {
      server.stop(0);
      server = null;
    }
    if (executor != null) {
      executor.shutdownNow();
      executor.awaitTermination(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      executor = null;
    }
  }
}
