package dev.otelcoljava.runtime.api;

import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The TLS context for JDK HTTP clients that only ever send plain {@code http://} requests.
 *
 * <p>A JDK {@link java.net.http.HttpClient} built without a context takes {@link
 * SSLContext#getDefault()}, which reads and parses the JDK's whole CA bundle (about 150
 * certificates) even if the client never opens a TLS connection: about 100 ms of CPU at start-up
 * (0.8 s of wall time under the ECS sidecar's 0.125 vCPU) and half a MiB of heap kept for good.
 * This context holds no key and trusts no certificate, so a TLS connection made with it by
 * mistake fails its handshake instead of going unverified.
 */
public final class PlainHttp {
  private PlainHttp() {}

  private static final class Holder {
    static final SSLContext CONTEXT = create();

    private static SSLContext create() {
      try {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[0], new TrustManager[0], null);
        return ctx;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK has no TLS implementation: " + e, e);
      }
    }
  }

  /** The shared context (created on first use). */
  public static SSLContext sslContext() {
    return Holder.CONTEXT;
  }
}
