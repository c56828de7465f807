package dev.otelcoljava.testing.peers;

import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus server (Debian package {@code prometheus}, 2.42) on a free loopback port with
 * the remote-write receiver enabled ({@code --web.enable-remote-write-receiver}), storage in a
 * temp dir, queried back through {@code /api/v1/query} and {@code /api/v1/query_range}.
 */
public final class PrometheusServer implements AutoCloseable {
  public static final String INSTALL = "apt-get install -y prometheus";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ExternalProcess process;
  private final int port;

  private PrometheusServer(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a server with an empty scrape config and its data under {@code workDir}. */
  public static PrometheusServer start(Path workDir) {
    return start(workDir, new String[0]);
  }

  /**
   * As {@link #start(Path)}, with extra command-line flags, e.g. {@code
   * --enable-feature=native-histograms}, which Prometheus 2.42 needs to store remote-written
   * native histograms.
   */
  public static PrometheusServer start(Path workDir, String... extraFlags) {
    String bin = ExternalProcess.requireBinary("prometheus", INSTALL);
    int port = FreePorts.find();
    try {
      Files.createDirectories(workDir);
      Files.writeString(workDir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> cmd = new java.util.ArrayList<>(List.of(bin,
        "--config.file=" + workDir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + workDir.resolve("prom-data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-remote-write-receiver",
        "--storage.tsdb.retention.time=100y"));
    cmd.addAll(List.of(extraFlags));
    ExternalProcess p = ExternalProcess.start("prometheus", cmd, workDir, Map.of());
    p.awaitHttpOk("http://127.0.0.1:" + port + "/-/ready", Duration.ofSeconds(60));
    return new PrometheusServer(p, port);
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String remoteWriteUrl() {
    return baseUrl() + "/api/v1/write";
  }

  /** Instant query at {@code timeSeconds} (now if null); returns the JSON body. */
  public String query(String promql, Double timeSeconds) {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + (timeSeconds == null ? "" : "&time=" + timeSeconds));
  }

  /** Range query; returns the JSON body. */
  public String queryRange(String promql, double start, double end, String step) {
    return get("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&start=" + start + "&end=" + end + "&step=" + step);
  }

  public String get(String pathAndQuery) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
          .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new AssertionError("GET " + pathAndQuery + " -> " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new AssertionError("GET " + pathAndQuery + " failed: " + e + "; log:\n" + process.tail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public ExternalProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }
}
