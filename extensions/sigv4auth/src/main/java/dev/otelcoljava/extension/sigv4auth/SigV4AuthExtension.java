package dev.otelcoljava.extension.sigv4auth;

import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.HttpClientAuthenticator;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * The {@code sigv4auth} extension: signs each outgoing request with AWS Signature V4 through the
 * AWS SDK for Java v2 signer, over the SHA-256 of the exact body (for AMP: the snappy bytes), with a
 * fresh date on every call so that each retry carries a new signature.
 *
 * <p><b>Credentials.</b> Without {@code assume_role::arn}: the SDK's default chain (environment,
 * system properties, web identity / IRSA, profile, ECS container credentials including EKS Pod
 * Identity, instance metadata). With it: STS AssumeRole on top of the default chain, or
 * AssumeRoleWithWebIdentity when {@code web_identity_token_file} is set (the file is re-read at
 * each refresh, so a rotated token is picked up). Providers are created on the first signed
 * request and cache credentials, refreshing them before expiry. STS is reached through the
 * URL-connection HTTP client; {@code AWS_ENDPOINT_URL_STS} / {@code aws.endpointUrlSts} override its
 * endpoint.
 *
 * <p><b>Region and service.</b> The configured values; otherwise inferred from the request host
 * ({@link ServiceRegion}); otherwise the region from {@code AWS_REGION} / {@code
 * AWS_DEFAULT_REGION}. If either is still unknown, signing fails and a warning is logged once per
 * host.
 *
 * <p>No credential, session token or signature is ever logged or put into an exception message.
 * Thread-safe.
 */
final class SigV4AuthExtension implements Extension, HttpClientAuthenticator {
  /** Headers the caller may pass from an earlier attempt; they are replaced, never re-signed. */
  private static final Set<String> SIGNING_HEADERS =
      Set.of("authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

  private final SigV4AuthConfig config;
  private final System.Logger logger;
  private final Environment env;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final Set<String> warnedHosts = ConcurrentHashMap.newKeySet();
  private final Clock clock;
  private volatile AwsCredentialsProvider provider;
  private StsClient stsClient;

  SigV4AuthExtension(SigV4AuthConfig config, System.Logger logger, Environment env) {
    this(config, logger, env, null, Clock.systemUTC());
  }

  /** Uses the given provider (null: build one on first use) and signing clock (tests). */
  SigV4AuthExtension(SigV4AuthConfig config, System.Logger logger, Environment env, AwsCredentialsProvider provider,
      Clock clock) {
    this.config = config;
    this.logger = logger;
    this.env = env;
    this.provider = provider;
    this.clock = clock;
  }

  @Override
  public void start(Host host) {
    // Nothing to start: credentials are resolved lazily so that a collector without network
    // access to STS or IMDS still starts, and fails (counted by the exporter) per request.
  }

  @Override
  public synchronized void shutdown(Duration timeout) {
    AwsCredentialsProvider p = provider;
    if (p instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing a provider only stops its refresh thread
      }
    }
    if (stsClient != null) {
      stsClient.close();
      stsClient = null;
    }
  }

  @Override
  public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception {
    ServiceRegion sr = serviceAndRegion(uri.getHost());
    AwsCredentialsIdentity creds = credentials(sr.region());
    return sign(creds, sr, clock, method, uri, headers, body, true);
  }

  /** The signing name and region for a host: config, then inference, then the environment. */
  ServiceRegion serviceAndRegion(String host) {
    String service = config.service();
    String region = config.region();
    if (service.isEmpty() || region.isEmpty()) {
      ServiceRegion inferred = ServiceRegion.infer(host);
      if (service.isEmpty()) {
        service = inferred.service();
      }
      if (region.isEmpty()) {
        region = inferred.region();
      }
    }
    if (region.isEmpty()) {
      region = envRegion();
    }
    if (service.isEmpty() || region.isEmpty()) {
      if (warnedHosts.add(String.valueOf(host))) {
        logger.log(System.Logger.Level.WARNING, "Unable to infer region and/or service from the URL. "
            + "Please provide values for region and/or service in the collector configuration.");
      }
      throw new IllegalStateException("sigv4auth: cannot sign a request to " + host + ": "
          + (service.isEmpty() ? "service" : "region") + " is unknown; set it in the sigv4auth config");
    }
    return new ServiceRegion(service, region);
  }

