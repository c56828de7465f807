package dev.otelcoljava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds free TCP ports on 127.0.0.1 for servers that tests start. */
public final class FreePorts {
  private FreePorts() {}

  /** Ports handed out in this JVM: the kernel may offer a just-closed port again at once. */
  private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A port that was free a moment ago and that this JVM has not handed out before (two calls in a
   * row could otherwise return the same port, and the second server would fail to bind).
   */
  public static int find() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        int port = s.getLocalPort();
        if (GIVEN.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port that was not handed out already in 100 attempts");
  }
}
