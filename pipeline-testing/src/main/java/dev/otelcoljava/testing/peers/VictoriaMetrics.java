package dev.otelcoljava.testing.peers;

import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real VictoriaMetrics single-node server (Debian package {@code victoria-metrics}) on a free
 * loopback port: remote-write sink at {@link #remoteWriteUrl()}, queried back through its
 * Prometheus-compatible HTTP API.
 */
public final class VictoriaMetrics implements AutoCloseable {
  public static final String INSTALL = "apt-get install -y victoria-metrics";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ExternalProcess process;
  private final int port;

  private VictoriaMetrics(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a server with its data under {@code workDir}, ready to accept writes. */
  public static VictoriaMetrics start(Path workDir) {
    String bin = ExternalProcess.requireBinary("victoria-metrics", INSTALL);
    int port = FreePorts.find();
    ExternalProcess p = ExternalProcess.start("victoria-metrics", List.of(bin,
        "-httpListenAddr=127.0.0.1:" + port,
        "-storageDataPath=" + workDir.resolve("vm-data"),
        "-retentionPeriod=100y",
        "-search.disableCache",
        "-search.latencyOffset=0s",
        "-dedup.minScrapeInterval=0"), workDir, Map.of());
    p.awaitHttpOk("http://127.0.0.1:" + port + "/health", Duration.ofSeconds(30));
    return new VictoriaMetrics(p, port);
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

  /** Makes recent writes visible to queries. */
  public void flush() {
    get("/internal/force_flush");
  }

  /** Runs an instant PromQL query at {@code timeSeconds} (or now if null) and returns the JSON body. */
  public String query(String promql, Long timeSeconds) {
    flush();
    String q = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + (timeSeconds == null ? "" : "&time=" + timeSeconds);
    return get(q);
  }

  /** Exports raw samples of the series matching the selector as VictoriaMetrics JSON lines. */
  public String export(String matchSelector) {
    flush();
    return get("/api/v1/export?match[]=" + URLEncoder.encode(matchSelector, StandardCharsets.UTF_8));
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
