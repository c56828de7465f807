package dev.otelcoljava.runtime.internal.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * otelcol's {@code http} and {@code https} config providers: GET the URI, the body is YAML. A
 * non-2xx answer or a network error is a config error naming the URI (without its query, which
 * may carry a token).
 */
final class HttpSource {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private HttpSource() {}

  static String get(String uri) throws ConfigException {
    String shown = redact(uri);
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NORMAL).build();
      HttpResponse<String> r = client.send(
          HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new ConfigException("", shown + ": failed to load the configuration: HTTP status " + r.statusCode());
      }
      return r.body();
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("", shown + ": failed to load the configuration: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("", shown + ": interrupted while loading the configuration");
    }
  }

  private static String redact(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q) + "?<redacted>";
  }
}
