package dev.otelcoljava.extension.sigv4auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.testing.aws.SigV4VerifyingProxy;
import dev.otelcoljava.testing.peers.MotoServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Real signed requests through the SigV4-verifying proxy to a loopback backend, and credentials
 * from moto's STS (AssumeRole, AssumeRoleWithWebIdentity explicitly and through the default chain).
 */
class SigV4AuthIntegrationTest {
  private static final String ACCESS = "AKIDINTEGRATIONTEST";
  private static final String SECRET = "integration/secret+KEY0123456789abcdefghij";
  private static final String PATH = "/workspaces/ws-1/api/v1/remote_write";
  private static final List<String> PROPS = List.of("aws.endpointUrlSts", "aws.accessKeyId", "aws.secretAccessKey",
      "aws.region", "aws.webIdentityTokenFile", "aws.roleArn", "aws.roleSessionName", "aws.disableEc2Metadata",
      "aws.sessionToken");

  @TempDir static Path work;
  static MotoServer moto;
  static HttpServer backend;
  static final List<byte[]> received = new CopyOnWriteArrayList<>();
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startPeers() throws Exception {
    moto = MotoServer.start(work);
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    backend.createContext("/", ex -> {
      received.add(ex.getRequestBody().readAllBytes());
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    backend.start();
  }

  @AfterAll
  static void stopPeers() {
    if (backend != null) {
      backend.stop(0);
    }
    if (moto != null) {
      moto.close();
    }
  }

  @AfterEach
  void clearProperties() {
    PROPS.forEach(System::clearProperty);
  }

  /** A clock that moves one second forward on every read, as consecutive retries would. */
  static Clock tickingClock() {
    AtomicLong seconds = new AtomicLong(Instant.now().getEpochSecond());
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochSecond(seconds.getAndIncrement());
      }
    };
  }

  static String backendUrl() {
    return "http://127.0.0.1:" + backend.getAddress().getPort();
  }

