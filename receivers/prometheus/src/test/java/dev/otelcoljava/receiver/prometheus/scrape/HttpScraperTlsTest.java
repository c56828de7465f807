package dev.otelcoljava.receiver.prometheus.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.otelcoljava.receiver.prometheus.otlp.ScrapeException;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain-http job's client carries no CA bundle (see PlainHttp); a redirect to https still gets a
 * verifying TLS client, which trusts what the JDK's default trust store trusts.
 */
class HttpScraperTlsTest {
  private static final String BODY = "# TYPE up_ish gauge\nup_ish 1\n";
  @TempDir Path dir;
  private HttpsServer https;
  private HttpServer http;
  private String savedTrustStore;
  private String savedTrustStorePassword;

  @BeforeEach
  void start() throws Exception {
    // A self-signed certificate for 127.0.0.1, made with the JDK's keytool.
    Path ks = dir.resolve("server.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-keystore", ks.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(server));
    https.createContext("/metrics", ex -> {
      byte[] b = BODY.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    https.start();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/metrics", ex -> {
      ex.getResponseHeaders().set("Location", "https://127.0.0.1:" + https.getAddress().getPort() + "/metrics");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    http.start();
    // The default trust store (what a job without tls settings verifies against) trusts it.
    savedTrustStore = System.getProperty("javax.net.ssl.trustStore");
    savedTrustStorePassword = System.getProperty("javax.net.ssl.trustStorePassword");
    System.setProperty("javax.net.ssl.trustStore", ks.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
  }

  @AfterEach
  void stop() {
    restore("javax.net.ssl.trustStore", savedTrustStore);
    restore("javax.net.ssl.trustStorePassword", savedTrustStorePassword);
    http.stop(0);
    https.stop(0);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void plainHttpJob_redirectToHttps_scrapedOverVerifiedTls() throws Exception {
    HttpScraper scraper = new HttpScraper(TargetBuilderTest.job("- job_name: j\n"), "test",
        Executors.newVirtualThreadPerTaskExecutor());
    HttpScraper.Body body = new HttpScraper.Body();
    try {
      scraper.scrape(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/metrics"),
          Duration.ofSeconds(10), body);
      assertThat(new String(body.buf, 0, body.len, StandardCharsets.UTF_8)).isEqualTo(BODY);
    } finally {
      body.release();
      scraper.close();
    }
  }

  @Test
  void plainHttpJob_redirectToHttpsWithAnUntrustedCertificate_failsVerification() throws Exception {
    restore("javax.net.ssl.trustStore", savedTrustStore);
    restore("javax.net.ssl.trustStorePassword", savedTrustStorePassword);
    HttpScraper scraper = new HttpScraper(TargetBuilderTest.job("- job_name: j\n"), "test",
        Executors.newVirtualThreadPerTaskExecutor());
    HttpScraper.Body body = new HttpScraper.Body();
    try {
      assertThatThrownBy(() -> scraper.scrape(
          URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/metrics"), Duration.ofSeconds(10), body))
          .isInstanceOf(ScrapeException.class).hasMessageContaining("https://127.0.0.1:");
    } finally {
      body.release();
      scraper.close();
    }
  }
}
