package dev.otelcoljava.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * OTLP/HTTP metrics on the JDK's HTTP server (HTTP/1.1), one virtual thread per request. POST
 * {@code metrics_url_path} with {@code application/x-protobuf} or {@code application/json},
 * optionally gzip- or deflate-encoded; the decompressed body is capped at {@code
 * max_request_body_size}. Answers: 200 with an ExportMetricsServiceResponse (partial success
 * included) in the request's encoding; 503 with {@code Retry-After} when the pipeline refuses with
 * a retryable error; 400 for bad payloads and permanent refusals; 404 for every other path
 * (traces, logs); 405 for other methods; 413 for oversized bodies; 415 for other content types.
 * Error bodies are a {@code google.rpc.Status}. CORS per {@code cors::allowed_origins}.
 */
final class HttpServerSide {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final List<String> DEFAULT_CORS_HEADERS = List.of("accept", "accept-language", "content-type", "content-language", "origin", "x-requested-with");

  private final OtlpReceiverConfig.Http cfg;
  private final ExportHandler handler;
  private final RateLimitedLogger rlog;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  HttpServerSide(OtlpReceiverConfig.Http cfg, ExportHandler handler, RateLimitedLogger rlog) throws Exception {
    this.cfg = cfg;
    this.handler = handler;
    this.rlog = rlog;
    if (cfg.tls() != null) {
      HttpsServer s = HttpsServer.create(Endpoints.parse(cfg.endpoint()), 128);
      OtlpReceiverConfig.Tls t = cfg.tls();
      SslContextBuilder sb = SslContextBuilder.forServer(new File(t.certFile()), new File(t.keyFile())).sslProvider(SslProvider.JDK);
      boolean mtls = !t.clientCaFile().isEmpty();
      if (mtls) {
        sb.trustManager(new File(t.clientCaFile())).clientAuth(ClientAuth.REQUIRE);
      }
      SSLContext ctx = ((JdkSslContext) sb.build()).context();
      s.setHttpsConfigurator(new HttpsConfigurator(ctx) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = ctx.getDefaultSSLParameters();
          p.setNeedClientAuth(mtls);
          params.setSSLParameters(p);
        }
      });
      server = s;
    } else {
      server = HttpServer.create(Endpoints.parse(cfg.endpoint()), 128);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops accepting, lets requests in flight finish until the timeout (JDK's own stop delay would
   * wait the whole delay even when idle), then closes.
   */
  void shutdown(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    inFlight.incrementAndGet();
    try (ex) {
      boolean cors = applyCors(ex);
      String path = ex.getRequestURI().getPath();
      if (!path.equals(cfg.metricsUrlPath())) {
        sendStatus(ex, 404, PROTOBUF, 5, "unknown path " + path + "; this collector serves metrics only, at " + cfg.metricsUrlPath());
        return;
      }
      String method = ex.getRequestMethod();
      if (method.equals("OPTIONS") && cors) {
        ex.sendResponseHeaders(204, -1);
        return;
      }
      if (!method.equals("POST")) {
        ex.getResponseHeaders().set("Allow", "POST");
        sendStatus(ex, 405, PROTOBUF, 12, method + " method not allowed, supported: [POST]");
        return;
      }
      String ct = contentType(ex.getRequestHeaders().getFirst("Content-Type"));
      if (!ct.equals(PROTOBUF) && !ct.equals(JSON)) {
        sendStatus(ex, 415, PROTOBUF, 3, "unsupported content type " + ct + ", supported: [" + JSON + ", " + PROTOBUF + "]");
        return;
      }
      byte[] body;
      try {
        body = readBody(ex);
      } catch (BodyTooLarge e) {
        sendStatus(ex, 413, ct, 8, "request body exceeds max_request_body_size (" + cfg.maxRequestBodySize() + " bytes)");
        return;
      } catch (IOException e) {
        sendStatus(ex, 400, ct, 3, "cannot read request body: " + e.getMessage());
        return;
      }
      ExportMetricsServiceRequest req;
      try {
        req = ct.equals(JSON) ? OtlpJsonReader.parse(body) : ExportMetricsServiceRequest.parseFrom(body);
      } catch (IOException e) {
        rlog.log(System.Logger.Level.DEBUG, "decode", "cannot decode OTLP/HTTP request: " + e.getMessage());
        sendStatus(ex, 400, ct, 3, "cannot decode request: " + e.getMessage());
        return;
      }
      ExportHandler.Outcome o = handler.export(req);
      if (o.ok()) {
        send(ex, 200, ct, o.response());
      } else if (o.retryable()) {
        ex.getResponseHeaders().set("Retry-After", "1");
        sendStatus(ex, 503, ct, 14, o.error());
      } else {
        sendStatus(ex, 400, ct, 3, o.error());
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private boolean applyCors(HttpExchange ex) {
    String origin = ex.getRequestHeaders().getFirst("Origin");
    if (origin == null || cfg.corsAllowedOrigins().isEmpty() || !originAllowed(origin)) {
      return false;
    }
    var h = ex.getResponseHeaders();
    h.set("Access-Control-Allow-Origin", origin);
    h.add("Vary", "Origin");
    if (ex.getRequestMethod().equals("OPTIONS") && ex.getRequestHeaders().getFirst("Access-Control-Request-Method") != null) {
      h.set("Access-Control-Allow-Methods", "POST");
      String reqHeaders = ex.getRequestHeaders().getFirst("Access-Control-Request-Headers");
      if (reqHeaders != null && !reqHeaders.isBlank()) {
        StringBuilder allowed = new StringBuilder();
        for (String r : reqHeaders.split(",")) {
          String name = r.trim().toLowerCase(Locale.ROOT);
          if (headerAllowed(name)) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(name);
          }
        }
        if (allowed.length() > 0) {
          h.set("Access-Control-Allow-Headers", allowed.toString());
        }
      }
      if (cfg.corsMaxAge() > 0) {
        h.set("Access-Control-Max-Age", Integer.toString(cfg.corsMaxAge()));
      }
      return true;
    }
    return false;
  }

  private boolean headerAllowed(String name) {
    if (DEFAULT_CORS_HEADERS.contains(name)) {
      return true;
    }
    for (String a : cfg.corsAllowedHeaders()) {
      if (a.equals("*") || a.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** An origin matches an entry exactly, "*", or a pattern with one "*" wildcard (https://*.example.com). */
  boolean originAllowed(String origin) {
    for (String a : cfg.corsAllowedOrigins()) {
      if (a.equals("*") || a.equalsIgnoreCase(origin)) {
        return true;
      }
      int star = a.indexOf('*');
      if (star >= 0) {
        String pre = a.substring(0, star);
        String suf = a.substring(star + 1);
        if (origin.length() >= pre.length() + suf.length() && origin.regionMatches(true, 0, pre, 0, pre.length())
            && origin.regionMatches(true, origin.length() - suf.length(), suf, 0, suf.length())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String contentType(String header) {
    if (header == null) {
      return "";
    }
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  private byte[] readBody(HttpExchange ex) throws IOException {
    String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
    InputStream in = ex.getRequestBody();
    if (enc != null && !enc.isBlank() && !enc.equalsIgnoreCase("identity")) {
      switch (enc.trim().toLowerCase(Locale.ROOT)) {
        case "gzip", "x-gzip" -> in = new GZIPInputStream(in, 8192);
        case "deflate" -> in = new InflaterInputStream(in);
        default -> throw new IOException("unsupported Content-Encoding \"" + enc + "\" (supported: gzip, deflate)");
      }
    }
    // The limit applies to the decompressed size, so a small gzip bomb cannot exhaust the heap.
    long max = cfg.maxRequestBodySize();
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > max) {
        throw new BodyTooLarge();
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static void send(HttpExchange ex, int code, String ct, Message m) throws IOException {
    byte[] bytes = ct.equals(JSON) ? OtlpJsonReader.print(m).getBytes(StandardCharsets.UTF_8) : m.toByteArray();
    ex.getResponseHeaders().set("Content-Type", ct);
    ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    }
  }

  private static void sendStatus(HttpExchange ex, int code, String ct, int grpcCode, String message) throws IOException {
    com.google.rpc.Status st = com.google.rpc.Status.newBuilder().setCode(grpcCode).setMessage(message == null ? "" : message).build();
    try {
      send(ex, code, ct.equals(JSON) ? JSON : PROTOBUF, st);
    } catch (InvalidProtocolBufferException e) {
      ex.sendResponseHeaders(code, -1);
    }
  }
}
