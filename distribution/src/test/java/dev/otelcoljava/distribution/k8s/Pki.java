package dev.otelcoljava.distribution.k8s;

import dev.otelcoljava.testing.ExternalProcess;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away cluster CA and an API server certificate made with {@code openssl}: the server
 * certificate names {@code kubernetes}, {@code kubernetes.default.svc},
 * {@code kubernetes.default.svc.cluster.local} and 127.0.0.1, as an EKS API server's does. The CA
 * goes into the pods' {@code ca.crt} and into a PKCS#12 trust store that stands for the system
 * roots of the collector's JVM ({@code javax.net.ssl.trustStore}).
 */
public final class Pki {
  public static final String TRUST_STORE_PASSWORD = "changeit";

  private final Path caCert;
  private final Path serverCert;
  private final Path serverKey;
  private final Path trustStore;

  private Pki(Path dir) {
    this.caCert = dir.resolve("ca.crt");
    this.serverCert = dir.resolve("apiserver.crt");
    this.serverKey = dir.resolve("apiserver.key");
    this.trustStore = dir.resolve("truststore.p12");
  }

  public static Pki create(Path dir) throws Exception {
    Files.createDirectories(dir);
    String openssl = ExternalProcess.requireBinary("openssl", "apt-get install -y openssl");
    Pki p = new Pki(dir);
    Path caKey = dir.resolve("ca.key");
    Path csr = dir.resolve("apiserver.csr");
    Path ext = dir.resolve("san.ext");
    Files.writeString(ext, "subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,"
        + "DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1\n");
    run(dir, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
        p.caCert.toString(), "-days", "2", "-subj", "/CN=kubernetes-test-ca");
    run(dir, openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", p.serverKey.toString(), "-out",
        csr.toString(), "-subj", "/CN=kube-apiserver");
    run(dir, openssl, "x509", "-req", "-in", csr.toString(), "-CA", p.caCert.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", p.serverCert.toString(), "-days", "2", "-extfile", ext.toString());
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("cluster-ca", p.ca());
    try (OutputStream out = Files.newOutputStream(p.trustStore)) {
      ts.store(out, TRUST_STORE_PASSWORD.toCharArray());
    }
    return p;
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process pr = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(pr.getInputStream().readAllBytes());
    if (!pr.waitFor(30, TimeUnit.SECONDS) || pr.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
  }

  public Path caCert() {
    return caCert;
  }

  public Path trustStore() {
    return trustStore;
  }

  /** JVM flags that make the cluster CA the JVM's default trust (the "system roots"). */
  public String jvmTrustFlags() {
    return "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStoreType=PKCS12"
        + " -Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD;
  }

  X509Certificate ca() throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caCert)));
  }

  /** The server side TLS context of the API server. */
  SSLContext serverContext() throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate leaf = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(serverCert)));
    String pem = Files.readString(serverKey);
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("apiserver", key, new char[0], List.of(leaf, ca()).toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
