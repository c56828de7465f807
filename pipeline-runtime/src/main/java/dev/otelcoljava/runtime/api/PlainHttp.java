package dev.otelcoljava.runtime.api;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * TLS set-up for JDK HTTP clients that only ever send plain {@code http://} requests: none at all
 * until a TLS connection is really made.
 *
 * <p>A JDK {@link java.net.http.HttpClient} built without a context takes {@link
 * SSLContext#getDefault()}, which reads and parses the JDK's whole CA bundle (about 150
 * certificates) even if the client never opens a TLS connection: about 100 ms of CPU at start-up
 * (0.8 s of wall time under the ECS sidecar's 0.125 vCPU) and half a MiB of heap kept for good. Given
 * a context but no parameters, it asks the context for its default parameters, which initialises
 * the JDK's TLS implementation (its protocols, cipher suites and algorithm constraints: another
 * ~140 ms of CPU on a cold JVM, and ~350 classes). {@link #configure} gives the client both: a
 * context whose TLS implementation is made on first use, and plain parameters. If a TLS connection
 * is made with it by mistake, the context it makes then holds no key and trusts no certificate, so
 * the handshake fails instead of going unverified.
 */
public final class PlainHttp {
  private PlainHttp() {}

  private static final class Holder {
    static final SSLContext CONTEXT = new LazyContext();
  }

  /** Sets {@code b}'s TLS context and parameters to the plain-http ones; returns {@code b}. */
  public static HttpClient.Builder configure(HttpClient.Builder b) {
    return b.sslContext(sslContext()).sslParameters(new SSLParameters());
  }

  /** The shared context (its TLS implementation is made on first use). */
  public static SSLContext sslContext() {
    return Holder.CONTEXT;
  }

  /** Whether the shared context has made its TLS implementation (for tests). */
  static boolean tlsMade() {
    return ((LazyContext) Holder.CONTEXT).spi.real != null;
  }

  private static final class LazyContext extends SSLContext {
    final LazySpi spi;

    LazyContext() {
      this(new LazySpi());
    }

    private LazyContext(LazySpi spi) {
      super(spi, new Provider("otelcol-java-plain-http", "1.0", "TLS made on first use, trusting nothing") {
        private static final long serialVersionUID = 1L;
      }, "TLS");
      this.spi = spi;
    }
  }

  private static final class LazySpi extends SSLContextSpi {
    private volatile SSLContext real;

    private SSLContext real() {
      SSLContext r = real;
      if (r == null) {
        synchronized (this) {
          r = real;
          if (r == null) {
            try {
              r = SSLContext.getInstance("TLS");
              r.init(new KeyManager[0], new TrustManager[0], null);
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("the JDK has no TLS implementation: " + e, e);
            }
            real = r;
          }
        }
      }
      return r;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      throw new KeyManagementException("the plain-http TLS context cannot be initialised with keys or trust");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return real().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return real().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return real().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return real().getSupportedSSLParameters();
    }
  }
}
