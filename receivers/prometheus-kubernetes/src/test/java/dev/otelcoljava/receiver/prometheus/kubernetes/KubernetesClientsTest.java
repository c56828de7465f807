package dev.otelcoljava.receiver.prometheus.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig;
import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;
import dev.otelcoljava.receiver.prometheus.discovery.Discoverer;
import dev.otelcoljava.receiver.prometheus.discovery.DiscovererProvider;
import dev.otelcoljava.receiver.prometheus.discovery.KubernetesDiscovererProvider;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.util.ServiceLoader;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesClientsTest {
  private static final System.Logger LOGGER = System.getLogger("k8s-sd-test");
  private static final RateLimitedLogger RL = new RateLimitedLogger(LOGGER, java.time.Duration.ofSeconds(1));
  private static final KubernetesSdConfig.AttachMetadata NONE =
      new KubernetesSdConfig.AttachMetadata(false, false, false, false, false);

  private static KubernetesSdConfig sd(String apiServer, String kubeconfig, HttpClientConfig http) {
    return new KubernetesSdConfig("pod", apiServer, kubeconfig, false, List.of(), List.of(), NONE, http);
  }

  private static HttpClientConfig http(HttpClientConfig.Authorization auth, HttpClientConfig.BasicAuth basic,
      HttpClientConfig.TlsConfig tls) {
    return new HttpClientConfig(basic, auth, tls, true, true, "", "", Map.of(), Map.of());
  }

  @Test
  void config_inCluster_usesEnvCaAndRereadsRotatedToken(@TempDir Path sa) throws Exception {
    Files.writeString(sa.resolve("token"), "token-1\n");
    Files.writeString(sa.resolve("ca.crt"), "not used here");
    ClusterEnvironment env = new ClusterEnvironment(sa,
        Map.of("KUBERNETES_SERVICE_HOST", "10.100.0.1", "KUBERNETES_SERVICE_PORT", "443"));
    Config c = KubernetesClients.config(sd("", "", HttpClientConfig.DEFAULT), env, 100, RL);
    assertThat(c.getMasterUrl()).startsWith("https://10.100.0.1:443");
    assertThat(c.getCaCertFile()).isEqualTo(sa.resolve("ca.crt").toString());
    assertThat(c.getOauthTokenProvider().getToken()).isEqualTo("token-1");
    Files.writeString(sa.resolve("token"), "token-2\n");
    assertThat(c.getOauthTokenProvider().getToken()).isEqualTo("token-2");
  }

  @Test
  void system_serviceAccountDir_defaultAndSystemPropertyOverride(@TempDir Path sa) throws Exception {
    String before = System.getProperty(ClusterEnvironment.SERVICE_ACCOUNT_DIR_PROPERTY);
    try {
      System.clearProperty(ClusterEnvironment.SERVICE_ACCOUNT_DIR_PROPERTY);
      assertThat(ClusterEnvironment.system().serviceAccountDir())
          .isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount"));
      Files.writeString(sa.resolve("token"), "override-token\n");
      Files.writeString(sa.resolve("namespace"), "monitoring");
      System.setProperty(ClusterEnvironment.SERVICE_ACCOUNT_DIR_PROPERTY, sa.toString());
      ClusterEnvironment env = ClusterEnvironment.system();
      assertThat(env.tokenFile()).isEqualTo(sa.resolve("token"));
      assertThat(KubernetesClients.ownNamespace(env)).isEqualTo("monitoring");
      ClusterEnvironment withEnv = new ClusterEnvironment(env.serviceAccountDir(),
          Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", "6443"));
      assertThat(KubernetesClients.config(sd("", "", HttpClientConfig.DEFAULT), withEnv, 100, RL)
          .getOauthTokenProvider().getToken()).isEqualTo("override-token");
    } finally {
      if (before == null) {
        System.clearProperty(ClusterEnvironment.SERVICE_ACCOUNT_DIR_PROPERTY);
      } else {
        System.setProperty(ClusterEnvironment.SERVICE_ACCOUNT_DIR_PROPERTY, before);
      }
    }
  }

  @Test
  void config_inClusterWithoutEnv_failsWithHint() {
    ClusterEnvironment env = new ClusterEnvironment(Path.of("/nonexistent"), Map.of());
    assertThatThrownBy(() -> KubernetesClients.config(sd("", "", HttpClientConfig.DEFAULT), env, 100, RL))
        .hasMessage("kubernetes_sd_configs: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and"
            + " KUBERNETES_SERVICE_PORT must be defined (set api_server or kubeconfig_file when running"
            + " outside a cluster)");
  }

  @Test
  void config_apiServerWithBasicAuthAndTls() throws Exception {
    HttpClientConfig.TlsConfig tls = new HttpClientConfig.TlsConfig("/ca.pem", "/c.pem", "/k.pem", "", true, "", "");
    Config c = KubernetesClients.config(
        sd("https://k8s.example:6443", "", http(null, new HttpClientConfig.BasicAuth("u", "", "p", ""), tls)),
        new ClusterEnvironment(Path.of("/nonexistent"), Map.of()), 100, RL);
    assertThat(c.getMasterUrl()).startsWith("https://k8s.example:6443");
    assertThat(c.getUsername()).isEqualTo("u");
    assertThat(c.getPassword()).isEqualTo("p");
    assertThat(c.getCaCertFile()).isEqualTo("/ca.pem");
    assertThat(c.getClientCertFile()).isEqualTo("/c.pem");
    assertThat(c.getClientKeyFile()).isEqualTo("/k.pem");
    assertThat(c.isTrustCerts()).isTrue();
    assertThat(c.getOauthTokenProvider()).isNull();
  }

  @Test
  void config_kubeconfigFile(@TempDir Path dir) throws Exception {
    Path kc = dir.resolve("kubeconfig");
    Files.writeString(kc, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "https://kc.example:6443", insecure-skip-tls-verify: true}
        users:
        - name: u
          user: {token: kc-token}
        contexts:
        - name: x
          context: {cluster: c, user: u, namespace: ns1}
        current-context: x
        """);
    Config c = KubernetesClients.config(sd("", kc.toString(), HttpClientConfig.DEFAULT),
        new ClusterEnvironment(Path.of("/nonexistent"), Map.of()), 100, RL);
    assertThat(c.getMasterUrl()).startsWith("https://kc.example:6443");
    assertThat(c.getOauthToken() != null ? c.getOauthToken() : c.getAutoOAuthToken()).isEqualTo("kc-token");
    assertThat(c.isTrustCerts()).isTrue();
    assertThatThrownBy(() -> KubernetesClients.config(sd("", dir.resolve("missing").toString(), HttpClientConfig.DEFAULT),
        new ClusterEnvironment(Path.of("/nonexistent"), Map.of()), 100, RL))
        .hasMessageContaining("kubeconfig_file").hasMessageContaining("cannot be read");
  }

  @Test
  void apiServer_bearerTokenFileRotates_newTokenSentAfterReconnect(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "first-token\n");
    try (MockApi api = new MockApi()) {
      KubernetesSdConfig sd = sd(api.url(), "", http(new HttpClientConfig.Authorization("Bearer", "", token.toString()),
          null, HttpClientConfig.TlsConfig.DEFAULT));
      try (Discoverer d = new FabricKubernetesDiscovererProvider(
          new ClusterEnvironment(Path.of("/nonexistent"), Map.of()), 100).create(sd, "auth", LOGGER)) {
        GroupCollector c = GroupCollector.start(d);
        assertThat(authHeaders(api)).isNotEmpty().allMatch("Bearer first-token"::equals);
        Files.writeString(token, "second-token\n");
        api.stop();
        api.start(); // the watch reconnects with the rotated token
        api.awaitWatch("pods");
        api.create(api.parse("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: n}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: 10.0.0.1}
            """));
        c.await("pod after reconnect", x -> x.current.containsKey("pod/n/p"));
        assertThat(authHeaders(api)).contains("Bearer second-token").doesNotContain("Bearer first-token");
      }
    }
  }

  @Test
  void serviceLoader_findsBothProviders() {
    assertThat(DiscovererProvider.available("kubernetes_sd_configs")).isTrue();
    assertThat(DiscovererProvider.all()).anyMatch(p -> p instanceof KubernetesSdProvider);
    assertThat(ServiceLoader.load(KubernetesDiscovererProvider.class).stream().map(ServiceLoader.Provider::type).toList())
        .contains(FabricKubernetesDiscovererProvider.class);
  }

  /** Authorization headers of the discoverer's requests so far (the test client sends none). */
  private static List<String> authHeaders(MockApi api) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (var r : api.requests()) {
      String h = r.getHeader("Authorization");
      if (h != null) {
        out.add(h);
      }
    }
    return out;
  }
}
