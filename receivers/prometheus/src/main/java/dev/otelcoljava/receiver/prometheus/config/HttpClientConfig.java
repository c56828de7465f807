package dev.otelcoljava.receiver.prometheus.config;

import java.util.List;
import java.util.Map;

/**
 * The HTTP client settings of a scrape config (Prometheus' common HTTPClientConfig): auth, TLS,
 * redirects, HTTP/2 and proxy. {@code bearer_token} / {@code bearer_token_file} are folded into
 * {@link #authorization()} with type {@code Bearer}, as Prometheus does. Immutable.
 *
 * @param basicAuth null when unset
 * @param authorization null when unset
 * @param proxyUrl empty when unset
 * @param noProxy comma-separated hosts/domains/CIDRs that bypass the proxy (Go's NO_PROXY form)
 */
public record HttpClientConfig(
    BasicAuth basicAuth,
    Authorization authorization,
    TlsConfig tls,
    boolean followRedirects,
    boolean enableHttp2,
    String proxyUrl,
    String noProxy,
    Map<String, List<String>> proxyConnectHeader,
    Map<String, String> httpHeaders) {

  /** Prometheus' defaults: redirects followed, HTTP/2 enabled, no auth, system trust store. */
  public static final HttpClientConfig DEFAULT =
      new HttpClientConfig(null, null, TlsConfig.DEFAULT, true, true, "", "", Map.of(), Map.of());

  /** {@code basic_auth}: password and password_file are exclusive. */
  public record BasicAuth(String username, String usernameFile, String password, String passwordFile) {
    @Override
    public String toString() {
      return "BasicAuth[username=" + username + ", password=<secret>, passwordFile=" + passwordFile + "]";
    }
  }

  /** {@code authorization}: type defaults to Bearer; credentials and credentials_file are exclusive. */
  public record Authorization(String type, String credentials, String credentialsFile) {
    @Override
    public String toString() {
      return "Authorization[type=" + type + ", credentials=<secret>, credentialsFile=" + credentialsFile + "]";
    }
  }

  /**
   * {@code tls_config}. {@code minVersion} is as written (TLS10..TLS13) or empty (Go's default,
   * TLS 1.2).
   */
  public record TlsConfig(
      String caFile,
      String certFile,
      String keyFile,
      String serverName,
      boolean insecureSkipVerify,
      String minVersion,
      String maxVersion) {
    public static final TlsConfig DEFAULT = new TlsConfig("", "", "", "", false, "", "");
  }
}
