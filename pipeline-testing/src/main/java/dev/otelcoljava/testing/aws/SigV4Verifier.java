package dev.otelcoljava.testing.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent AWS Signature V4 implementation for tests: builds the canonical request, the
 * string to sign and the signature from first principles (no AWS SDK), so that it can check both
 * the published test vectors and the SDK signer's output. Header signing ({@link #verify}) and
 * query signing / presigned URLs ({@link #presignParameters}, {@link #verifyPresigned}); the path
 * normalized (dot segments removed, repeated slashes collapsed) unless asked not to, and URI-encoded
 * once more as every service but S3 expects. Stateless and thread-safe.
 */
public final class SigV4Verifier {
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private SigV4Verifier() {}

  /** A header as sent: name and value (names may repeat). */
  public record Header(String name, String value) {}

  /** The parsed {@code Authorization} header. */
  public record Authorization(String accessKey, String date, String region, String service,
      List<String> signedHeaders, String signature) {

    public String scope() {
      return date + "/" + region + "/" + service + "/aws4_request";
    }

    /** Parses {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}; null if malformed. */
    public static Authorization parse(String header) {
      if (header == null || !header.startsWith(ALGORITHM + " ")) {
        return null;
      }
      String credential = null;
      String signed = null;
      String signature = null;
      for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
        String p = part.trim();
        if (p.startsWith("Credential=")) {
          credential = p.substring("Credential=".length());
        } else if (p.startsWith("SignedHeaders=")) {
          signed = p.substring("SignedHeaders=".length());
        } else if (p.startsWith("Signature=")) {
          signature = p.substring("Signature=".length());
        }
      }
      if (credential == null || signed == null || signature == null) {
        return null;
      }
      String[] c = credential.split("/");
      if (c.length != 5 || !c[4].equals("aws4_request")) {
        return null;
      }
      return new Authorization(c[0], c[1], c[2], c[3], List.of(signed.split(";")), signature);
    }
  }

  /**
   * The canonical request.
   *
   * @param rawPath the path as sent (percent-encoded)
   * @param rawQuery the query as sent (percent-encoded), or null
   * @param headers all headers sent; only those named in {@code signedHeaders} are used
   * @param signedHeaders lower-case names, or null to sign every given header
   * @param payloadHash hex SHA-256 of the body
   */
  public static String canonicalRequest(String method, String rawPath, String rawQuery, List<Header> headers,
      List<String> signedHeaders, String payloadHash) {
    return canonicalRequest(method, rawPath, rawQuery, headers, signedHeaders, payloadHash, true);
  }

  /**
   * The canonical request, with or without path normalization (aws-c-auth's {@code normalize}
   * option: without it the path is only encoded, {@code /./} and {@code //} stay as sent).
   */
  public static String canonicalRequest(String method, String rawPath, String rawQuery, List<Header> headers,
      List<String> signedHeaders, String payloadHash, boolean normalizePath) {
    TreeMap<String, List<String>> byName = new TreeMap<>();
    for (Header h : headers) {
      byName.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(trimAll(h.value()));
    }
    List<String> names = signedHeaders == null ? new ArrayList<>(byName.keySet()) : signedHeaders;
    StringBuilder sb = new StringBuilder();
    sb.append(method).append('\n');
    sb.append(canonicalPath(rawPath, normalizePath)).append('\n');
    sb.append(canonicalQuery(rawQuery)).append('\n');
    for (String n : names) {
      List<String> values = byName.get(n);
      sb.append(n).append(':').append(values == null ? "" : String.join(",", values)).append('\n');
    }
    sb.append('\n').append(String.join(";", names)).append('\n').append(payloadHash);
    return sb.toString();
  }

  /** The string to sign for an {@code X-Amz-Date} timestamp and credential scope. */
  public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
    return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
  }

  /** The hex signature of a string to sign. */
  public static String signature(String secretKey, String date, String region, String service, String stringToSign) {
    byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    k = hmac(k, "aws4_request");
    return HexFormat.of().formatHex(hmac(k, stringToSign));
  }

  /**
   * Verifies a request: recomputes the signature over the headers it names and compares; also
   * checks {@code x-amz-content-sha256} (when sent) against the body. Returns null when valid,
   * otherwise the reason.
   */
  public static String verify(String method, String rawPath, String rawQuery, List<Header> headers, byte[] body,
      Map<String, String> secretsByAccessKey) {
    String authz = null;
    String amzDate = null;
    String contentSha = null;
    for (Header h : headers) {
      String n = h.name().toLowerCase(Locale.ROOT);
      if (n.equals("authorization")) {
        authz = h.value();
      } else if (n.equals("x-amz-date")) {
        amzDate = h.value();
      } else if (n.equals("x-amz-content-sha256")) {
        contentSha = h.value();
      }
    }
    Authorization a = Authorization.parse(authz);
    if (a == null) {
      return "missing or malformed Authorization header";
    }
    if (amzDate == null || !amzDate.startsWith(a.date())) {
      return "X-Amz-Date missing or not matching the credential scope";
    }
    if (!a.signedHeaders().contains("host") || !a.signedHeaders().contains("x-amz-date")) {
      return "host and x-amz-date must be signed";
    }
    String secret = secretsByAccessKey.get(a.accessKey());
    if (secret == null) {
      return "unknown access key";
    }
    String bodyHash = sha256Hex(body);
    if (contentSha != null && !contentSha.equals(bodyHash)) {
      return "x-amz-content-sha256 does not match the body";
    }
    String creq = canonicalRequest(method, rawPath, rawQuery, headers, a.signedHeaders(), bodyHash);
    String expected = signature(secret, a.date(), a.region(), a.service(), stringToSign(amzDate, a.scope(), creq));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), a.signature().getBytes(StandardCharsets.US_ASCII))) {
      return "signature mismatch";
    }
    return null;
  }

  /**
   * The query parameters a presigned (query-signed) request carries before its signature, encoded
   * and joined with {@code &}: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders,
   * then X-Amz-Expires and X-Amz-Security-Token when given. Their order does not matter to the
   * signature (the canonical query is sorted).
   *
   * @param expiresSeconds null to leave X-Amz-Expires out
   * @param sessionToken null to leave X-Amz-Security-Token out
   */
  public static String presignParameters(String accessKey, String scope, String amzDate, List<String> signedHeaders,
      Long expiresSeconds, String sessionToken) {
    StringBuilder sb = new StringBuilder();
    sb.append("X-Amz-Algorithm=").append(ALGORITHM);
    sb.append("&X-Amz-Credential=").append(encode(accessKey + "/" + scope));
    sb.append("&X-Amz-Date=").append(encode(amzDate));
    sb.append("&X-Amz-SignedHeaders=").append(encode(String.join(";", signedHeaders)));
    if (expiresSeconds != null) {
      sb.append("&X-Amz-Expires=").append(expiresSeconds);
    }
    if (sessionToken != null) {
      sb.append("&X-Amz-Security-Token=").append(encode(sessionToken));
    }
    return sb.toString();
  }

  /**
   * Verifies a presigned request: reads X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and
   * X-Amz-Signature from the query, recomputes the signature over every query parameter before
   * X-Amz-Signature (parameters appended after the signature are not covered by it) and the named
   * headers, and compares. The payload hash is the {@code x-amz-content-sha256} header when sent
   * (which may be {@code UNSIGNED-PAYLOAD}), else the SHA-256 of the body. Returns null when valid,
   * otherwise the reason.
   */
  public static String verifyPresigned(String method, String rawPath, String rawQuery, List<Header> headers, byte[] body,
      Map<String, String> secretsByAccessKey, boolean normalizePath) {
    if (rawQuery == null) {
      return "no query";
    }
    String credential = null;
    String amzDate = null;
    String signed = null;
    String signature = null;
    StringBuilder covered = new StringBuilder();
    for (String p : rawQuery.split("&")) {
      int eq = p.indexOf('=');
      String k = decode(eq < 0 ? p : p.substring(0, eq));
      String v = eq < 0 ? "" : decode(p.substring(eq + 1));
      if (k.equals("X-Amz-Signature")) {
        signature = v;
        break;
      }
      switch (k) {
        case "X-Amz-Credential" -> credential = v;
        case "X-Amz-Date" -> amzDate = v;
        case "X-Amz-SignedHeaders" -> signed = v;
        default -> { }
      }
      if (covered.length() > 0) {
        covered.append('&');
      }
      covered.append(p);
    }
    if (credential == null || amzDate == null || signed == null || signature == null) {
      return "missing X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders or X-Amz-Signature";
    }
    String[] c = credential.split("/");
    if (c.length != 5 || !c[4].equals("aws4_request") || !amzDate.startsWith(c[1])) {
      return "malformed X-Amz-Credential";
    }
    List<String> signedHeaders = List.of(signed.split(";"));
    if (!signedHeaders.contains("host")) {
      return "host must be signed";
    }
    String secret = secretsByAccessKey.get(c[0]);
    if (secret == null) {
      return "unknown access key";
    }
    String payloadHash = sha256Hex(body);
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase("x-amz-content-sha256")) {
        payloadHash = h.value().trim();
      }
    }
    String scope = c[1] + "/" + c[2] + "/" + c[3] + "/aws4_request";
    String creq = canonicalRequest(method, rawPath, covered.toString(), headers, signedHeaders, payloadHash,
        normalizePath);
    String expected = signature(secret, c[1], c[2], c[3], stringToSign(amzDate, scope, creq));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
      return "signature mismatch";
    }
    return null;
  }

  public static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trims and collapses runs of spaces, as the canonical header value requires. */
  static String trimAll(String v) {
    StringBuilder sb = new StringBuilder(v.length());
    boolean space = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == ' ' || c == '\t') {
        space = true;
      } else {
        if (space && sb.length() > 0) {
          sb.append(' ');
        }
        space = false;
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Normalizes dot segments and encodes the (already encoded) path once more. */
  static String canonicalPath(String rawPath) {
    return canonicalPath(rawPath, true);
  }

  /**
   * The canonical path. With {@code normalize}: {@code .} and {@code ..} segments are resolved and
   * empty segments (repeated slashes) dropped, a trailing slash kept; without it the path is kept
   * segment for segment. Either way each segment is URI-encoded (once more, for an encoded path).
   */
  public static String canonicalPath(String rawPath, boolean normalize) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    String[] segs = rawPath.split("/", -1);
    if (!normalize) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < segs.length; i++) {
        if (i > 0) {
          sb.append('/');
        }
        sb.append(encode(segs[i]));
      }
      return sb.toString();
    }
    Deque<String> out = new ArrayDeque<>();
    for (int i = 1; i < segs.length; i++) {
      String s = segs[i];
      if (s.equals(".") || s.isEmpty()) {
        continue;
      }
      if (s.equals("..")) {
        out.pollLast();
        continue;
      }
      out.addLast(s);
    }
    StringBuilder sb = new StringBuilder();
    for (String s : out) {
      sb.append('/').append(encode(s));
    }
    if (sb.length() == 0 || (rawPath.endsWith("/") && sb.charAt(sb.length() - 1) != '/')) {
      sb.append('/');
    }
    return sb.toString();
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq);
      String v = eq < 0 ? "" : p.substring(eq + 1);
      pairs.add(new String[] {encode(decode(k)), encode(decode(v))});
    }
    pairs.sort((x, y) -> {
      int c = x[0].compareTo(y[0]);
      return c != 0 ? c : x[1].compareTo(y[1]);
    });
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(p[0]).append('=').append(p[1]);
    }
    return sb.toString();
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** RFC 3986 encoding: unreserved characters kept, every other byte as %XX (upper-case). */
  static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
