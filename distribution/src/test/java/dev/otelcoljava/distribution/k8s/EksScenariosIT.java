package dev.otelcoljava.distribution.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.aws.SigV4VerifyingProxy;
import dev.otelcoljava.testing.peers.MotoServer;
import dev.otelcoljava.testing.peers.VictoriaMetrics;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The EKS scenarios end to end, each config loaded unchanged from {@code shared/scenarios} and run
 * by {@code bin/otelcol-java} as a "pod" ({@link CollectorPod}: its own service account token, the
 * cluster CA, cluster DNS for {@code kubernetes.default.svc}) against one stand-in cluster:
 *
 * <ul>
 *   <li>the API server ({@link KubeApiServer}: fabric8's mock in CRUD mode with TLS, on
 *       127.0.0.1:443 because the configs address {@code kubernetes.default.svc:443}) holding the
 *       objects of the {@code k8s/nri-kubernetes-1_35} fixture (addresses moved to 127.0.0.1)
 *       plus an EKS Fargate node, a second EC2 node and an annotated App Mesh pod on each EC2
 *       node, and serving the node proxy (cAdvisor and kubelet fixtures) and {@code /metrics};
 *   <li>the pods' endpoints on 127.0.0.1: the app's metrics port (free), Envoy's admin port
 *       :9901 and kube-proxy's :10249 (fixed by the configs);
 *   <li>remote write through {@link SigV4VerifyingProxy} (fake AWS credentials in the env) into a
 *       real VictoriaMetrics, which is then asked for the series and their exact labels.
 * </ul>
 *
 * The three collectors run at the same time (the first scrape of a target waits for its offset
 * within the scrape interval: up to 1 min for the Fargate config).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EksScenariosIT {
  static final String EC2_NODE = "datagen-1-35"; // the fixture's node: the DaemonSet instance runs here
  static final String OTHER_NODE = "ip-10-0-2-2.ec2.internal";
  static final String FARGATE_NODE = "fargate-ip-192-168-7-7.ec2.internal";
  static final String CLUSTER_ARN = "arn:aws:eks:us-west-2:123456789012:cluster/demo";
  static final String AMP_HOST = "aps-workspaces.us-west-2.amazonaws.com";
  static final String ACCESS_KEY = "AKIDEKSTEST";
  static final String SECRET_KEY = "eks-test-secret";
  static final String APP_METRICS = "# TYPE shop_orders counter\nshop_orders_total{method=\"card\"} 42\n";
  static final String ENVOY_METRICS = "# TYPE envoy_cluster_upstream_rq_total counter\n"
      + "envoy_cluster_upstream_rq_total{envoy_cluster_name=\"cart\"} 7\n";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  Pki pki;
  KubeApiServer api;
  TargetServers pods;
  VictoriaMetrics vm;
  SigV4VerifyingProxy proxy;
  MotoServer moto;
  int appPort;
  int bulkPort;
  CollectorPod managed;
  CollectorPod daemonset;
  CollectorPod fargate;

  @BeforeAll
  void startCluster() throws Exception {
    dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "eks-scenarios-it");
    long t0 = System.nanoTime();
    pki = Pki.create(dir.resolve("pki"));
    System.out.printf("pki %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    String kubeProxyMetrics = Files.readString(SharedFiles.fixtures().resolve("cadvisor/netdata-go.d.plugin/kube-proxy-metrics.txt"));
    pods = new TargetServers((port, path) -> {
      if (port == appPort && !path.startsWith("/other-node")) {
        return APP_METRICS;
      }
      if (port == bulkPort && path.equals("/metrics")) {
        return bulkBody();
      }
      if (port == 9901 && path.equals("/stats/prometheus")) {
        return ENVOY_METRICS;
      }
      if (port == 10249 && path.equals("/metrics")) {
        return kubeProxyMetrics;
      }
      return null;
    });
    appPort = pods.listen(0);
    bulkPort = pods.listen(0);
    pods.listen(9901);
    pods.listen(10249);
    api = KubeApiServer.start(443, pki);
    api.addAccount("managed-scraper", "token-managed-scraper");
    api.addAccount("daemonset", "token-daemonset");
    api.addAccount("fargate", "token-fargate");
    seedCluster();
    System.out.printf("cluster seeded %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    vm = VictoriaMetrics.start(dir.resolve("vm"));
    proxy = SigV4VerifyingProxy.start(vm.baseUrl(), ACCESS_KEY, SECRET_KEY).expectScope("aps", "us-west-2");
    moto = MotoServer.start(dir.resolve("moto"));

    Map<String, String> common = new HashMap<>(Map.of(
        "KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", "443",
        "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-west-2",
        "AWS_EC2_METADATA_DISABLED", "true",
        // the AMP host name resolves to the SigV4-verifying proxy in the pods' DNS (see CollectorPod)
        "AMP_REMOTE_WRITE_URL", "http://" + AMP_HOST + ":" + proxy.port() + "/api/v1/write"));
    Path scenarios = SharedFiles.scenarios();
    Map<String, String> managedEnv = new HashMap<>(common);
    managedEnv.put("EKS_CLUSTER_ARN", CLUSTER_ARN);
    Map<String, String> dsEnv = new HashMap<>(common);
    dsEnv.put("NODE_NAME", EC2_NODE);
    Map<String, String> fgEnv = new HashMap<>(common);
    fgEnv.put("OTEL_RESOURCE_ATTRIBUTES", "ClusterName=demo");
    fgEnv.put("AWS_ENDPOINT_URL", moto.endpoint()); // awsemf: CloudWatch Logs on moto, never AWS
    fgEnv.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
    fgEnv.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
    Path launcher = CollectorPod.launcher();
    managed = CollectorPod.start(launcher, "managed-scraper", dir, scenarios.resolve("eks-amp-managed-scraper-default.yaml"),
        managedEnv, pki, "token-managed-scraper", "otelcol-java", AMP_HOST);
    daemonset = CollectorPod.start(launcher, "daemonset", dir, scenarios.resolve("eks-daemonset-appmesh-envoy.yaml"),
        dsEnv, pki, "token-daemonset", "otelcol-java", AMP_HOST);
    fargate = CollectorPod.start(launcher, "fargate", dir, scenarios.resolve("eks-fargate-container-insights.yaml"),
        fgEnv, pki, "token-fargate", "otelcol-java");
    managed.awaitReady();
    daemonset.awaitReady();
    fargate.awaitReady();
    System.out.printf("collectors up %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  /** The fixture cluster with every address on 127.0.0.1, plus this test's own nodes and pods. */
  void seedCluster() throws Exception {
    api.seed("namespaces.json", NamespaceList.class, n -> n);
    api.seed("nodes.json", NodeList.class, n -> {
      for (NodeAddress a : n.getStatus().getAddresses()) {
        if (a.getType().equals("InternalIP")) {
          a.setAddress("127.0.0.1");
        }
      }
      return n;
    });
    api.seed("services.json", ServiceList.class, s -> s);
    api.seed("endpoints.json", EndpointsList.class, e -> {
      for (EndpointSubset s : e.getSubsets() == null ? List.<EndpointSubset>of() : e.getSubsets()) {
        for (EndpointAddress a : s.getAddresses()) {
          a.setIp("127.0.0.1");
        }
        if (e.getMetadata().getName().equals("kubernetes")) {
          for (EndpointPort p : s.getPorts()) {
            p.setPort(443); // EKS' API server endpoints listen on 443 (the fixture's minikube on 8443)
          }
        }
      }
      return e;
    });
    api.seed("pods.json", PodList.class, p -> {
      if (p.getStatus().getPodIP() != null) {
        p.getStatus().setPodIP("127.0.0.1");
        p.getStatus().setPodIPs(List.of(new PodIP("127.0.0.1")));
        p.getStatus().setHostIP("127.0.0.1");
      }
      return p;
    });
    api.create(api.<Namespace>parse("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"));
    api.create(node(OTHER_NODE, "ec2", "m5.large"));
    api.create(node(FARGATE_NODE, "fargate", null));
    api.create(cartPod("cart-0", EC2_NODE, "/custom-metrics"));
    api.create(cartPod("cart-1", OTHER_NODE, "/other-node-metrics"));
    api.create(api.parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: bulk-exporter-0, namespace: shop, labels: {app: bulk}}
        spec:
          nodeName: %s
          containers:
          - {name: exporter, image: bulk:1, ports: [{name: metrics, containerPort: %d}]}
        status: {phase: Running, podIP: 127.0.0.1, podIPs: [{ip: 127.0.0.1}], hostIP: 127.0.0.1}
        """.formatted(OTHER_NODE, bulkPort)));
  }

  private static volatile String bulk;

  /** A valid exposition of 53 MB: more than the managed scraper's body_size_limit of 50MB (50 MiB). */
  static String bulkBody() {
    if (bulk == null) {
      StringBuilder chunk = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        chunk.append("bulk_series_value{shard=\"").append(i).append("\",pad=\"xxxxxxxxxxxxxxxxxxxxxxxx\"} 1\n");
      }
      int target = 53_000_000;
      StringBuilder b = new StringBuilder(target + chunk.length());
      while (b.length() < target) {
        b.append(chunk);
      }
      bulk = b.toString();
    }
    return bulk;
  }

  Node node(String name, String computeType, String instanceType) {
    return api.parse("""
        apiVersion: v1
        kind: Node
        metadata:
          name: %1$s
          labels:
            kubernetes.io/hostname: %1$s
            kubernetes.io/os: linux
            topology.kubernetes.io/zone: us-west-2a
            eks.amazonaws.com/compute-type: %2$s
            %3$s
        status:
          addresses:
          - {type: InternalIP, address: 127.0.0.1}
          - {type: Hostname, address: %1$s}
          daemonEndpoints: {kubeletEndpoint: {Port: 10250}}
        """.formatted(name, computeType, instanceType == null ? "" : "node.kubernetes.io/instance-type: " + instanceType));
  }

  /** An App Mesh app pod: the app container's metrics port and the Envoy sidecar (admin :9901). */
  Pod cartPod(String name, String node, String path) {
    return api.parse("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: %1$s
          namespace: shop
          labels: {app: cart, name: cart}
          annotations:
            prometheus.io/scrape: "true"
            prometheus.io/port: "%2$d"
            prometheus.io/path: %3$s
            prometheus.io/param_format: prometheus
        spec:
          nodeName: %4$s
          containers:
          - name: cart
            image: shop/cart:1.4
            ports: [{name: http-metrics, containerPort: %2$d}]
          - name: envoy
            image: public.ecr.aws/appmesh/aws-appmesh-envoy:v1.27.2.0-prod
            ports: [{name: stats, containerPort: 9901}]
        status:
          phase: Running
          podIP: 127.0.0.1
          podIPs: [{ip: 127.0.0.1}]
          hostIP: 127.0.0.1
          conditions: [{type: Ready, status: "True"}]
        """.formatted(name, appPort, path, node));
  }

  @AfterAll
  void stopCluster() {
    for (AutoCloseable c : new AutoCloseable[] {managed, daemonset, fargate, moto, proxy, vm, api, pods}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // best effort
        }
      }
    }
  }

  @Test
  void managedScraperDefaultJobs_podsCadvisorViaProxyApiserversKubeProxy_arriveWithPrometheusLabels() throws Exception {
    // annotated and un-annotated pods alike (the job has no relabeling): the app's series with
    // job/instance and the cluster's external label
    Map<String, String> app = awaitOne("shop_orders_total{job=\"pod_exporter\",instance=\"127.0.0.1:" + appPort + "\"}", managed);
    assertThat(withoutScope(app)).containsExactlyInAnyOrderEntriesOf(Map.of("__name__", "shop_orders_total", "job", "pod_exporter",
        "instance", "127.0.0.1:" + appPort, "clusterArn", CLUSTER_ARN, "method", "card"));

    // cAdvisor of every node through the API server proxy: one target per node, node labels mapped
    List<Map<String, String>> cadvisorUp = awaitSeries("up{job=\"cadvisor\"}", managed, s -> s.size() == 3);
    assertThat(cadvisorUp).extracting(m -> m.get("kubernetes_io_hostname"))
        .containsExactlyInAnyOrder(EC2_NODE, OTHER_NODE, FARGATE_NODE);
    // as in Prometheus, the node role sets instance to the node name (the address is the proxy)
    assertThat(cadvisorUp).allSatisfy(m -> assertThat(m).containsEntry("instance", m.get("kubernetes_io_hostname"))
        .containsEntry("clusterArn", CLUSTER_ARN));
    assertThat(cadvisorUp).filteredOn(m -> FARGATE_NODE.equals(m.get("kubernetes_io_hostname")))
        .singleElement().satisfies(m -> assertThat(m).containsEntry("eks_amazonaws_com_compute_type", "fargate"));
    assertThat(values("up{job=\"cadvisor\"}")).containsOnly(1.0);
    List<Map<String, String>> cpu = series("container_cpu_usage_seconds_total{job=\"cadvisor\",kubernetes_io_hostname=\"" + EC2_NODE + "\"}");
    assertThat(cpu).hasSize(58); // every series of the fixture
    assertThat(cpu).allSatisfy(m -> assertThat(m).containsEntry("beta_kubernetes_io_arch", "arm64")
        .containsEntry("minikube_k8s_io_primary", "true").containsKey("cpu").containsKey("id"));
    assertThat(api.hits("managed-scraper")).filteredOn(h -> h.path().contains("/proxy/"))
        .extracting(KubeApiServer.Hit::path).contains("/api/v1/nodes/" + EC2_NODE + "/proxy/metrics/cadvisor",
            "/api/v1/nodes/" + OTHER_NODE + "/proxy/metrics/cadvisor", "/api/v1/nodes/" + FARGATE_NODE + "/proxy/metrics/cadvisor");
    assertThat(api.hits("managed-scraper")).filteredOn(h -> h.path().contains("/proxy/"))
        .extracting(KubeApiServer.Hit::status).containsOnly(200);

    // the API server itself, found through the default/kubernetes endpoints' https port
    Map<String, String> apiUp = awaitOne("up{job=\"kubernetes-apiservers\"}", managed);
    assertThat(apiUp).containsEntry("instance", "127.0.0.1:443");
    assertThat(series("apiserver_request_total{job=\"kubernetes-apiservers\"}")).isNotEmpty();
    assertThat(api.paths("managed-scraper")).contains("/metrics");

    // kube-proxy: the fixture's kube-system/kube-proxy-* pod on :10249
    Map<String, String> kp = awaitOne("up{job=\"kube-proxy\"}", managed);
    assertThat(kp).containsEntry("instance", "127.0.0.1:10249");
    assertThat(values("up{job=\"kube-proxy\"}")).containsOnly(1.0);
    assertThat(series("http_requests_total{job=\"kube-proxy\"}")).isNotEmpty();

    // a target answering more than body_size_limit: refused (up 0, nothing stored) and counted
    Map<String, String> bulkUp = awaitOne("up{job=\"pod_exporter\",instance=\"127.0.0.1:" + bulkPort + "\"}", managed);
    assertThat(values("up{job=\"pod_exporter\",instance=\"127.0.0.1:" + bulkPort + "\"}")).containsOnly(0.0);
    assertThat(series("bulk_series_value")).isEmpty();
    String self = awaitSelfMetrics(managed, t -> t.lines().anyMatch(l -> l.startsWith("otelcol_receiver_prometheus_scrape_failures")
        && l.contains("reason=\"body_size_limit\"") && l.contains("127.0.0.1:" + bulkPort)));
    assertThat(bulkUp).containsEntry("job", "pod_exporter");
    assertThat(self).isNotEmpty();

    // discovery itself used the pod's service account, in-cluster
    assertThat(api.paths("managed-scraper")).contains("/api/v1/pods", "/api/v1/nodes", "/api/v1/endpoints");
    assertThat(api.hits()).noneMatch(h -> h.account().equals("bad-token"));
    // every remote write was SigV4-signed with the env credentials
    assertThat(proxy.accepted()).isNotEmpty();
    assertThat(proxy.rejections()).isEmpty();
  }

  @Test
  void daemonSet_scrapesOnlyItsOwnNodesEnvoyPodsKubeletAndCadvisor() throws Exception {
    Map<String, String> envoy = awaitOne("envoy_cluster_upstream_rq_total{job=\"appmesh-envoy\"}", daemonset);
    assertThat(withoutScope(envoy)).containsExactlyInAnyOrderEntriesOf(Map.of("__name__", "envoy_cluster_upstream_rq_total",
        "job", "appmesh-envoy", "instance", "127.0.0.1:9901", "envoy_cluster_name", "cart", "app", "cart", "name", "cart",
        "namespace", "shop", "service", "cart", "kubernetes_pod_name", "cart-0"));

    Map<String, String> app = awaitOne("shop_orders_total{job=\"shop/cart\"}", daemonset);
    assertThat(withoutScope(app)).containsExactlyInAnyOrderEntriesOf(Map.of("__name__", "shop_orders_total", "job", "shop/cart",
        "instance", "cart-0:cart:http-metrics", "namespace", "shop", "pod", "cart-0", "container", "cart", "method", "card"));
    // the annotations' path and param, with the service account token (bearer_token_file)
    assertThat(pods.scrapes()).filteredOn(s -> s.port() == appPort && s.path().startsWith("/custom-metrics"))
        .isNotEmpty().allSatisfy(s -> {
          assertThat(s.path()).isEqualTo("/custom-metrics?format=prometheus");
          assertThat(s.authorization()).isEqualTo("Bearer token-daemonset");
        });

    Map<String, String> kubelet = awaitOne("up{job=\"kube-system/kubelet\"}", daemonset);
    assertThat(withoutScope(kubelet)).containsExactlyInAnyOrderEntriesOf(
        Map.of("__name__", "up", "job", "kube-system/kubelet", "instance", EC2_NODE));
    assertThat(values("up{job=\"kube-system/kubelet\"}")).containsOnly(1.0);
    assertThat(series("kubelet_running_pods{job=\"kube-system/kubelet\"}").size()
        + series("kubelet_containers_per_pod_count_count{job=\"kube-system/kubelet\"}").size()).isPositive();

    List<Map<String, String>> cadvisor = awaitSeries("container_cpu_usage_seconds_total{job=\"kube-system/cadvisor\"}", daemonset,
        s -> !s.isEmpty());
    // metric_relabel_configs dropped the container_* series without an image
    assertThat(cadvisor).hasSize(35).allSatisfy(m -> assertThat(m.get("image")).isNotEmpty());
    assertThat(series("container_tasks_state{job=\"kube-system/cadvisor\"}")).isEmpty();
    assertThat(series("up{job=\"kube-system/cadvisor\"}")).singleElement()
        .satisfies(m -> assertThat(m).containsEntry("instance", EC2_NODE));

    // only its own node: the pod informer asked with the field selector, the node jobs kept one node
    assertThat(api.hits("daemonset")).filteredOn(h -> h.path().startsWith("/api/v1/pods"))
        .isNotEmpty().allSatisfy(h -> assertThat(h.path()).contains("fieldSelector=spec.nodeName%3D" + EC2_NODE));
    assertThat(api.paths("daemonset")).filteredOn(p -> p.contains("/proxy/"))
        .containsOnly("/api/v1/nodes/" + EC2_NODE + "/proxy/metrics", "/api/v1/nodes/" + EC2_NODE + "/proxy/metrics/cadvisor");
    assertThat(series("{kubernetes_pod_name=\"cart-1\"}")).isEmpty();
    assertThat(pods.scrapes()).noneMatch(s -> s.path().startsWith("/other-node"));
    assertThat(proxy.rejections()).isEmpty();
  }

  @Test
  void fargate_cadvisorThroughApiServerProxy_withServiceAccountTokenAndCa() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(80).toNanos();
    while (api.hits("fargate").stream().filter(h -> h.path().contains("/proxy/")).map(KubeApiServer.Hit::path)
        .distinct().count() < 3) {
      assertThat(System.nanoTime()).as("Fargate collector scraped cAdvisor of all 3 nodes; hits so far: "
          + api.hits("fargate") + "\nlog:\n" + fargate.process().tail()).isLessThan(deadline);
      Thread.sleep(250);
    }
    assertThat(api.hits("fargate")).filteredOn(h -> h.path().contains("/proxy/"))
        .extracting(KubeApiServer.Hit::path, KubeApiServer.Hit::status)
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple("/api/v1/nodes/" + EC2_NODE + "/proxy/metrics/cadvisor", 200),
            org.assertj.core.groups.Tuple.tuple("/api/v1/nodes/" + OTHER_NODE + "/proxy/metrics/cadvisor", 200),
            org.assertj.core.groups.Tuple.tuple("/api/v1/nodes/" + FARGATE_NODE + "/proxy/metrics/cadvisor", 200));
    // the scraped samples entered the pipeline (the receiver's own counters)
    String self = awaitSelfMetrics(fargate, t -> acceptedPoints(t) > 0);
    assertThat(acceptedPoints(self)).isGreaterThanOrEqualTo(3 * 500);
    assertThat(fargate.process().logText()).doesNotContain("token-fargate");
  }

  /**
   * The labels without the exporter's scope labels (otel_scope_name = the receiver's scope,
   * otel_scope_version = the collector's version), which are checked here and then set aside.
   */
  static Map<String, String> withoutScope(Map<String, String> labels) {
    assertThat(labels).containsEntry("otel_scope_name",
        "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver");
    Map<String, String> m = new TreeMap<>(labels);
    m.keySet().removeIf(k -> k.startsWith("otel_scope_"));
    return m;
  }

  // ---- VictoriaMetrics queries -----------------------------------------------------------------

  /** Every series matching the selector (all time), as label maps including __name__. */
  List<Map<String, String>> series(String selector) throws Exception {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : vm.export(selector).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> m = new TreeMap<>();
      JSON.readTree(line).get("metric").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
      out.add(m);
    }
    return out;
  }

  /** Every sample value of the matching series. */
  List<Double> values(String selector) throws Exception {
    List<Double> out = new ArrayList<>();
    for (String line : vm.export(selector).split("\n")) {
      if (!line.isBlank()) {
        for (JsonNode v : JSON.readTree(line).get("values")) {
          out.add(v.asDouble());
        }
      }
    }
    return out;
  }

  List<Map<String, String>> awaitSeries(String selector, CollectorPod pod, Predicate<List<Map<String, String>>> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(80).toNanos();
    while (true) {
      List<Map<String, String>> s = series(selector);
      if (done.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waiting for " + selector + "; have " + s + "\nAPI requests of "
            + pod.dir().getFileName() + ": " + api.hits(pod.dir().getFileName().toString()).stream()
                .map(h -> h.path() + " " + h.status()).distinct().toList()
            + "\ncollector log:\n" + pod.process().tail());
      }
      Thread.sleep(500);
    }
  }

  Map<String, String> awaitOne(String selector, CollectorPod pod) throws Exception {
    return awaitSeries(selector, pod, s -> !s.isEmpty()).stream().reduce((a, b) -> {
      throw new AssertionError("more than one series for " + selector + ": " + a + ", " + b);
    }).orElseThrow();
  }

  String awaitSelfMetrics(CollectorPod pod, Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.telemetryPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (done.test(text)) {
        return text;
      }
      assertThat(System.nanoTime()).as("self-metrics:\n" + text).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  /** otelcol_receiver_accepted_metric_points of the prometheus receiver, summed. */
  static double acceptedPoints(String exposition) {
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith("otelcol_receiver_accepted_metric_points") && line.contains("receiver=\"prometheus\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
