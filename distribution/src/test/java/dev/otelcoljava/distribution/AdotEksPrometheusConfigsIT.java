package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.otelcoljava.distribution.k8s.KubeApiServer;
import dev.otelcoljava.distribution.k8s.Pki;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ADOT's shipped EKS Container Insights Prometheus configs ({@code adot/config/eks/prometheus}),
 * run unchanged as in a pod: in-cluster Kubernetes discovery against a TLS API server stand-in on
 * 127.0.0.1 (service account token and cluster CA at the pod's paths, through {@link
 * PodNamespace}). Each must become healthy, list and watch what its jobs discover with the pod's
 * token, log no error, and exit 0 on SIGTERM. The cluster is empty, so no target is scraped (a pod
 * address would not be on 127.0.0.1); what a scrape yields is covered by the receiver's own tests.
 *
 * <p>These configs enable no extension; the test adds a health_check on a free 127.0.0.1 port
 * (and moves self-metrics there) through extra {@code --config=yaml:} sources. The files refused at
 * validation ({@code config-haproxy.yaml}) are not run; see {@link AdotShippedConfigsIT}.
 */
class AdotEksPrometheusConfigsIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.adot-collector-token.sig";

  static Stream<String> configs() throws IOException {
    Path dir = AdotShippedConfigsIT.configDir().resolve("eks/prometheus");
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> "eks/prometheus/" + p.getFileName()).filter(n -> n.endsWith(".yaml"))
          .filter(n -> !AdotShippedConfigsIT.REFUSED_OTHERWISE.containsKey(n)).sorted().toList();
      assertThat(names).hasSizeGreaterThan(3);
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void run_inClusterDiscoveryHealthyNoErrorsExitZero(String name, @TempDir Path dir) throws Exception {
    Path file = AdotShippedConfigsIT.configDir().resolve(name);
    JsonNode config = YAML.readTree(Files.readString(file));
    assertThat(AdotShippedConfigsIT.pipelines(config).keySet()).allMatch(AdotShippedConfigsIT::isMetrics);
    Pki pki = Pki.create(dir.resolve("pki"));
    try (KubeApiServer api = KubeApiServer.start(0, pki)) {
      api.addAccount("adot-collector", TOKEN);
      Path sa = PodNamespace.serviceAccount(dir, TOKEN, Files.readString(pki.caCert()), "amazon-cloudwatch");
      int health = FreePorts.find();
      int telemetry = FreePorts.find();
      Map<String, String> env = new TreeMap<>();
      env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
      env.put("KUBERNETES_SERVICE_PORT", Integer.toString(api.port()));
      env.put("OTEL_RESOURCE_ATTRIBUTES", "ClusterName=demo");
      env.put("AWS_REGION", "us-west-2");
      env.put("AWS_ACCESS_KEY_ID", "AKIDADOTEKSTEST");
      env.put("AWS_SECRET_ACCESS_KEY", "adot-eks-test-secret");
      env.put("AWS_EC2_METADATA_DISABLED", "true");
      env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + FreePorts.find()); // any AWS API stays on loopback
      List<String> cmd = PodNamespace.wrap(List.of(AppDir.launcher().toString(), "--config=" + file,
          "--config=yaml:extensions::health_check::endpoint: 127.0.0.1:" + health,
          "--config=yaml:service::extensions: [health_check]",
          "--config=yaml:service::telemetry::metrics::readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: "
              + telemetry + "}}}}]"), sa);
      try (ExternalProcess p = ExternalProcess.start("otelcol-java", cmd, dir, env)) {
        p.awaitHttpOk("http://127.0.0.1:" + health + "/", Duration.ofSeconds(60));
        List<String> roles = new ArrayList<>();
        config.path("receivers").path("prometheus").path("config").path("scrape_configs")
            .forEach(j -> j.path("kubernetes_sd_configs").forEach(sd -> roles.add(sd.path("role").asText())));
        assertThat(roles).isNotEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!allListed(api, roles) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(api.paths("adot-collector")).as("API requests with the pod's token for roles " + roles
            + "; log:\n" + p.tail()).allSatisfy(path -> assertThat(path).startsWith("/api"));
        assertThat(allListed(api, roles)).as("listed " + roles + ": " + api.paths("adot-collector")).isTrue();
        assertThat(api.hits()).as("requests without a valid token").noneMatch(h -> h.account().equals("bad-token")
            || h.account().equals("unauthenticated"));
        Thread.sleep(1000);
        p.terminate();
        int code = p.waitFor(Duration.ofSeconds(30));
        assertThat(code).as("exit code after SIGTERM; log:\n" + p.tail()).isZero();
        String log = p.logText();
        assertThat(log.lines().filter(l -> l.contains("\terror\t")).toList()).as("error lines; log:\n" + log).isEmpty();
        assertThat(log).doesNotContain("\tat ").as("no JVM warning on stderr").doesNotContain("WARNING: ");
      }
    }
  }

  /** Whether the collector asked for every role's objects (pod, endpoints, service, node...). */
  private static boolean allListed(KubeApiServer api, List<String> roles) {
    List<String> paths = api.paths("adot-collector");
    for (String role : roles) {
      String resource = switch (role) {
        case "endpoints" -> "/endpoints";
        case "endpointslice" -> "/endpointslices";
        case "service" -> "/services";
        case "node" -> "/nodes";
        case "ingress" -> "/ingresses";
        default -> "/pods";
      };
      if (paths.stream().noneMatch(p -> p.endsWith(resource))) {
        return false;
      }
    }
    return true;
  }
}
