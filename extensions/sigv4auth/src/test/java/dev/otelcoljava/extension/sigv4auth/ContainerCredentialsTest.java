package dev.otelcoljava.extension.sigv4auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * ECS task-role and EKS Pod Identity container credentials through the SDK default chain, served by
 * a loopback endpoint whose credentials expire in 2 minutes (RELIABILITY cases 19 and 20).
 */
class ContainerCredentialsTest {
  private static final List<String> PROPS = List.of("aws.containerCredentialsFullUri", "aws.containerAuthorizationTokenFile",
      "aws.containerCredentialsPath", "aws.containerServiceEndpoint", "aws.disableEc2Metadata");

  @TempDir Path dir;
  HttpServer server;
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final AtomicInteger served = new AtomicInteger();
  /** How long the credentials served from now on are valid. */
  volatile Duration lifetime = Duration.ofMinutes(2);

  @BeforeEach
  void startEndpoint() throws Exception {
    server = listen(0);
    System.setProperty("aws.disableEc2Metadata", "true");
  }

  private HttpServer listen(int port) throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
    server.createContext("/", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      int n = served.incrementAndGet();
      String body = "{\"AccessKeyId\":\"ASIACONTAINER" + n + "\",\"SecretAccessKey\":\"container-secret-" + n
          + "\",\"Token\":\"container-token-" + n + "\",\"Expiration\":\""
          + Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS) + "\"}";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.start();
    return server;
  }

  @AfterEach
  void stop() {
    server.stop(0);
    PROPS.forEach(System::clearProperty);
  }

  @Test
  void podIdentity_fullUriWithTokenFile_refreshesBeforeExpiryAndPicksUpRotatedToken() throws Exception {
    Path token = dir.resolve("eks-pod-identity-token");
    Files.writeString(token, "token-a");
    System.setProperty("aws.containerCredentialsFullUri", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/credentials");
    System.setProperty("aws.containerAuthorizationTokenFile", token.toString());
    TestSupport.CapturingLogger log = new TestSupport.CapturingLogger();
    SigV4AuthExtension ext = new SigV4AuthExtension(SigV4AuthConfig.defaults(), log, n -> null);
    try {
      AwsCredentialsIdentity first = ext.credentials("us-east-1");
      assertThat(first.accessKeyId()).isEqualTo("ASIACONTAINER1");
      assertThat(((AwsSessionCredentialsIdentity) first).sessionToken()).isEqualTo("container-token-1");
      assertThat(authorizations).containsExactly("token-a");

      Files.writeString(token, "token-b");
      // credentials that expire within the SDK's refresh window are fetched again before expiry
      AwsCredentialsIdentity second = ext.credentials("us-east-1");
      assertThat(second.accessKeyId()).isEqualTo("ASIACONTAINER2");
      assertThat(authorizations).containsExactly("token-a", "token-b");

      var headers = ext.sign("POST", java.net.URI.create("https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write"),
          java.util.Map.of("Content-Type", "application/x-protobuf"), new byte[] {1});
      assertThat(headers.get("X-Amz-Security-Token")).startsWith("container-token-");
      for (String line : log.lines) {
        assertThat(line).doesNotContain("container-secret-").doesNotContain("container-token-").doesNotContain("token-b");
      }
    } finally {
      ext.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void ecsTaskRole_relativeUri_credentialsServed() throws Exception {
    System.setProperty("aws.containerServiceEndpoint", "http://127.0.0.1:" + server.getAddress().getPort());
    System.setProperty("aws.containerCredentialsPath", "/v2/credentials/task-role-uuid");
    SigV4AuthExtension ext = new SigV4AuthExtension(SigV4AuthConfig.defaults(), new TestSupport.CapturingLogger(), n -> null);
    try {
      assertThat(ext.credentials("us-east-1").accessKeyId()).isEqualTo("ASIACONTAINER1");
    } finally {
      ext.shutdown(Duration.ofSeconds(1));
    }
  }

  /**
   * RELIABILITY case 19, the endpoint goes away (connections refused): the cached credentials keep
   * signing while they are valid; once they are about to expire (the SDK's stale time, 1 minute
   * before Expiration) with the endpoint still down, each signing attempt fails with an error that
   * carries no secret, and fetches again at once when the endpoint is back. Credentials here are
   * valid for 65 s, so they turn stale about 5 s after they were served.
   */
  @Test
  void ecsTaskRole_endpointOutage_cachedCredentialsSignUntilStale_thenFailWithoutSecrets_thenRecover() throws Exception {
    lifetime = Duration.ofSeconds(65);
    int port = server.getAddress().getPort();
    System.setProperty("aws.containerServiceEndpoint", "http://127.0.0.1:" + port);
    System.setProperty("aws.containerCredentialsPath", "/v2/credentials/task-role-uuid");
    TestSupport.CapturingLogger log = new TestSupport.CapturingLogger();
    SigV4AuthExtension ext = new SigV4AuthExtension(SigV4AuthConfig.defaults(), log, n -> null);
    java.net.URI amp = java.net.URI.create("https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write");
    java.util.Map<String, String> headers = java.util.Map.of("Content-Type", "application/x-protobuf");
    try {
      Instant servedAt = Instant.now();
      assertThat(ext.sign("POST", amp, headers, new byte[] {1}).get("X-Amz-Security-Token")).isEqualTo("container-token-1");
      server.stop(0); // the endpoint goes away

      // Valid and not yet stale: signing goes on with the cached credentials.
      Instant staleAt = servedAt.plusSeconds(65 - 60);
      int signedWhileDown = 0;
      while (Instant.now().isBefore(staleAt.minusMillis(1500))) {
        assertThat(ext.sign("POST", amp, headers, new byte[] {1}).get("X-Amz-Security-Token")).isEqualTo("container-token-1");
        signedWhileDown++;
        Thread.sleep(200);
      }
      assertThat(signedWhileDown).isPositive();

      // Stale with the endpoint still down: every attempt fails, retryably (an exception the exporter
      // counts and retries with backoff), naming the problem but no secret.
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), staleAt).toMillis()) + 1500);
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> ext.sign("POST", amp, headers, new byte[] {1}))
            .hasMessageStartingWith("could not retrieve credential provider: ")
            .satisfies(e -> assertThat(String.valueOf(e.getMessage()) + e.getCause())
                .doesNotContain("container-secret-").doesNotContain("container-token-").doesNotContain("ASIACONTAINER"));
      }
      assertThat(served.get()).isEqualTo(1);

      server = listen(port); // back
      var signed = ext.sign("POST", amp, headers, new byte[] {1});
      assertThat(signed.get("X-Amz-Security-Token")).isEqualTo("container-token-2");
      assertThat(signed.get("Authorization")).contains("Credential=ASIACONTAINER2/");
      assertThat(served.get()).isEqualTo(2);
      for (String line : log.lines) {
        assertThat(line).doesNotContain("container-secret-").doesNotContain("container-token-");
      }
    } finally {
      ext.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void fullUri_notAllowedHost_refusedWithoutSecrets() {
    System.setProperty("aws.containerCredentialsFullUri", "http://10.1.2.3/v1/credentials");
    SigV4AuthExtension ext = new SigV4AuthExtension(SigV4AuthConfig.defaults(), new TestSupport.CapturingLogger(), n -> null);
    assertThatThrownBy(() -> ext.credentials("us-east-1"))
        .hasMessageStartingWith("could not retrieve credential provider: ")
        .hasMessageContaining("10.1.2.3");
    assertThat(served.get()).isZero();
  }
}
