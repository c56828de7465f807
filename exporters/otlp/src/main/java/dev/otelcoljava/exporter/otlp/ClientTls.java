package dev.otelcoljava.exporter.otlp;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds client TLS from {@link CommonConfig.Tls} for grpc-java and for the JDK HTTP client. */
final class ClientTls {
  private ClientTls() {}

  /** Trusts every server certificate and skips host name checks ({@code insecure_skip_verify}). */
  static final X509ExtendedTrustManager TRUST_ALL = new X509ExtendedTrustManager() {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  };

  static ChannelCredentials grpcCredentials(CommonConfig.Tls t, boolean plaintext) throws Exception {
    if (plaintext) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
    if (t.insecureSkipVerify()) {
      b.trustManager(TRUST_ALL);
    } else if (!t.caFile().isEmpty()) {
      b.trustManager(new File(t.caFile()));
    }
    if (!t.certFile().isEmpty()) {
      b.keyManager(new File(t.certFile()), new File(t.keyFile()));
    }
    return b.build();
  }

  /** An SSLContext for https URLs; null means the JDK default. */
  static SSLContext sslContext(CommonConfig.Tls t) throws Exception {
    if (!t.insecureSkipVerify() && t.caFile().isEmpty() && t.certFile().isEmpty()) {
      return null;
    }
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
    if (t.insecureSkipVerify()) {
      b.trustManager(TRUST_ALL);
    } else if (!t.caFile().isEmpty()) {
      b.trustManager(new File(t.caFile()));
    }
    if (!t.certFile().isEmpty()) {
      b.keyManager(new File(t.certFile()), new File(t.keyFile()));
    }
    return ((JdkSslContext) b.build()).context();
  }
}
