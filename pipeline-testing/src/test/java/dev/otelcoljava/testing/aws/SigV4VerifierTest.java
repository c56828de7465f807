package dev.otelcoljava.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verifier's path and presigning rules on their own. The full AWS suite (aws-c-auth v4, both
 * variants) runs against it in extension-sigv4auth's SigV4TestVectorsTest.
 */
class SigV4VerifierTest {
  private static final Map<String, String> SECRETS = Map.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final String SCOPE = "20150830/us-east-1/service/aws4_request";
  private static final List<SigV4Verifier.Header> HOST = List.of(new SigV4Verifier.Header("Host", "example.amazonaws.com"));

  @Test
  void canonicalPath_normalizesOnlyWhenAsked() {
    assertThat(SigV4Verifier.canonicalPath("//example//", true)).isEqualTo("/example/");
    assertThat(SigV4Verifier.canonicalPath("//example//", false)).isEqualTo("//example//");
    assertThat(SigV4Verifier.canonicalPath("/example1/example2/../..", true)).isEqualTo("/");
    assertThat(SigV4Verifier.canonicalPath("/example1/example2/../..", false)).isEqualTo("/example1/example2/../..");
    assertThat(SigV4Verifier.canonicalPath("/./example", true)).isEqualTo("/example");
    assertThat(SigV4Verifier.canonicalPath("/./", false)).isEqualTo("/./");
    assertThat(SigV4Verifier.canonicalPath("/example space/", true)).isEqualTo("/example%20space/");
    assertThat(SigV4Verifier.canonicalPath("/a%20b", false)).isEqualTo("/a%2520b");
  }

  private static String presignedQuery() {
    String params = SigV4Verifier.presignParameters("AKIDEXAMPLE", SCOPE, "20150830T123600Z", List.of("host"), 3600L, null);
    String creq = SigV4Verifier.canonicalRequest("GET", "/", params, HOST, List.of("host"), SigV4Verifier.EMPTY_SHA256,
        true);
    String sig = SigV4Verifier.signature(SECRETS.get("AKIDEXAMPLE"), "20150830", "us-east-1", "service",
        SigV4Verifier.stringToSign("20150830T123600Z", SCOPE, creq));
    return params + "&X-Amz-Signature=" + sig;
  }

  @Test
  void presign_reproducesSuiteGetVanillaQuery() {
    // aws-c-auth v4 get-vanilla-query, query variant, X-Amz-Expires=3600
    assertThat(presignedQuery())
        .endsWith("&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d");
    assertThat(SigV4Verifier.verifyPresigned("GET", "/", presignedQuery(), HOST, new byte[0], SECRETS, true)).isNull();
  }

  @Test
  void verifyPresigned_rejectsTamperingAndUnknownKeys() {
    String q = presignedQuery();
    assertThat(SigV4Verifier.verifyPresigned("GET", "/other", q, HOST, new byte[0], SECRETS, true))
        .isEqualTo("signature mismatch");
    assertThat(SigV4Verifier.verifyPresigned("GET", "/", q.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200"), HOST,
        new byte[0], SECRETS, true)).isEqualTo("signature mismatch");
    assertThat(SigV4Verifier.verifyPresigned("GET", "/", "a=b&" + q, HOST, new byte[0], SECRETS, true))
        .isEqualTo("signature mismatch");
    // a parameter after the signature is not covered by it
    assertThat(SigV4Verifier.verifyPresigned("GET", "/", q + "&a=b", HOST, new byte[0], SECRETS, true)).isNull();
    assertThat(SigV4Verifier.verifyPresigned("GET", "/", q, HOST, new byte[0], Map.of("OTHER", "x"), true))
        .isEqualTo("unknown access key");
    assertThat(SigV4Verifier.verifyPresigned("GET", "/", "X-Amz-Date=20150830T123600Z", HOST, new byte[0], SECRETS,
        true)).startsWith("missing");
  }
}
