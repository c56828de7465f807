package dev.otelcoljava.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyManagementException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;

class PlainHttpTest {
  @Test
  void plainHttpClients_sendRequests_withoutMakingTls_untilTlsIsAskedFor() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", x -> {
      byte[] b = "plain".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, b.length);
      x.getResponseBody().write(b);
      x.close();
    });
    server.start();
    try (HttpClient a = PlainHttp.configure(HttpClient.newBuilder()).build();
        HttpClient b = PlainHttp.configure(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)).build()) {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      for (HttpClient c : new HttpClient[] {a, b}) {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("plain");
        assertThat(c.sslContext()).isSameAs(PlainHttp.sslContext());
      }
      assertThat(PlainHttp.tlsMade()).as("two clients built and used for plain http made no TLS").isFalse();
    } finally {
      server.stop(0);
    }

    // Asked for TLS, the context makes it then: one that holds no key and cannot be given any.
    SSLEngine e = PlainHttp.sslContext().createSSLEngine("127.0.0.1", 443);
    assertThat(e.getUseClientMode()).isFalse();
    assertThat(PlainHttp.tlsMade()).isTrue();
    assertThatThrownBy(() -> PlainHttp.sslContext().init(new KeyManager[0], new TrustManager[0], null))
        .isInstanceOf(KeyManagementException.class);
  }
}
