package dev.otelcoljava.runtime.internal.telemetry;

import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ListenAddress;
import dev.otelcoljava.runtime.api.MetricsLevel;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The collector's own metrics: an opentelemetry-sdk {@link SdkMeterProvider} whose instruments
 * (otelcol's names) are served in the Prometheus text format at {@code http://<host>:<port>/metrics}
 * by the JDK's HTTP server (no extra dependency). Resource: {@code service.name} (the build's
 * command), {@code service.version}, a random {@code service.instance.id}, plus {@code
 * service::telemetry::resource}. Level {@code none}: a no-op meter and no endpoint. Thread-safe;
 * {@link #close} stops the server.
 */
public final class SelfTelemetry implements AutoCloseable {
  private static final String SCOPE = "otelcol-java";

  private final SdkMeterProvider sdk;
  private final MeterProvider provider;
  private final PrometheusTextReader reader;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String instanceId;

  private SelfTelemetry(
      SdkMeterProvider sdk, MeterProvider provider, PrometheusTextReader reader, HttpServer server,
      ExecutorService executor, String instanceId) {
    this.sdk = sdk;
    this.provider = provider;
    this.reader = reader;
    this.server = server;
    this.executor = executor;
    this.instanceId = instanceId;
  }

  /**
   * Builds the meter provider, registers process metrics and, unless the level is none, binds the
   * endpoint.
   *
   * @throws IOException when the endpoint cannot be bound (the message names the address)
   */
  public static SelfTelemetry start(TelemetryConfig cfg, BuildInfo info) throws IOException {
    // A random (version 4) UUID, as the collector's; from ThreadLocalRandom, not UUID.randomUUID:
    // its SecureRandom initialises the JDK's security providers (their algorithm and OID tables),
    // which nothing else of a plain-HTTP pipeline needs, at ~0.2 s in a 0.125 CPU sidecar's start.
    // An instance id needs to be unique, not unpredictable.
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    String instanceId = new UUID(rnd.nextLong() & ~0xF000L | 0x4000L,
        rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
    if (cfg.metricsLevel() == MetricsLevel.NONE || cfg.metricsHost() == null) {
      return new SelfTelemetry(null, MeterProvider.noop(), null, null, null, instanceId);
    }
    AttributesBuilder ab = Attributes.builder()
        .put("service.name", info.command())
        .put("service.version", info.version())
        .put("service.instance.id", instanceId);
    for (Map.Entry<String, String> e : cfg.resource().entrySet()) {
      ab.put(e.getKey(), e.getValue());
    }
    PrometheusTextReader reader = new PrometheusTextReader();
    SdkMeterProvider sdk = SdkMeterProvider.builder()
        .setResource(Resource.create(ab.build()))
        .registerMetricReader(reader)
        .build();
    ProcessMetrics.register(sdk.get(SCOPE));
    HttpServer server;
    try {
      server = HttpServer.create(ListenAddress.of(cfg.metricsHost(), cfg.metricsPort()), 16);
    } catch (IOException e) {
      sdk.close();
      throw new IOException(
          "service::telemetry::metrics: cannot listen on " + cfg.metricsHost() + ":" + cfg.metricsPort() + ": "
              + e.getMessage() + "; free the port or set another address", e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "otelcol-telemetry-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", exchange -> {
      try (exchange) {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        byte[] body = reader.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
          exchange.sendResponseHeaders(200, -1);
          return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(body);
        }
      }
    });
    server.start();
    // One line naming what is served and where, as otelcol's "Serving metrics" line does; the
    // bound address shows whether other hosts can reach it (127.0.0.1: this host only).
    String level = cfg.metricsLevel().name().toLowerCase(Locale.ROOT);
    CollectorLogging.logger("service").log(System.Logger.Level.INFO, "Serving metrics at http://"
        + hostPort(cfg.metricsHost(), server.getAddress().getPort()) + "/metrics (listening on "
        + ListenAddress.describe(server.getAddress()) + ", level " + level + ")");
    return new SelfTelemetry(sdk, sdk, reader, server, executor, instanceId);
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The meter for a component's self-metrics. */
  public Meter meter() {
    return provider.get(SCOPE);
  }

  public MeterProvider meterProvider() {
    return provider;
  }

  /** The bound endpoint address (the real port when 0 was asked), if one is served. */
  public Optional<InetSocketAddress> address() {
    return server == null ? Optional.empty() : Optional.of(server.getAddress());
  }

  /** The current exposition text (empty at level none). */
  public String scrape() {
    return reader == null ? "" : reader.scrape();
  }

  public String instanceId() {
    return instanceId;
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
    if (sdk != null) {
      sdk.close();
    }
  }
}
