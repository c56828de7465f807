package dev.otelcoljava.receiver.prometheus.kubernetes;

import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig;
import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes the fabric8 client for one {@code kubernetes_sd_configs} entry, as Prometheus chooses its
 * REST config: {@code api_server} with the entry's own auth/TLS; else {@code kubeconfig_file}; else
 * in-cluster (service account token and CA, {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}).
 * Bearer tokens from files (in-cluster, {@code bearer_token_file}, {@code
 * authorization.credentials_file}) are re-read for every request, so rotated tokens are picked up.
 */
final class KubernetesClients {
  private KubernetesClients() {}

  static KubernetesClient create(KubernetesSdConfig sd, ClusterEnvironment env, int reconnectMillis, RateLimitedLogger logger) {
    return new KubernetesClientBuilder().withConfig(config(sd, env, reconnectMillis, logger)).build();
  }

  static Config config(KubernetesSdConfig sd, ClusterEnvironment env, int reconnectMillis, RateLimitedLogger logger) {
    Config c;
    if (!sd.apiServer().isEmpty()) {
      c = Config.empty();
      c.setMasterUrl(sd.apiServer());
      applyHttp(c, sd.http() == null ? HttpClientConfig.DEFAULT : sd.http(), logger);
    } else if (!sd.kubeconfigFile().isEmpty()) {
      Path file = Path.of(sd.kubeconfigFile());
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException(
            "kubernetes_sd_configs: kubeconfig_file \"" + sd.kubeconfigFile() + "\" cannot be read");
      }
      c = Config.fromKubeconfig(file.toFile());
    } else {
      String host = env.env().getOrDefault("KUBERNETES_SERVICE_HOST", "");
      String port = env.env().getOrDefault("KUBERNETES_SERVICE_PORT", "");
      if (host.isEmpty() || port.isEmpty()) {
        throw new IllegalArgumentException(
            "kubernetes_sd_configs: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and"
                + " KUBERNETES_SERVICE_PORT must be defined (set api_server or kubeconfig_file when running"
                + " outside a cluster)");
      }
      c = Config.empty();
      c.setMasterUrl("https://" + TargetGroups.joinHostPort(host, port));
      if (Files.exists(env.caFile())) {
        c.setCaCertFile(env.caFile().toString());
      }
      Path token = env.tokenFile();
      c.setOauthTokenProvider(() -> readSecret(token));
    }
    c.setWatchReconnectInterval(reconnectMillis);
    c.setWatchReconnectLimit(-1);
    c.setRequestRetryBackoffInterval(reconnectMillis);
    return c;
  }

  private static void applyHttp(Config c, HttpClientConfig http, RateLimitedLogger logger) {
    HttpClientConfig.TlsConfig tls = http.tls() == null ? HttpClientConfig.TlsConfig.DEFAULT : http.tls();
    if (!tls.caFile().isEmpty()) {
      c.setCaCertFile(tls.caFile());
    }
    if (!tls.certFile().isEmpty()) {
      c.setClientCertFile(tls.certFile());
    }
    if (!tls.keyFile().isEmpty()) {
      c.setClientKeyFile(tls.keyFile());
    }
    if (tls.insecureSkipVerify()) {
      c.setTrustCerts(true);
      c.setDisableHostnameVerification(true);
    }
    if (!tls.serverName().isEmpty()) {
      logger.log(
          System.Logger.Level.WARNING,
          "k8s-sd/server_name",
          "kubernetes_sd_configs: tls_config.server_name is not applied to API server connections;"
              + " the host of api_server is verified");
    }
    Map<String, String> headers = new HashMap<>(http.httpHeaders() == null ? Map.of() : http.httpHeaders());
    HttpClientConfig.Authorization auth = http.authorization();
    if (auth != null) {
      String type = auth.type() == null || auth.type().isEmpty() ? "Bearer" : auth.type();
      if (type.equalsIgnoreCase("Bearer")) {
        if (auth.credentialsFile() != null && !auth.credentialsFile().isEmpty()) {
          Path f = Path.of(auth.credentialsFile());
          c.setOauthTokenProvider(() -> readSecret(f));
        } else {
          String token = auth.credentials();
          c.setOauthTokenProvider(() -> token);
        }
      } else {
        String cred =
            auth.credentialsFile() != null && !auth.credentialsFile().isEmpty()
                ? readSecret(Path.of(auth.credentialsFile()))
                : auth.credentials();
        headers.put("Authorization", type + " " + cred);
      }
    }
    HttpClientConfig.BasicAuth basic = http.basicAuth();
    if (basic != null) {
      String user =
          basic.usernameFile() != null && !basic.usernameFile().isEmpty()
              ? readSecret(Path.of(basic.usernameFile()))
              : basic.username();
      String pass =
          basic.passwordFile() != null && !basic.passwordFile().isEmpty()
              ? readSecret(Path.of(basic.passwordFile()))
              : basic.password();
      c.setUsername(user);
      c.setPassword(pass);
    }
    if (!headers.isEmpty()) {
      c.setCustomHeaders(headers);
    }
    if (http.proxyUrl() != null && !http.proxyUrl().isEmpty()) {
      c.setHttpProxy(http.proxyUrl());
      c.setHttpsProxy(http.proxyUrl());
      if (http.noProxy() != null && !http.noProxy().isEmpty()) {
        c.setNoProxy(http.noProxy().split(","));
      }
    }
    if (!http.enableHttp2()) {
      c.setHttp2Disable(true);
    }
  }

  /** Reads a token/password file, trimmed like Prometheus does; never logs the content. */
  static String readSecret(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read credentials file " + file, e);
    }
  }

  /** The pod's own namespace (own_namespace), from the service account directory. */
  static String ownNamespace(ClusterEnvironment env) {
    Path f = env.namespaceFile();
    if (!Files.isReadable(f)) {
      throw new IllegalArgumentException(
          "kubernetes_sd_configs: namespaces.own_namespace is set but " + f + " cannot be read (not running in a pod?)");
    }
    return readSecret(f);
  }
}
