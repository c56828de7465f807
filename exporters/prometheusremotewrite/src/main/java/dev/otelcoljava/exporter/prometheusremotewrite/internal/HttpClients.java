package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import dev.otelcoljava.exporter.prometheusremotewrite.PrometheusRemoteWriteConfig;
import dev.otelcoljava.runtime.api.PlainHttp;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Builds the JDK HTTP client from the {@code tls} and {@code timeout} settings. */
final class HttpClients {
  private HttpClients() {}

  static HttpClient create(PrometheusRemoteWriteConfig config) throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.timeout().isZero() ? Duration.ofSeconds(30) : config.timeout());
    PrometheusRemoteWriteConfig.Tls tls = config.tls();
    if (config.endpoint().startsWith("https")) {
      TrustManager[] tms = null;
      if (tls.insecureSkipVerify()) {
        tms = new TrustManager[] {new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        }};
      } else if (!tls.caFile().isEmpty()) {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : readCerts(tls.caFile())) {
          ks.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        tms = tmf.getTrustManagers();
      }
      javax.net.ssl.KeyManager[] kms = null;
      if (!tls.certFile().isEmpty()) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        Collection<? extends Certificate> chain = readCerts(tls.certFile());
        ks.setKeyEntry("client", readKey(tls.keyFile()), new char[0], chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        kms = kmf.getKeyManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kms, tms, new SecureRandom());
      b.sslContext(ctx);
      SSLParameters params = new SSLParameters();
      params.setProtocols(switch (tls.minVersion()) {
        case "1.3" -> new String[] {"TLSv1.3"};
        case "1.2" -> new String[] {"TLSv1.3", "TLSv1.2"};
        case "1.1" -> new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1"};
        default -> new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"};
      });
      b.sslParameters(params);
    } else {
      // Plain http (the JDK client follows no redirect here): no TLS set-up at start-up.
      PlainHttp.configure(b);
    }
    return b.build();
  }

  private static Collection<? extends Certificate> readCerts(String file) throws Exception {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
  }

  private static PrivateKey readKey(String file) throws Exception {
    String pem = Files.readString(Path.of(file));
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(b64);
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (Exception ignored) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("tls::key_file: " + file + " is not a PKCS#8 PEM private key (RSA, EC or Ed25519)");
  }
}
