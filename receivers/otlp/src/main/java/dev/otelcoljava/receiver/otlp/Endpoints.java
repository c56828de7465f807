package dev.otelcoljava.receiver.otlp;

import java.net.InetSocketAddress;

/** Parses otelcol {@code host:port} endpoints ({@code :4317}, {@code [::1]:4317}) into socket addresses. */
final class Endpoints {
  private Endpoints() {}

  static InetSocketAddress parse(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon);
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
