package dev.otelcoljava.extension.sigv4auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.aws.SigV4Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The AWS SigV4 test suite (aws-c-auth header variants; see vectors/README.md): the independent
 * verifier in pipeline-testing reproduces the published canonical request, string to sign and
 * signature byte for byte, and the extension's SDK signer produces the published Authorization.
 */
class SigV4TestVectorsTest {
  private static final String BASE = "/dev/otelcoljava/extension/sigv4auth/vectors/";

  static Stream<String> cases() {
    return Stream.of("get-vanilla", "get-vanilla-empty-query-key", "get-vanilla-query-order-key",
        "get-vanilla-query-order-key-case", "get-vanilla-query-order-value", "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query", "get-header-value-trim", "get-unreserved", "post-vanilla", "post-header-key-sort",
        "post-header-value-case", "post-vanilla-query", "get-vanilla-with-session-token", "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters");
  }

  record Request(String method, String path, String query, List<SigV4Verifier.Header> headers, byte[] body) {}

  static String resource(String name) throws IOException {
    try (InputStream in = SigV4TestVectorsTest.class.getResourceAsStream(BASE + name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Request parse(String text) {
    int blank = text.indexOf("\n\n");
    String head = text.substring(0, blank);
    byte[] body = text.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
    String[] lines = head.split("\n");
    String[] requestLine = lines[0].split(" ");
    String target = requestLine[1];
    int q = target.indexOf('?');
    List<SigV4Verifier.Header> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.add(new SigV4Verifier.Header(lines[i].substring(0, colon), lines[i].substring(colon + 1)));
    }
    return new Request(requestLine[0], q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1),
        headers, body);
  }

  static Properties context() throws IOException {
    Properties p = new Properties();
    p.load(new java.io.StringReader(resource("context.txt")));
    return p;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void independentVerifier_reproducesPublishedVector(String name) throws IOException {
    Properties ctx = context();
    Request r = parse(resource(name + "/request.txt"));
    String authz = resource(name + "/authorization.txt");
    SigV4Verifier.Authorization a = SigV4Verifier.Authorization.parse(authz);
    List<SigV4Verifier.Header> headers = new ArrayList<>(r.headers());
    if (a.signedHeaders().contains("x-amz-security-token")) {
      headers.add(new SigV4Verifier.Header("X-Amz-Security-Token", ctx.getProperty("session_token")));
    }
    String creq = SigV4Verifier.canonicalRequest(r.method(), r.path(), r.query(), headers, a.signedHeaders(),
        SigV4Verifier.sha256Hex(r.body()));
    String expectedCreq = resource(name + "/canonical-request.txt");
    if (expectedCreq != null) {
      assertThat(creq).isEqualTo(expectedCreq);
    }
    String sts = SigV4Verifier.stringToSign("20150830T123600Z", a.scope(), creq);
    String expectedSts = resource(name + "/string-to-sign.txt");
    if (expectedSts != null) {
      assertThat(sts).isEqualTo(expectedSts);
    }
    assertThat(SigV4Verifier.signature(ctx.getProperty("secret_access_key"), a.date(), a.region(), a.service(), sts))
        .isEqualTo(a.signature());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void sdkSigner_producesPublishedAuthorization(String name) throws Exception {
    Properties ctx = context();
    Request r = parse(resource(name + "/request.txt"));
    String authz = resource(name + "/authorization.txt");
    boolean withToken = authz.contains("x-amz-security-token");
    AwsCredentialsIdentity creds = withToken
        ? AwsSessionCredentials.create(ctx.getProperty("access_key_id"), ctx.getProperty("secret_access_key"),
            ctx.getProperty("session_token"))
        : AwsBasicCredentials.create(ctx.getProperty("access_key_id"), ctx.getProperty("secret_access_key"));
    Map<String, String> headers = new LinkedHashMap<>();
    String host = null;
    boolean contentSha = false;
    for (SigV4Verifier.Header h : r.headers()) {
      String n = h.name().toLowerCase(java.util.Locale.ROOT);
      if (n.equals("host")) {
        host = h.value().trim();
      } else if (n.equals("x-amz-content-sha256")) {
        contentSha = true;
      } else if (!n.equals("x-amz-date")) {
        headers.put(h.name(), h.value());
      }
    }
    URI uri = URI.create("https://" + host + r.path() + (r.query() == null ? "" : "?" + r.query()));
    Clock clock = Clock.fixed(Instant.parse(ctx.getProperty("timestamp")), ZoneOffset.UTC);
    SigV4AuthExtension ext = new SigV4AuthExtension(SigV4AuthConfig.defaults(), System.getLogger("test"), n -> null);

    Map<String, String> signed = ext.sign(creds, new ServiceRegion(ctx.getProperty("service"), ctx.getProperty("region")),
        clock, r.method(), uri, headers, r.body(), contentSha);

    if (authz.contains("x-amz-content-sha256")) {
      // the sign_body vectors: the SDK's Authorization is the published one, byte for byte
      assertThat(signed.get("Authorization")).isEqualTo(authz);
    }
    // every case: the independent (vector-checked) verifier accepts what the SDK signed
    List<SigV4Verifier.Header> sent = new ArrayList<>();
    sent.add(new SigV4Verifier.Header("Host", host));
    headers.forEach((k, v) -> sent.add(new SigV4Verifier.Header(k, v)));
    signed.forEach((k, v) -> sent.add(new SigV4Verifier.Header(k, v)));
    assertThat(SigV4Verifier.verify(r.method(), r.path(), r.query(), sent, r.body(),
        Map.of(ctx.getProperty("access_key_id"), ctx.getProperty("secret_access_key")))).isNull();
    assertThat(signed.get("x-amz-content-sha256")).isEqualTo(SigV4Verifier.sha256Hex(r.body()));
    assertThat(SigV4Verifier.Authorization.parse(signed.get("Authorization")).scope())
        .isEqualTo("20150830/us-east-1/service/aws4_request");
    assertThat(signed.get("X-Amz-Date")).isEqualTo("20150830T123600Z");
    if (withToken) {
      assertThat(signed.get("X-Amz-Security-Token")).isEqualTo(ctx.getProperty("session_token"));
    } else {
      assertThat(signed).doesNotContainKey("X-Amz-Security-Token");
    }
  }
}
