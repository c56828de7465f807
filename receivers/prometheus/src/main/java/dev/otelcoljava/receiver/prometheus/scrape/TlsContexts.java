package dev.otelcoljava.receiver.prometheus.scrape;

import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the JDK TLS context of a scrape config's {@code tls_config}: PEM CA bundle, PEM client
 * certificate and PKCS#8 key (RSA or EC), {@code server_name} (SNI and the name verified), {@code
 * insecure_skip_verify} and {@code min_version}/{@code max_version}.
 */
final class TlsContexts {
  private TlsContexts() {}

  static SSLContext context(TlsConfig tls) throws IOException, GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    KeyManagerFactory kmf = null;
    if (!tls.certFile().isEmpty()) {
      List<X509Certificate> chain = certificates(Path.of(tls.certFile()));
      PrivateKey key = privateKey(Path.of(tls.keyFile()));
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    X509ExtendedTrustManager tm;
    if (tls.insecureSkipVerify()) {
      tm = new TrustAll();
    } else {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (tls.caFile().isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
        ts.load(null, null);
        int i = 0;
        for (X509Certificate c : certificates(Path.of(tls.caFile()))) {
          ts.setCertificateEntry("ca" + i++, c);
        }
        tmf.init(ts);
      }
      X509ExtendedTrustManager base = null;
      for (TrustManager t : tmf.getTrustManagers()) {
        if (t instanceof X509ExtendedTrustManager x) {
          base = x;
        }
      }
      if (base == null) {
        throw new GeneralSecurityException("no X509 trust manager available");
      }
      tm = tls.serverName().isEmpty() ? base : new ServerNameTrustManager(base, tls.serverName());
    }
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {tm}, null);
    return ctx;
  }

  static SSLParameters parameters(SSLContext ctx, TlsConfig tls) {
    SSLParameters p = ctx.getDefaultSSLParameters();
    if (!tls.serverName().isEmpty()) {
      p.setServerNames(List.of(new SNIHostName(tls.serverName())));
    }
    int min = version(tls.minVersion(), 2);
    int max = version(tls.maxVersion(), 3);
    List<String> protocols = new ArrayList<>();
    for (int v = max; v >= min; v--) {
      protocols.add("TLSv1." + v);
    }
    for (int i = 0; i < protocols.size(); i++) {
      if (protocols.get(i).equals("TLSv1.0")) {
        protocols.set(i, "TLSv1");
      }
    }
    p.setProtocols(protocols.toArray(new String[0]));
    return p;
  }

  private static int version(String v, int def) {
    return switch (v) {
      case "TLS10" -> 0;
      case "TLS11" -> 1;
      case "TLS12" -> 2;
      case "TLS13" -> 3;
      default -> def;
    };
  }

  static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Collection<? extends Certificate> certs = cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c : certs) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new CertificateException("no certificate found in " + file);
    }
    return out;
  }

  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    if (begin < 0) {
      throw new GeneralSecurityException("key_file " + file
          + ": only PKCS#8 PEM keys (BEGIN PRIVATE KEY) are supported; convert with openssl pkcs8 -topk8 -nocrypt");
    }
    int end = pem.indexOf("-----END PRIVATE KEY-----", begin);
    String b64 = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(b64);
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException ignored) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("key_file " + file + ": unsupported key algorithm");
  }

  /** insecure_skip_verify: accepts any server certificate and name, as Go's InsecureSkipVerify. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
  }

  /** server_name: verifies the chain, then the certificate's DNS names against server_name. */
  private static final class ServerNameTrustManager extends X509ExtendedTrustManager {
    private final X509TrustManager base;
    private final String serverName;

    ServerNameTrustManager(X509TrustManager base, String serverName) {
      this.base = base;
      this.serverName = serverName.toLowerCase(Locale.ROOT);
    }

    private void check(X509Certificate[] chain, String authType) throws CertificateException {
      base.checkServerTrusted(chain, authType);
      try {
        Collection<List<?>> sans = chain[0].getSubjectAlternativeNames();
        if (sans != null) {
          for (List<?> san : sans) {
            if (san.size() >= 2 && (Integer) san.get(0) == 2 && matches(String.valueOf(san.get(1)))) {
              return;
            }
            if (san.size() >= 2 && (Integer) san.get(0) == 7 && serverName.equals(String.valueOf(san.get(1)))) {
              return;
            }
          }
        }
      } catch (CertificateException e) {
        throw e;
      }
      throw new CertificateException("x509: certificate is not valid for " + serverName);
    }

    private boolean matches(String pattern) {
      String p = pattern.toLowerCase(Locale.ROOT);
      if (p.startsWith("*.")) {
        int dot = serverName.indexOf('.');
        return dot > 0 && serverName.substring(dot).equals(p.substring(1));
      }
      return p.equals(serverName);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      base.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return base.getAcceptedIssuers();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      base.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      base.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain, authType);
    }
  }
}