  static HttpResponse<String> send(SigV4AuthExtension ext, String url, byte[] body, byte[] sentBody) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-protobuf");
    headers.put("Content-Encoding", "snappy");
    headers.put("X-Prometheus-Remote-Write-Version", "0.1.0");
    headers.put("User-Agent", "otelcol-java/test");
    Map<String, String> auth = ext.sign("POST", URI.create(url), headers, body);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(sentBody));
    headers.forEach(b::header);
    auth.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sign_everyRetry_acceptedByVerifyingProxyWithFreshDate() throws Exception {
    TestSupport.CapturingLogger log = new TestSupport.CapturingLogger();
    SigV4AuthExtension ext = new SigV4AuthExtension(new SigV4AuthConfig("us-west-2", "aps", SigV4AuthConfig.AssumeRole.NONE),
        log, n -> null, StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)), tickingClock());
    try (SigV4VerifyingProxy proxy = SigV4VerifyingProxy.start(backendUrl(), ACCESS, SECRET).expectScope("aps", "us-west-2")) {
      proxy.failNext(2, 503);
      byte[] body = "snappy-compressed-write-request".getBytes(StandardCharsets.UTF_8);
      int before = received.size();
      List<Integer> statuses = new java.util.ArrayList<>();
      for (int attempt = 0; attempt < 3; attempt++) {
        statuses.add(send(ext, proxy.baseUrl() + PATH, body, body).statusCode());
      }

      assertThat(statuses).containsExactly(503, 503, 204);
      assertThat(proxy.rejections()).isEmpty();
      assertThat(proxy.accepted()).hasSize(3);
      assertThat(proxy.accepted()).extracting(SigV4VerifyingProxy.Accepted::amzDate).doesNotHaveDuplicates();
      assertThat(proxy.accepted()).extracting(SigV4VerifyingProxy.Accepted::signature).doesNotHaveDuplicates();
      assertThat(received.subList(before, received.size())).singleElement().isEqualTo(body);
      assertNoSecretLogged(log, SECRET, proxy);
    }
  }

  @Test
  void sign_bodyChangedOrWrongKey_rejectedByProxy() throws Exception {
    TestSupport.CapturingLogger log = new TestSupport.CapturingLogger();
    SigV4AuthExtension good = new SigV4AuthExtension(new SigV4AuthConfig("us-west-2", "aps", SigV4AuthConfig.AssumeRole.NONE),
        log, n -> null, StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)), Clock.systemUTC());
    SigV4AuthExtension wrongSecret = new SigV4AuthExtension(new SigV4AuthConfig("us-west-2", "aps", SigV4AuthConfig.AssumeRole.NONE),
        log, n -> null, StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, "not-the-secret")), Clock.systemUTC());
    try (SigV4VerifyingProxy proxy = SigV4VerifyingProxy.start(backendUrl(), ACCESS, SECRET)) {
      byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
      assertThat(send(good, proxy.baseUrl() + PATH, body, "payloaX".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);
      assertThat(send(wrongSecret, proxy.baseUrl() + PATH, body, body).statusCode()).isEqualTo(403);
      assertThat(proxy.rejections()).containsExactly("x-amz-content-sha256 does not match the body", "signature mismatch");
    }
  }

  @Test
  void assumeRole_viaMotoSts_signsWithAssumedRoleKey() throws Exception {
    System.setProperty("aws.endpointUrlSts", moto.endpoint());
    System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
    TestSupport.CapturingLogger log = new TestSupport.CapturingLogger();
    SigV4AuthExtension ext = new SigV4AuthExtension(new SigV4AuthConfig("us-west-2", "aps",
        new SigV4AuthConfig.AssumeRole("arn:aws:iam::123456789012:role/amp-writer", "otel-test", "us-east-1", "", "ext-id")),
        log, n -> null);
    try (SigV4VerifyingProxy proxy = SigV4VerifyingProxy.start(backendUrl(), null, null)) {
      AwsCredentialsIdentity assumed = ext.credentials("us-west-2");
      assertThat(assumed.accessKeyId()).isNotEqualTo(MotoServer.ACCESS_KEY).startsWith("ASIA");
      assertThat(assumed).isInstanceOf(AwsSessionCredentialsIdentity.class);
      proxy.allow(assumed.accessKeyId(), assumed.secretAccessKey());

      assertThat(send(ext, proxy.baseUrl() + PATH, new byte[] {1, 2, 3}, new byte[] {1, 2, 3}).statusCode()).isEqualTo(204);

      assertThat(proxy.accepted()).singleElement().satisfies(a -> {
        assertThat(a.accessKey()).isEqualTo(assumed.accessKeyId());
        assertThat(a.securityToken()).isEqualTo(((AwsSessionCredentialsIdentity) assumed).sessionToken());
      });
      assertNoSecretLogged(log, assumed.secretAccessKey(), proxy);
      assertNoSecretLogged(log, ((AwsSessionCredentialsIdentity) assumed).sessionToken(), proxy);
    } finally {
      ext.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void webIdentityTokenFile_viaMotoSts_signsWithIssuedKey() throws Exception {
    System.setProperty("aws.endpointUrlSts", moto.endpoint());
    Path token = work.resolve("web-identity-token");
    Files.writeString(token, "eyJhbGciOiJSUzI1NiJ9.test-token.sig\n");
    TestSupport.CapturingLogger log = new TestSupport.CapturingLogger();
    SigV4AuthExtension ext = new SigV4AuthExtension(new SigV4AuthConfig("us-west-2", "aps",
        new SigV4AuthConfig.AssumeRole("arn:aws:iam::123456789012:role/irsa", "", "us-west-2", token.toString(), "")),
        log, n -> null);
    try (SigV4VerifyingProxy proxy = SigV4VerifyingProxy.start(backendUrl(), null, null)) {
      AwsCredentialsIdentity issued = ext.credentials("us-west-2");
      assertThat(issued.accessKeyId()).startsWith("ASIA");
      proxy.allow(issued.accessKeyId(), issued.secretAccessKey());
      assertThat(send(ext, proxy.baseUrl() + PATH, new byte[] {9}, new byte[] {9}).statusCode()).isEqualTo(204);
      assertThat(proxy.accepted()).singleElement().extracting(SigV4VerifyingProxy.Accepted::accessKey)
          .isEqualTo(issued.accessKeyId());
      assertNoSecretLogged(log, issued.secretAccessKey(), proxy);
    } finally {
      ext.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void defaultChain_irsaSettings_useMotoStsWebIdentity() throws Exception {
    Path token = work.resolve("irsa-token");
    Files.writeString(token, "irsa-token-value");
    System.setProperty("aws.endpointUrlSts", moto.endpoint());
    System.setProperty("aws.region", "us-west-2");
    System.setProperty("aws.webIdentityTokenFile", token.toString());
    System.setProperty("aws.roleArn", "arn:aws:iam::123456789012:role/irsa-default");
    System.setProperty("aws.roleSessionName", "irsa-session");
    System.setProperty("aws.disableEc2Metadata", "true");
    SigV4AuthExtension ext = new SigV4AuthExtension(SigV4AuthConfig.defaults(), new TestSupport.CapturingLogger(), n -> null);
    try {
      AwsCredentialsIdentity c = ext.credentials("us-west-2");
      assertThat(c.accessKeyId()).startsWith("ASIA");
      assertThat(c).isInstanceOf(AwsSessionCredentialsIdentity.class);
    } finally {
      ext.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void credentials_stsUnreachable_failsWithoutSecrets() {
    System.setProperty("aws.endpointUrlSts", "http://127.0.0.1:" + dev.otelcoljava.testing.FreePorts.find());
    System.setProperty("aws.accessKeyId", ACCESS);
    System.setProperty("aws.secretAccessKey", SECRET);
    SigV4AuthExtension ext = new SigV4AuthExtension(new SigV4AuthConfig("us-east-1", "aps",
        new SigV4AuthConfig.AssumeRole("arn:aws:iam::123456789012:role/r", "s", "us-east-1", "", "")),
        new TestSupport.CapturingLogger(), n -> null);
    try {
      assertThatThrownBy(() -> ext.sign("POST", URI.create("https://aps-workspaces.us-east-1.amazonaws.com" + PATH),
          Map.of(), new byte[0]))
          .hasMessageStartingWith("could not retrieve credential provider: ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    } finally {
      ext.shutdown(Duration.ofSeconds(1));
    }
  }

  static void assertNoSecretLogged(TestSupport.CapturingLogger log, String secret, SigV4VerifyingProxy proxy) {
    assertThat(log.lines).isNotEmpty();
    for (String line : log.lines) {
      assertThat(line).doesNotContain(secret);
      for (SigV4VerifyingProxy.Accepted a : proxy.accepted()) {
        assertThat(line).doesNotContain(a.signature());
        if (a.securityToken() != null) {
          assertThat(line).doesNotContain(a.securityToken());
        }
      }
    }
  }
}
