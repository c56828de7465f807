package dev.otelcoljava.exporter.otlp;

import dev.otelcoljava.runtime.api.HttpClientAuthenticator;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * One attempt of an OTLP/HTTP POST with the JDK HTTP client. Retryable per the OTLP spec: 429,
 * 502, 503, 504 (honouring {@code Retry-After} in seconds or as an HTTP date) and connection
 * errors; every other non-2xx status is permanent, and its body is logged (capped). With an
 * authenticator, each attempt is signed over the exact bytes sent.
 */
final class HttpSender implements Sender {
  private static final int MAX_LOGGED_BODY = 1024;
  private final OtlpHttpExporterConfig cfg;
  private final HttpClient client;
  private final HttpClientAuthenticator auth;
  private final RateLimitedLogger rlog;

  HttpSender(OtlpHttpExporterConfig cfg, HttpClientAuthenticator auth, System.Logger logger) throws Exception {
    this.cfg = cfg;
    this.auth = auth;
    this.rlog = new RateLimitedLogger(logger, Duration.ofSeconds(10));
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
        cfg.timeout().isZero() ? Duration.ofSeconds(30) : cfg.timeout());
    SSLContext ctx = ClientTls.sslContext(cfg.tls());
    if (ctx != null) {
      b.sslContext(ctx);
    }
    client = b.build();
  }

  @Override
  public Result send(ExportMetricsServiceRequest request) {
    try {
      byte[] raw = cfg.json() ? OtlpJsonWriter.write(request) : request.toByteArray();
      byte[] body = compress(raw);
      Map<String, String> headers = new LinkedHashMap<>(cfg.headers());
      headers.put("Content-Type", cfg.json() ? "application/json" : "application/x-protobuf");
      if (!cfg.compression().equals("none")) {
        headers.put("Content-Encoding", cfg.compression().equals("zlib") ? "deflate" : cfg.compression());
      }
      if (auth != null) {
        headers.putAll(auth.sign("POST", cfg.metricsUrl(), headers, body));
      }
      HttpRequest.Builder rb = HttpRequest.newBuilder(cfg.metricsUrl()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (!cfg.timeout().isZero()) {
        rb.timeout(cfg.timeout());
      }
      headers.put("User-Agent", "otelcol-java");
      for (Map.Entry<String, String> h : headers.entrySet()) {
        String k = h.getKey().toLowerCase(Locale.ROOT);
        if (k.equals("host") || k.equals("content-length") || k.equals("connection")) {
          continue; // restricted in the JDK client; it sets them itself
        }
        rb.setHeader(h.getKey(), h.getValue());
      }
      HttpResponse<byte[]> resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
      int code = resp.statusCode();
      if (code >= 200 && code < 300) {
        logPartialSuccess(resp);
        return Result.OK;
      }
      String msg = "HTTP " + code + " from " + cfg.metricsUrl() + ": " + bodyText(resp.body());
      return switch (code) {
        case 429, 502, 503, 504 -> Result.retryable(msg, retryAfter(resp.headers().firstValue("Retry-After").orElse(null)));
        default -> Result.permanent(msg);
      };
    } catch (IOException e) {
      return Result.retryable("request to " + cfg.metricsUrl() + " failed: " + e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.permanent("interrupted");
    } catch (Exception e) {
      // The authenticator's message carries no secret by contract.
      return Result.retryable("cannot sign the request: " + e.getMessage(), null);
    }
  }

  private void logPartialSuccess(HttpResponse<byte[]> resp) {
    byte[] b = resp.body();
    if (b == null || b.length == 0 || cfg.json()) {
      return;
    }
    try {
      ExportMetricsServiceResponse r = ExportMetricsServiceResponse.parseFrom(b);
      if (r.hasPartialSuccess() && r.getPartialSuccess().getRejectedDataPoints() > 0) {
        rlog.log(System.Logger.Level.WARNING, "partial", "Partial success response: rejected_data_points="
            + r.getPartialSuccess().getRejectedDataPoints() + " message=" + r.getPartialSuccess().getErrorMessage());
      }
    } catch (IOException ignored) {
      // a 2xx with an unparsable body is still a success
    }
  }

  private String bodyText(byte[] body) {
    if (body == null || body.length == 0) {
      return "(empty body)";
    }
    if (!cfg.json()) {
      try {
        com.google.rpc.Status st = com.google.rpc.Status.parseFrom(body);
        if (!st.getMessage().isEmpty()) {
          return st.getMessage();
        }
      } catch (IOException ignored) {
        // not a Status: show the text
      }
    }
    String s = new String(body, 0, Math.min(body.length, MAX_LOGGED_BODY), StandardCharsets.UTF_8);
    return body.length > MAX_LOGGED_BODY ? s + "…" : s;
  }

  /** Retry-After as seconds or an HTTP date; null when absent or invalid. */
  static Duration retryAfter(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      long s = Long.parseLong(v.trim());
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException ignored) {
      // maybe a date
    }
    try {
      ZonedDateTime t = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(ZonedDateTime.now(t.getZone()), t);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (RuntimeException ignored) {
      return null;
    }
  }

  private byte[] compress(byte[] raw) throws IOException {
    if (cfg.compression().equals("none")) {
      return raw;
    }
    ByteArrayOutputStream bos = new ByteArrayOutputStream(raw.length / 4 + 64);
    try (OutputStream os = cfg.compression().equals("gzip") ? new GZIPOutputStream(bos) : new DeflaterOutputStream(bos)) {
      os.write(raw);
    }
    return bos.toByteArray();
  }

  @Override
  public void close() {
    client.shutdownNow();
  }
}
