package dev.otelcoljava.receiver.awscontainerinsight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** GETs of small JSON or text documents with a timeout and upstream's 5 MiB response cap. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_RESPONSE = 5 * 1024 * 1024;

  private Http() {}

  static byte[] send(HttpClient client, HttpRequest request, Duration timeout)
      throws FetchException, InterruptedException {
    String url = request.uri().toString();
    HttpResponse<InputStream> resp;
    try {
      resp = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new FetchException("timeout", "request to " + url + " timed out after " + timeout, e);
    } catch (IOException | IllegalArgumentException e) {
      throw new FetchException("connection", "request to " + url + " failed: " + e, e);
    }
    try (InputStream in = resp.body()) {
      byte[] body = in.readNBytes(MAX_RESPONSE + 1);
      if (resp.statusCode() != 200) {
        throw new FetchException("http_status", resp.statusCode(),
            "request to " + url + " answered HTTP " + resp.statusCode(), null);
      }
      if (body.length > MAX_RESPONSE) {
        throw new FetchException("parse", "response of " + url + " exceeds " + MAX_RESPONSE + " bytes", null);
      }
      return body;
    } catch (FetchException e) {
      throw e;
    } catch (IOException e) {
      throw new FetchException("connection", "reading the response of " + url + " failed: " + e, e);
    }
  }

  static JsonNode getJson(HttpClient client, String url, Duration timeout, String header, String value)
      throws FetchException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
    if (header != null && value != null) {
      b.header(header, value);
    }
    byte[] body = send(client, b.build(), timeout);
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (IOException e) {
      throw new FetchException("parse", "response of " + url + " is not valid JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new FetchException("parse", "response of " + url + " is not a JSON object", null);
    }
    return n;
  }
}
