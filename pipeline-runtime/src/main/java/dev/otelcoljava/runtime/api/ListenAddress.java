package dev.otelcoljava.runtime.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Turns the host of a server endpoint ({@code host:port} in a config) into the socket address to
 * bind, with otelcol's meaning:
 *
 * <ul>
 *   <li>{@code localhost} (the default host of the collector's admin listeners: {@code
 *       health_check} and the self-metrics endpoint, as in otelcol-contrib since the {@code
 *       component.UseLocalHostAsDefaultHost} and {@code telemetry.UseLocalHostAsDefaultMetricsAddress}
 *       gates) binds the IPv4 loopback {@code 127.0.0.1}, without a name lookup. Go's {@code
 *       net.Listen} binds the first IPv4 address of {@code localhost} when it has one, which is
 *       127.0.0.1 on every normal host; naming it directly also works where {@code /etc/hosts}
 *       lists {@code localhost} only as {@code ::1} or not at all (minimal images), and matches
 *       what in-container probes ask ({@code bin/healthcheck} and ADOT's {@code /healthcheck} go to
 *       127.0.0.1). Write {@code [::1]:port} to bind the IPv6 loopback.
 *   <li>An empty host ({@code :13133}), {@code 0.0.0.0} or {@code ::} binds every interface.
 *   <li>Any other name or literal is resolved and bound as given.
 * </ul>
 *
 * Stateless.
 */
public final class ListenAddress {
  /** The default host of admin listeners (otelcol's). */
  public static final String LOCALHOST = "localhost";

  private ListenAddress() {}

  /**
   * The address to bind for {@code host} and {@code port}.
   *
   * @throws UnknownHostException when {@code host} is a name that does not resolve
   */
  public static InetSocketAddress of(String host, int port) throws UnknownHostException {
    String h = host == null ? "" : host.trim();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty()) {
      return new InetSocketAddress(port); // the wildcard address
    }
    if (h.toLowerCase(Locale.ROOT).equals(LOCALHOST)) {
      return new InetSocketAddress(InetAddress.getByAddress(LOCALHOST, new byte[] {127, 0, 0, 1}), port);
    }
    return new InetSocketAddress(InetAddress.getByName(h), port);
  }

  /**
   * {@code host:port} of a bound address as a probe would reach it: {@code 0.0.0.0:p} for the
   * wildcard (the JDK reports it as {@code ::} on a dual-stack socket), {@code [v6]:p} for IPv6.
   */
  public static String describe(InetSocketAddress bound) {
    InetAddress a = bound.getAddress();
    String host;
    if (a == null) {
      host = bound.getHostString();
    } else if (a.isAnyLocalAddress()) {
      host = "0.0.0.0";
    } else if (a instanceof Inet4Address) {
      host = a.getHostAddress();
    } else {
      host = "[" + a.getHostAddress() + "]";
    }
    return host + ":" + bound.getPort();
  }
}
