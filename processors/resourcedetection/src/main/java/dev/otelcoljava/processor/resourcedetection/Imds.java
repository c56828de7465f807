package dev.otelcoljava.processor.resourcedetection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small EC2 instance metadata (IMDSv2) client: one token {@code PUT}, then {@code GET}s with the
 * token, falling back to IMDSv1 when the token call answers 404 or 405 as the AWS SDK does. The
 * endpoint is {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} or {@code http://169.254.169.254}. A
 * connection that cannot be made fails at once (off EC2 that means "not on this platform"); a 5xx
 * or 429 answer is retried up to {@code maxAttempts} with exponential backoff capped at {@code
 * maxBackoff} and the detection deadline. Each request waits at most 1 second, as the SDK's IMDS
 * client does, so detection off AWS never hangs.
 */
final class Imds {
  static final String ENDPOINT_ENV = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
  static final String DISABLED_ENV = "AWS_EC2_METADATA_DISABLED";
  static final String DEFAULT_ENDPOINT = "http://169.254.169.254";
  private static final Duration REQUEST_CAP = Duration.ofSeconds(1);

  /** The endpoint could not be reached at all. */
  static final class UnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An HTTP error status. */
  static final class StatusException extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    StatusException(String path, int status) {
      super("EC2 metadata " + path + " answered HTTP " + status);
      this.status = status;
    }
  }

  private final Detector.Context ctx;
  private final String endpoint;
  private final int maxAttempts;
  private final Duration maxBackoff;
  private String token;
  private boolean tokenTried;

  Imds(Detector.Context ctx, int maxAttempts, Duration maxBackoff) {
    this.ctx = ctx;
    String e = ctx.getenv(ENDPOINT_ENV).trim();
    if (e.isEmpty()) {
      e = DEFAULT_ENDPOINT;
    }
    this.endpoint = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    this.maxAttempts = Math.max(1, maxAttempts);
    this.maxBackoff = maxBackoff;
  }

  boolean disabled() {
    return ctx.getenv(DISABLED_ENV).trim().equalsIgnoreCase("true");
  }

  /** GETs a metadata path such as {@code /latest/meta-data/instance-id}. */
  String get(String path) throws IOException, InterruptedException {
    if (!tokenTried) {
      tokenTried = true;
      token = fetchToken();
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + path)).GET();
    if (token != null) {
      b.header("X-aws-ec2-metadata-token", token);
    }
    return send(b, path);
  }

  private String fetchToken() throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + "/latest/api/token"))
        .header("X-aws-ec2-metadata-token-ttl-seconds", "21600")
        .PUT(HttpRequest.BodyPublishers.noBody());
    try {
      return send(b, "/latest/api/token");
    } catch (StatusException e) {
      if (e.status == 404 || e.status == 405) {
        return null; // IMDSv1 only
      }
      throw e;
    }
  }

  private String send(HttpRequest.Builder b, String path) throws IOException, InterruptedException {
    Duration backoff = Duration.ofMillis(100);
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> resp;
      try {
        resp = ctx.http().send(b.timeout(ctx.requestTimeout(REQUEST_CAP)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new UnreachableException("EC2 metadata endpoint " + endpoint + " unreachable: " + e, e);
      }
      int st = resp.statusCode();
      if (st == 200) {
        return new String(resp.body(), StandardCharsets.UTF_8);
      }
      boolean retryable = st >= 500 || st == 429;
      Duration left = ctx.remaining();
      if (!retryable || attempt >= maxAttempts || left.compareTo(backoff) <= 0) {
        throw new StatusException(path, st);
      }
      Thread.sleep(backoff.toMillis());
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(maxBackoff) > 0) {
        backoff = maxBackoff;
      }
    }
  }
}
