package dev.otelcoljava.receiver.awsecscontainermetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads {@code <endpoint>/task} and {@code <endpoint>/task/stats} as JSON trees. Thread-safe. */
final class TaskMetadataClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A failed read, with a short reason for the self-metric. */
  static final class FetchException extends IOException {
    private static final long serialVersionUID = 1L;
    final String reason;

    FetchException(String reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }
  }

  private final HttpClient client;
  private final String endpoint;
  private final Duration timeout;

  TaskMetadataClient(HttpClient client, String endpoint, Duration timeout) {
    this.client = client;
    this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    this.timeout = timeout;
  }

  String endpoint() {
    return endpoint;
  }

  JsonNode task() throws FetchException, InterruptedException {
    return get(endpoint + "/task");
  }

  JsonNode stats() throws FetchException, InterruptedException {
    return get(endpoint + "/task/stats");
  }

  private JsonNode get(String url) throws FetchException, InterruptedException {
    HttpResponse<byte[]> resp;
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
      resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.http.HttpTimeoutException e) {
      throw new FetchException("timeout", "request to " + url + " timed out after " + timeout, e);
    } catch (IOException | IllegalArgumentException e) {
      throw new FetchException("connection", "request to " + url + " failed: " + e, e);
    }
    if (resp.statusCode() != 200) {
      throw new FetchException("http_status",
          "request to " + url + " failed with status " + resp.statusCode(), null);
    }
    JsonNode n;
    try {
      n = JSON.readTree(resp.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new FetchException("parse", "response of " + url + " is not valid JSON: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new FetchException("parse", "response of " + url + " could not be read: " + e, e);
    }
    if (n == null || !n.isObject()) {
      throw new FetchException("parse", "response of " + url + " is not a JSON object", null);
    }
    return n;
  }
}
