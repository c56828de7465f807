package dev.otelcoljava.testing.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Amazon ECS task metadata endpoint v4 on a free loopback port, serving {@code /task},
 * {@code /task/stats}, {@code /taskWithTags} and the container's own metadata at {@code /} (all
 * below {@code /v4/<container-id>}, as ECS does) from fixture files or strings the test supplies.
 * Any other path ending in {@code /stats} (the per-container stats) answers 404 unless set.
 *
 * <p>The base URL ({@link #baseUrl()}) is what ECS puts in {@code ECS_CONTAINER_METADATA_URI_V4}.
 * {@code /task/stats} serves a sequence of responses: each request answered with a body takes the
 * next one and the last one repeats (a request answered with a fault does not advance it), so a test can feed successive samples. Each path can be switched to a {@link Fault}
 * (HTTP 500, garbage JSON, a slow answer, or a dropped connection). Thread-safe: tests change
 * responses while a receiver polls. Close it to stop the server.
 */
public final class EcsMetadataServer implements AutoCloseable {
  /** What a path answers instead of its body. */
  public enum Fault {
    NONE,
    /** HTTP 500 with a short text body. */
    HTTP_500,
    /** HTTP 200 with a body that is not JSON. */
    GARBAGE,
    /** The normal body, after {@link #slowDelay(Duration)} (default 5s). */
    SLOW,
    /** HTTP 404. */
    NOT_FOUND
  }

  public static final String TASK = "/task";
  public static final String STATS = "/task/stats";
  public static final String TASK_WITH_TAGS = "/taskWithTags";
  public static final String CONTAINER = "/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final List<String> statsSequence = new ArrayList<>();
  private int statsIndex;
  private volatile Duration slowDelay = Duration.ofSeconds(5);

  private EcsMetadataServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "ecs-metadata-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Starts an empty server: every path answers 404 until a body is set. */
  public static EcsMetadataServer start() {
    try {
      EcsMetadataServer s = new EcsMetadataServer();
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a server answering {@code /task} and {@code /task/stats} from two fixture files (e.g.
   * {@code SharedFiles.fixtures().resolve("ecs/otel-contrib-awsecscontainermetricsreceiver/task_metadata.json")}).
   */
  public static EcsMetadataServer start(Path taskJson, Path statsJson) {
    EcsMetadataServer s = start();
    s.task(read(taskJson));
    s.stats(read(statsJson));
    return s;
  }

  /** Reads a fixture file as UTF-8. */
  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The value for {@code ECS_CONTAINER_METADATA_URI_V4}, shaped like the real one: {@code
   * http://127.0.0.1:<port>/v4/<container-id>}.
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/a8585a4c6a9b4e6c9b3b7a2b1e0f7c1d-2531612879";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public EcsMetadataServer task(String json) {
    bodies.put(TASK, json);
    return this;
  }

  public EcsMetadataServer taskWithTags(String json) {
    bodies.put(TASK_WITH_TAGS, json);
    return this;
  }

  /** The container's own metadata, served at {@code /}. */
  public EcsMetadataServer container(String json) {
    bodies.put(CONTAINER, json);
    return this;
  }

  /** Replaces the stats sequence with one response that repeats. */
  public EcsMetadataServer stats(String json) {
    return statsSequence(List.of(json));
  }

  /** Replaces the stats sequence: request i gets response i; the last one repeats. */
  public synchronized EcsMetadataServer statsSequence(List<String> jsons) {
    if (jsons.isEmpty()) {
      throw new IllegalArgumentException("at least one stats response");
    }
    statsSequence.clear();
    statsSequence.addAll(jsons);
    statsIndex = 0;
    return this;
  }

  /** Sets the fault of a path ({@link #TASK}, {@link #STATS}, ...); {@link Fault#NONE} clears it. */
  public EcsMetadataServer fault(String path, Fault fault) {
    faults.put(path, fault);
    return this;
  }

  public EcsMetadataServer slowDelay(Duration delay) {
    this.slowDelay = delay;
    return this;
  }

  /** How many requests a path received. */
  public int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  private synchronized String nextStats() {
    if (statsSequence.isEmpty()) {
      return null;
    }
    String s = statsSequence.get(Math.min(statsIndex, statsSequence.size() - 1));
    statsIndex++;
    return s;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = canonical(ex.getRequestURI().getPath());
      hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      Fault fault = faults.getOrDefault(path, Fault.NONE);
      switch (fault) {
        case HTTP_500 -> {
          send(ex, 500, "internal server error");
          return;
        }
        case GARBAGE -> {
          send(ex, 200, "{\"this is\": not json <html>");
          return;
        }
        case NOT_FOUND -> {
          send(ex, 404, "404 page not found");
          return;
        }
        case SLOW -> {
          try {
            Thread.sleep(slowDelay.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        case NONE -> {}
      }
      // Only answers that carry a body advance the stats sequence.
      String body = STATS.equals(path) ? nextStats() : bodies.get(path);
      if (body == null) {
        send(ex, 404, "404 page not found");
        return;
      }
      send(ex, 200, body);
    }
  }

  /**
   * Maps a request path to one of {@link #TASK}, {@link #STATS}, {@link #TASK_WITH_TAGS} or {@link
   * #CONTAINER}, ignoring the {@code /v4/<id>} prefix of {@link #baseUrl()} (any prefix works, as
   * the real endpoint's container id does).
   */
  private static String canonical(String raw) {
    String path = raw;
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith(STATS)) {
      return STATS;
    }
    if (path.endsWith(TASK_WITH_TAGS)) {
      return TASK_WITH_TAGS;
    }
    if (path.endsWith(TASK)) {
      return TASK;
    }
    if (path.endsWith("/stats")) {
      return path.substring(path.lastIndexOf('/'));
    }
    return CONTAINER;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    } catch (IOException ignored) {
      // the client gave up (e.g. its timeout fired during a SLOW answer)
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