  private String envRegion() {
    String r = env.get("AWS_REGION");
    if (r == null || r.isBlank()) {
      r = env.get("AWS_DEFAULT_REGION");
    }
    return r == null ? "" : r.trim();
  }

  /** Resolves (cached by the SDK provider) credentials, wrapping failures without secrets. */
  AwsCredentialsIdentity credentials(String signingRegion) throws Exception {
    AwsCredentialsProvider p = provider;
    if (p == null) {
      p = createProvider(signingRegion);
    }
    try {
      return p.resolveCredentials();
    } catch (RuntimeException e) {
      // SDK messages name the sources tried and why they failed; they never carry key material.
      throw new Exception("could not retrieve credential provider: " + e.getMessage(), e);
    }
  }

  private synchronized AwsCredentialsProvider createProvider(String signingRegion) throws Exception {
    if (provider != null) {
      return provider;
    }
    SigV4AuthConfig.AssumeRole ar = config.assumeRole();
    try {
      if (!ar.enabled()) {
        provider = DefaultCredentialsProvider.builder().build();
        return provider;
      }
      String stsRegion = ar.stsRegion().isEmpty() ? signingRegion : ar.stsRegion();
      String sessionName = ar.sessionName().isEmpty() ? "otelcol-java-" + System.currentTimeMillis() : ar.sessionName();
      if (!ar.webIdentityTokenFile().isEmpty()) {
        stsClient = StsClient.builder().region(Region.of(stsRegion))
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        Path tokenFile = Path.of(ar.webIdentityTokenFile());
        provider = StsAssumeRoleWithWebIdentityCredentialsProvider.builder().stsClient(stsClient)
            .refreshRequest(() -> AssumeRoleWithWebIdentityRequest.builder().roleArn(ar.arn())
                .roleSessionName(sessionName).webIdentityToken(readToken(tokenFile)).build())
            .build();
      } else {
        stsClient = StsClient.builder().region(Region.of(stsRegion))
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
        AssumeRoleRequest.Builder req = AssumeRoleRequest.builder().roleArn(ar.arn()).roleSessionName(sessionName);
        if (!ar.externalId().isEmpty()) {
          req.externalId(ar.externalId());
        }
        AssumeRoleRequest request = req.build();
        provider = StsAssumeRoleCredentialsProvider.builder().stsClient(stsClient).refreshRequest(request).build();
      }
      return provider;
    } catch (RuntimeException e) {
      throw new Exception("could not retrieve credential provider: " + e.getMessage(), e);
    }
  }

  private static String readToken(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read web_identity_token_file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Signs with the given credentials and clock; returns the headers to add (Authorization,
   * X-Amz-Date, X-Amz-Security-Token when the credentials have a session token, and
   * x-amz-content-sha256 when {@code contentSha256Header}). Host is signed but not returned: the
   * HTTP client sets it from the URI.
   */
  Map<String, String> sign(AwsCredentialsIdentity creds, ServiceRegion sr, Clock clock, String method, URI uri,
      Map<String, String> headers, byte[] body, boolean contentSha256Header) {
    SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.fromValue(method.toUpperCase(Locale.ROOT))).uri(uri);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String lower = h.getKey().toLowerCase(Locale.ROOT);
      if (!SIGNING_HEADERS.contains(lower) && !lower.equals("host")) {
        b.appendHeader(h.getKey(), h.getValue());
      }
    }
    if (contentSha256Header) {
      b.putHeader("x-amz-content-sha256", sha256Hex(body));
    }
    SdkHttpRequest request = b.build();
    SignedRequest signed = signer.sign(r -> r.identity(creds).request(request)
        .payload(() -> new ByteArrayInputStream(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, sr.service())
        .putProperty(AwsV4HttpSigner.REGION_NAME, sr.region())
        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      String lower = h.getKey().toLowerCase(Locale.ROOT);
      if (SIGNING_HEADERS.contains(lower) && !h.getValue().isEmpty()) {
        out.put(h.getKey(), h.getValue().get(0));
      }
    }
    if (logger.isLoggable(System.Logger.Level.DEBUG)) {
      logger.log(System.Logger.Level.DEBUG, "signed " + method + " " + uri.getHost() + " for service "
          + sr.service() + " in " + sr.region());
    }
    return out;
  }

  static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
