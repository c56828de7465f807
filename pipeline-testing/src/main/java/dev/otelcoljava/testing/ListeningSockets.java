package dev.otelcoljava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the kernel says is listening: the local addresses of the TCP sockets in LISTEN state on a
 * port, read from {@code /proc/net/tcp} and {@code /proc/net/tcp6} of this process' network
 * namespace (which child processes share unless they unshare it). A JVM binds IPv4 addresses on
 * dual-stack IPv6 sockets, so {@code 127.0.0.1} shows up in {@code tcp6} as {@code
 * ::ffff:127.0.0.1}; this class returns it as the IPv4 address, and the wildcard as {@code ::} or
 * {@code 0.0.0.0}. Linux only: elsewhere {@link #on} fails, naming the missing file.
 */
public final class ListeningSockets {
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** The local addresses of the sockets listening on TCP {@code port} (empty if none). */
  public static List<InetAddress> on(int port) {
    List<InetAddress> out = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.isReadable(p)) {
        if (table.endsWith("6")) {
          continue; // IPv6 disabled in the kernel: no tcp6 table
        }
        throw new AssertionError(table + " is not readable: listening sockets can only be inspected on Linux");
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[3].equals(LISTEN)) {
          continue;
        }
        int colon = f[1].indexOf(':');
        if (Integer.parseInt(f[1].substring(colon + 1), 16) != port) {
          continue;
        }
        out.add(address(f[1].substring(0, colon)));
      }
    }
    return out;
  }

  /**
   * The kernel's hex form: the address as 32-bit words, each in the host's (little-endian) byte
   * order.
   */
  static InetAddress address(String hex) {
    byte[] raw = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    byte[] b = new byte[raw.length];
    for (int w = 0; w < raw.length; w += 4) {
      for (int i = 0; i < 4; i++) {
        b[w + i] = raw[w + 3 - i];
      }
    }
    try {
      return InetAddress.getByAddress(b); // ::ffff:a.b.c.d comes back as the Inet4Address a.b.c.d
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + hex, e);
    }
  }

  /**
   * An IPv4 address of one of this machine's own interfaces (up, not loopback), if there is one:
   * connecting to it stays on this host, and reaches only sockets bound to it or to the wildcard.
   */
  public static Optional<InetAddress> ownNonLoopbackIpv4() {
    try {
      Enumeration<NetworkInterface> ifs = NetworkInterface.getNetworkInterfaces();
      while (ifs.hasMoreElements()) {
        NetworkInterface nif = ifs.nextElement();
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        Enumeration<InetAddress> as = nif.getInetAddresses();
        while (as.hasMoreElements()) {
          InetAddress a = as.nextElement();
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return Optional.of(a);
          }
        }
      }
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.empty();
  }
}
