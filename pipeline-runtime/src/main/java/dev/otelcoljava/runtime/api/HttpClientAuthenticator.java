package dev.otelcoljava.runtime.api;

import java.net.URI;
import java.util.Map;

/**
 * An extension that authenticates outgoing HTTP requests (sigv4auth). Exporters find it through
 * {@link Host#extension} by the id named in {@code auth::authenticator}, and call {@link #sign} for
 * every attempt, retries included, so each carries a fresh signature. Thread-safe.
 */
public interface HttpClientAuthenticator {
  /**
   * Returns the headers to add to the request (e.g. {@code Authorization}, {@code X-Amz-Date},
   * {@code X-Amz-Security-Token}, {@code x-amz-content-sha256}).
   *
   * @param method the HTTP method
   * @param uri the full request URI
   * @param headers the headers that will be sent (lower- or mixed-case names)
   * @param body the exact body bytes that will be sent
   * @throws Exception when no credentials can be obtained; the message carries no secret
   */
  Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception;
}
