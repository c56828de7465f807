package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.otelcoljava.distribution.k8s.KubeApiServer;
import dev.otelcoljava.distribution.k8s.Pki;
import dev.otelcoljava.distribution.k8s.TargetServers;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.peers.MotoServer;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointsList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceList;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.ServiceList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ADOT's shipped EKS Container Insights Prometheus configs ({@code adot/config/eks/prometheus}),
 * run unchanged as in a pod against a populated stand-in cluster, each for at least 30 s with its
 * data checked where it lands (CloudWatch Logs, i.e. moto).
 *
 * <p>The cluster: a TLS API server stand-in on 127.0.0.1 ({@link KubeApiServer}, fabric8's mock in
 * CRUD mode) reached in-cluster with each collector's own service account token and the cluster CA
 * at the pod's paths ({@link PodNamespace}). It holds the {@code k8s/nri-kubernetes-1_35} fixture
 * (node, pods, services, endpoints; addresses moved to 127.0.0.1; its kube-dns service, annotated
 * {@code prometheus.io/scrape}, points at a free port serving the CoreDNS exposition fixture; the
 * other annotated one, kube-state-metrics, is seeded without its endpoints, see {@link
 * #seedCluster}), plus one workload for each kind of target the configs' relabel rules select:
 *
 * <ul>
 *   <li>an App Mesh pod whose {@code envoy} container is scraped at {@code :9901/stats/prometheus}
 *       (the {@code envoy} exposition fixture);
 *   <li>a Fluent Bit DaemonSet pod, scraped at {@code :2020/api/v1/metrics/prometheus};
 *   <li>a Tomcat pod with a JMX exporter port {@code :9404};
 *   <li>memcached, NGINX ingress and Redis services annotated with {@code prometheus.io/scrape}
 *       and {@code prometheus.io/port} (free ports), with endpoints that point at their pods.
 * </ul>
 *
 * The targets are real HTTP servers on 127.0.0.1 ({@link TargetServers}); 9901, 2020 and 9404 are
 * fixed by the configs' relabel rules. Each config scrapes every target its rules select (1 min
 * interval, so the first scrape comes at the target's offset, up to a minute after discovery), and
 * its {@code awsemf} exporter writes them to moto, where the test finds, per target, the scrape's
 * {@code up} 1 and, for the metrics that the config's {@code metric_declarations} select, a
 * CloudWatch metric with the declared dimensions and the target's value. Gauges only: the exporter
 * turns counters, summaries and histograms into deltas and drops the first value.
 *
 * <p>Each config runs under its own cluster name ({@code OTEL_RESOURCE_ATTRIBUTES=ClusterName=...},
 * so its own log group) and service account, all at the same time (none binds a fixed port: the
 * test adds a health_check on a free port and moves self-metrics there through extra {@code
 * --config=yaml:} sources). The files refused at validation ({@code config-haproxy.yaml}) are not
 * run; see {@link AdotShippedConfigsIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdotEksPrometheusConfigsIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "datagen-1-35"; // the fixture's node
  private static final String EMF_NAMESPACE = "ContainerInsights/Prometheus";
  /** Fixed by the configs: appmesh's relabel sets :9901, fluentbit's :2020, jmx keeps only :9404. */
  private static final int ENVOY_PORT = 9901;
  private static final int FLUENT_BIT_PORT = 2020;
  private static final int JMX_PORT = 9404;

  /**
   * Upper bound from healthy to every expectation met: discovery, the first scrape (up to the 1 min
   * interval), the export. Several collectors start at once on a small machine, hence the margin.
   */
  static final Duration DATA_TIMEOUT = Duration.ofSeconds(180);

  static final String JOB_ENVOY = "kubernetes-pod-appmesh-envoy";
  static final String JOB_FLUENT_BIT = "kubernetes-pod-fluentbit-plugin";
  static final String JOB_JMX = "kubernetes-pod-jmx";
  static final String JOB_ENDPOINTS = "kubernetes-service-endpoints";

  /** A memcached_exporter's exposition (gauges the config declares, and a counter). */
  static final String MEMCACHED = """
      # HELP memcached_up Could the memcached server be reached.
      # TYPE memcached_up gauge
      memcached_up 1
      # HELP memcached_current_items Current number of items stored by this instance.
      # TYPE memcached_current_items gauge
      memcached_current_items 7
      # HELP memcached_current_connections Current number of open connections.
      # TYPE memcached_current_connections gauge
      memcached_current_connections 3
      # HELP memcached_limit_bytes Number of bytes this server is allowed to use for storage.
      # TYPE memcached_limit_bytes gauge
      memcached_limit_bytes 6.7108864e+07
      # HELP memcached_commands_total Total number of all requests broken down by command (get, set, etc.) and status.
      # TYPE memcached_commands_total counter
      memcached_commands_total{command="get",status="hit"} 120
      memcached_commands_total{command="get",status="miss"} 8
      memcached_commands_total{command="set",status="hit"} 40
      """;

  /** An ingress-nginx controller's exposition (a few of its series). */
  static final String NGINX = """
      # HELP nginx_ingress_controller_nginx_process_connections current number of client connections with state {active, reading, writing, waiting}
      # TYPE nginx_ingress_controller_nginx_process_connections gauge
      nginx_ingress_controller_nginx_process_connections{controller_class="k8s.io/ingress-nginx",controller_namespace="nginx-ingress-sample",controller_pod="nginx-ingress-controller-5d8b9",state="active"} 3
      nginx_ingress_controller_nginx_process_connections{controller_class="k8s.io/ingress-nginx",controller_namespace="nginx-ingress-sample",controller_pod="nginx-ingress-controller-5d8b9",state="waiting"} 2
      # HELP nginx_ingress_controller_config_last_reload_successful Whether the last configuration reload attempt was successful
      # TYPE nginx_ingress_controller_config_last_reload_successful gauge
      nginx_ingress_controller_config_last_reload_successful{controller_class="k8s.io/ingress-nginx",controller_namespace="nginx-ingress-sample",controller_pod="nginx-ingress-controller-5d8b9"} 1
      # HELP nginx_ingress_controller_requests The total number of client requests
      # TYPE nginx_ingress_controller_requests counter
      nginx_ingress_controller_requests{controller_class="k8s.io/ingress-nginx",controller_namespace="nginx-ingress-sample",controller_pod="nginx-ingress-controller-5d8b9",ingress="shop",method="GET",namespace="shop",path="/",service="cart",status="200"} 523
      """;

  /** A redis_exporter's exposition (a few of its series). */
  static final String REDIS = """
      # HELP redis_up Information about the Redis instance
      # TYPE redis_up gauge
      redis_up 1
      # HELP redis_connected_clients connected_clients metric
      # TYPE redis_connected_clients gauge
      redis_connected_clients 4
      # HELP redis_memory_used_bytes memory_used_bytes metric
      # TYPE redis_memory_used_bytes gauge
      redis_memory_used_bytes 1.048576e+06
      # HELP redis_db_keys Total number of keys by DB
      # TYPE redis_db_keys gauge
      redis_db_keys{db="db0"} 12
      # HELP redis_commands_total Total number of calls per command
      # TYPE redis_commands_total counter
      redis_commands_total{cmd="get"} 310
      """;

  /** A JMX exporter's exposition from Tomcat (a few of its series). */
  static final String JMX = """
      # HELP jvm_threads_current Current thread count of a JVM
      # TYPE jvm_threads_current gauge
      jvm_threads_current 42.0
      # HELP jvm_threads_daemon Daemon thread count of a JVM
      # TYPE jvm_threads_daemon gauge
      jvm_threads_daemon 30.0
      # HELP jvm_memory_bytes_used Used bytes of a given JVM memory area.
      # TYPE jvm_memory_bytes_used gauge
      jvm_memory_bytes_used{area="heap",} 5.24288E7
      jvm_memory_bytes_used{area="nonheap",} 3.1457280E7
      # HELP catalina_manager_activesessions Number of active sessions at this moment
      # TYPE catalina_manager_activesessions gauge
      catalina_manager_activesessions{context="/examples",host="localhost",} 2.0
      # HELP jvm_gc_collection_seconds Time spent in a given JVM garbage collector in seconds.
      # TYPE jvm_gc_collection_seconds summary
      jvm_gc_collection_seconds_count{gc="G1 Young Generation",} 12.0
      jvm_gc_collection_seconds_sum{gc="G1 Young Generation",} 0.087
      """;

  /** Fluent Bit's /api/v1/metrics/prometheus (counters only, so only the scrape's own series arrive). */
  static final String FLUENT_BIT = """
      # HELP fluentbit_input_records_total Number of input records.
      # TYPE fluentbit_input_records_total counter
      fluentbit_input_records_total{name="tail.0"} 1532 1733500000000
      # HELP fluentbit_output_proc_records_total Number of processed output records.
      # TYPE fluentbit_output_proc_records_total counter
      fluentbit_output_proc_records_total{name="cloudwatch_logs.0"} 1532 1733500000000
      """;

  /** What must arrive in a config's log group: one metric of one target, with its labels. */
  record Expect(String job, Map<String, String> labels, String metric, double value, Set<String> dimensions, int port) {
    @Override
    public String toString() {
      return job + labels + " " + metric + "=" + value + (dimensions == null ? " (logged)" : " as CloudWatch metric " + dimensions);
    }
  }

  static Set<String> dims(String... names) {
    return new HashSet<>(List.of(names));
  }

  Pki pki;
  KubeApiServer api;
  TargetServers targets;
  MotoServer moto;
  int memcachedPort;
  int nginxPort;
  int redisPort;
  int corednsPort;
  private ExecutorService runPool;
  private final Map<String, Future<?>> runs = new ConcurrentHashMap<>();

  static Stream<String> configs() throws IOException {
    Path dir = AdotShippedConfigsIT.configDir().resolve("eks/prometheus");
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> "eks/prometheus/" + p.getFileName()).filter(n -> n.endsWith(".yaml"))
          .filter(n -> !AdotShippedConfigsIT.REFUSED_OTHERWISE.containsKey(n)).sorted().toList();
      assertThat(names).hasSizeGreaterThan(3);
      return names.stream();
    }
  }

  @BeforeAll
  void startClusterAndRuns(@TempDir Path dir) throws Exception {
    long t0 = System.nanoTime();
    pki = Pki.create(dir.resolve("pki"));
    Path expositions = SharedFiles.fixtures().resolve("expositions");
    String envoy = Files.readString(expositions.resolve("envoy/envoy-stats-prometheus.txt"));
    String coredns = Files.readString(expositions.resolve("coredns/coredns-1.6.9-some_load.txt"));
    targets = new TargetServers((port, path) -> {
      if (port == ENVOY_PORT) {
        return path.equals("/stats/prometheus") ? envoy : null;
      }
      if (port == FLUENT_BIT_PORT) {
        return path.equals("/api/v1/metrics/prometheus") ? FLUENT_BIT : null;
      }
      if (!path.equals("/metrics")) {
        return null;
      }
      return port == JMX_PORT ? JMX : port == memcachedPort ? MEMCACHED : port == nginxPort ? NGINX
          : port == redisPort ? REDIS : port == corednsPort ? coredns : null;
    });
    targets.listen(ENVOY_PORT);
    targets.listen(FLUENT_BIT_PORT);
    targets.listen(JMX_PORT);
    memcachedPort = targets.listen(0);
    nginxPort = targets.listen(0);
    redisPort = targets.listen(0);
    corednsPort = targets.listen(0);
    var motoStarting = java.util.concurrent.CompletableFuture.supplyAsync(() -> MotoServer.start(dir.resolve("moto")));
    api = KubeApiServer.start(0, pki);
    seedCluster();
    moto = motoStarting.join();
    System.out.printf("EKS stand-ins ready after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    List<String> names = configs().toList();
    runPool = Executors.newFixedThreadPool(names.size());
    for (String name : names) {
      Path runDir = dir.resolve(clusterName(name));
      runs.put(name, runPool.submit(() -> {
        runConfig(name, runDir);
        return null;
      }));
    }
  }

  @AfterAll
  void stopCluster() {
    if (runPool != null) {
      runPool.shutdownNow();
    }
    for (AutoCloseable c : new AutoCloseable[] {moto, api, targets}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // best effort
        }
      }
    }
  }

  /** The fixture cluster with every address on 127.0.0.1, plus the workloads the configs look for. */
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
    api.seed("services.json", ServiceList.class, s -> {
      if (s.getMetadata().getName().equals("kube-dns")) {
        s.getMetadata().getAnnotations().put("prometheus.io/port", Integer.toString(corednsPort)); // was 9153
      }
      return s;
    });
    api.seed("endpoints.json", EndpointsList.class, e -> {
      for (EndpointSubset s : e.getSubsets() == null ? List.<EndpointSubset>of() : e.getSubsets()) {
        for (EndpointAddress a : s.getAddresses()) {
          a.setIp("127.0.0.1");
        }
      }
      // Left out: kube-state-metrics' 1,700 series per scrape, logged by four configs at once, made
      // moto (and so the class) several times slower; its service stays, without endpoints.
      return e.getMetadata().getName().equals("e2e-kube-state-metrics") ? null : e;
    });
    api.seed("pods.json", PodList.class, p -> {
      if (p.getStatus().getPodIP() != null) {
        p.getStatus().setPodIP("127.0.0.1");
        p.getStatus().setPodIPs(List.of(new PodIP("127.0.0.1")));
        p.getStatus().setHostIP("127.0.0.1");
      }
      return p;
    });
    List<HasMetadata> own = new ArrayList<>();
    own.add(api.parse(pod("cart-0", "shop", "{app: cart}", "{prometheus.io/port: \"8080\"}", "",
        "[{name: cart, image: shop/cart:1.4, ports: [{name: http, containerPort: 8080}]},"
            + " {name: envoy, image: public.ecr.aws/appmesh/aws-appmesh-envoy:v1.27.2.0-prod, ports: [{name: stats, containerPort: 9901}]}]")));
    own.add(api.parse(pod("fluent-bit-x7k2p", "amazon-cloudwatch", "{k8s-app: fluent-bit}", "{}",
        "ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: fluent-bit, uid: 0d6a5f4e-4b7e-4a8e-9d43-2f8a1c3b5e71, controller: true}]",
        "[{name: fluent-bit, image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0, ports: [{name: metrics, containerPort: 2020}]}]")));
    own.add(api.parse(pod("tomcat-0", "tomcat", "{app: tomcat}", "{}", "",
        "[{name: tomcat, image: tomcat:10, ports: [{name: http, containerPort: 8080}, {name: jmx-metrics, containerPort: 9404}]}]")));
    service(own, "memcached", "memcached-sample", "memcached-0", "metrics", memcachedPort,
        "[{name: memcached, image: memcached:1.6, ports: [{containerPort: 11211}]},"
            + " {name: exporter, image: prom/memcached-exporter:v0.14.2, ports: [{name: metrics, containerPort: " + memcachedPort + "}]}]");
    service(own, "nginx-ingress-controller-metrics", "nginx-ingress-sample", "nginx-ingress-controller-5d8b9", "metrics", nginxPort,
        "[{name: controller, image: registry.k8s.io/ingress-nginx/controller:v1.9.4, ports: [{name: http, containerPort: 80},"
            + " {name: metrics, containerPort: " + nginxPort + "}]}]");
    service(own, "redis-instance-metrics", "redis-sample", "redis-instance", "http-metrics", redisPort,
        "[{name: redis, image: redis:7, ports: [{containerPort: 6379}]},"
            + " {name: redis-exporter, image: oliver006/redis_exporter:v1.55.0, ports: [{name: http-metrics, containerPort: " + redisPort + "}]}]");
    api.createAll(own);
  }

  static String pod(String name, String namespace, String labels, String annotations, String extraMetadata, String containers) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: %s
          labels: %s
          annotations: %s
          %s
        spec:
          nodeName: %s
          containers: %s
        status:
          phase: Running
          podIP: 127.0.0.1
          podIPs: [{ip: 127.0.0.1}]
          hostIP: 127.0.0.1
          conditions: [{type: Ready, status: "True"}]
        """.formatted(name, namespace, labels, annotations, extraMetadata, NODE, containers);
  }

  /** A pod, and a service annotated for scraping on {@code port} with endpoints pointing at the pod. */
  void service(List<HasMetadata> out, String name, String namespace, String podName, String portName, int port, String containers) {
    out.add(api.parse(pod(podName, namespace, "{app: " + name + "}", "{}", "", containers)));
    out.add(api.parse("""
        apiVersion: v1
        kind: Service
        metadata:
          name: %1$s
          namespace: %2$s
          labels: {app: %1$s}
          annotations: {prometheus.io/scrape: "true", prometheus.io/port: "%3$d"}
        spec:
          selector: {app: %1$s}
          ports: [{name: %4$s, port: %3$d, targetPort: %3$d, protocol: TCP}]
        """.formatted(name, namespace, port, portName)));
    out.add(api.parse("""
        apiVersion: v1
        kind: Endpoints
        metadata: {name: %1$s, namespace: %2$s, labels: {app: %1$s}}
        subsets:
        - addresses: [{ip: 127.0.0.1, nodeName: %5$s, targetRef: {kind: Pod, name: %6$s, namespace: %2$s}}]
          ports: [{name: %4$s, port: %3$d, protocol: TCP}]
        """.formatted(name, namespace, port, portName, NODE, podName)));
  }

  static String clusterName(String config) {
    String f = config.substring(config.lastIndexOf('/') + 1);
    return "adot-" + f.substring(0, f.length() - ".yaml".length());
  }

  /** Per job, the scrape of each target the stand-in cluster holds for it: its up 1 arrives, logged. */
  Map<String, List<Expect>> scrapedTargets() {
    Map<String, List<Expect>> m = new LinkedHashMap<>();
    m.put(JOB_ENVOY, List.of(new Expect(JOB_ENVOY, Map.of("pod_name", "cart-0", "Namespace", "shop", "container_name", "envoy",
        "app", "cart", "pod_phase", "Running", "service.instance.id", "127.0.0.1:" + ENVOY_PORT), "up", 1, null, ENVOY_PORT)));
    // the job's last rule writes the node name over container_name (as ADOT ships it)
    m.put(JOB_FLUENT_BIT, List.of(new Expect(JOB_FLUENT_BIT, Map.of("pod_name", "fluent-bit-x7k2p", "Namespace", "amazon-cloudwatch",
        "container_name", NODE, "k8s_app", "fluent-bit", "pod_controller_kind", "DaemonSet", "pod_controller_name", "fluent-bit",
        "service.instance.id", "127.0.0.1:" + FLUENT_BIT_PORT), "up", 1, null, FLUENT_BIT_PORT)));
    m.put(JOB_JMX, List.of(new Expect(JOB_JMX, Map.of("pod_name", "tomcat-0", "Namespace", "tomcat", "container_name", "tomcat",
        "service.instance.id", "127.0.0.1:" + JMX_PORT), "up", 1, null, JMX_PORT)));
    m.put(JOB_ENDPOINTS, List.of(
        new Expect(JOB_ENDPOINTS, Map.of("Service", "memcached", "Namespace", "memcached-sample", "pod_name", "memcached-0",
            "container_name", "exporter", "kubernetes_node", NODE, "app", "memcached"), "up", 1, null, memcachedPort),
        new Expect(JOB_ENDPOINTS, Map.of("Service", "nginx-ingress-controller-metrics", "Namespace", "nginx-ingress-sample",
            "pod_name", "nginx-ingress-controller-5d8b9", "container_name", "controller"), "up", 1, null, nginxPort),
        new Expect(JOB_ENDPOINTS, Map.of("Service", "redis-instance-metrics", "Namespace", "redis-sample", "pod_name", "redis-instance",
            "container_name", "redis-exporter"), "up", 1, null, redisPort),
        // the fixture's CoreDNS, found through the kube-dns service's annotations
        new Expect(JOB_ENDPOINTS, Map.of("Service", "kube-dns", "Namespace", "kube-system", "k8s_app", "kube-dns",
            "pod_name", "coredns-7d764666f9-qdcxt", "container_name", "coredns", "service.instance.id", "127.0.0.1:" + corednsPort),
            "up", 1, null, corednsPort),
        new Expect(JOB_ENDPOINTS, Map.of("Service", "kube-dns", "Namespace", "kube-system"), "coredns_build_info", 1, null,
            corednsPort)));
    return m;
  }

  /** Metrics the config's metric_declarations turn into CloudWatch metrics, with the declared dimensions. */
  List<Expect> measured(String config) {
    Expect envoy = new Expect(JOB_ENVOY, Map.of("pod_name", "cart-0", "Namespace", "shop"), "envoy_server_uptime", 6225,
        dims("ClusterName", "Namespace"), ENVOY_PORT);
    Expect envoyHealthy = new Expect(JOB_ENVOY, Map.of("envoy_cluster_name", "service_envoyproxy_io"),
        "envoy_cluster_membership_healthy", 1, dims("ClusterName", "Namespace"), ENVOY_PORT);
    Expect jvmThreads = new Expect(JOB_JMX, Map.of("pod_name", "tomcat-0", "Namespace", "tomcat"), "jvm_threads_current", 42,
        dims("ClusterName", "Namespace"), JMX_PORT);
    Expect jvmHeap = new Expect(JOB_JMX, Map.of("area", "heap"), "jvm_memory_bytes_used", 5.24288E7,
        dims("ClusterName", "Namespace", "area"), JMX_PORT);
    Expect memcached = new Expect(JOB_ENDPOINTS, Map.of("Service", "memcached", "Namespace", "memcached-sample"),
        "memcached_current_items", 7, dims("Service", "Namespace", "ClusterName"), memcachedPort);
    Expect nginx = new Expect(JOB_ENDPOINTS, Map.of("Service", "nginx-ingress-controller-metrics", "state", "active"),
        "nginx_ingress_controller_nginx_process_connections", 3, dims("Service", "Namespace", "ClusterName"), nginxPort);
    Expect redis = new Expect(JOB_ENDPOINTS, Map.of("pod_name", "redis-instance", "Namespace", "redis-sample"),
        "redis_connected_clients", 4, dims("Namespace", "ClusterName"), redisPort);
    Expect redisKeys = new Expect(JOB_ENDPOINTS, Map.of("pod_name", "redis-instance", "db", "db0"), "redis_db_keys", 12,
        dims("Namespace", "ClusterName", "db"), redisPort);
    return switch (clusterName(config)) {
      case "adot-config-appmesh" -> List.of(envoy, envoyHealthy);
      case "adot-config-jmx" -> List.of(jvmThreads, jvmHeap);
      case "adot-config-memcached" -> List.of(memcached);
      case "adot-config-nginx" -> List.of(nginx);
      case "adot-config-redis" -> List.of(redis, redisKeys);
      case "adot-config-all" -> List.of(envoy, envoyHealthy, jvmThreads, jvmHeap, memcached, nginx, redis, redisKeys);
      default -> throw new AssertionError("no expectations for " + config + ": add the metrics its declarations select");
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void run_discoversScrapesAndExportsToCloudWatchLogsForThirtySecondsThenExitsZero(String name) throws Throwable {
    AdotShippedConfigsIT.await(runs.get(name), Duration.ofMinutes(8));
  }

  void runConfig(String name, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path file = AdotShippedConfigsIT.configDir().resolve(name);
    JsonNode config = YAML.readTree(Files.readString(file));
    assertThat(AdotShippedConfigsIT.pipelines(config).keySet()).allMatch(AdotShippedConfigsIT::isMetrics);
    String cluster = clusterName(name);
    String account = cluster;
    String token = "eyJhbGciOiJSUzI1NiJ9." + cluster + "-token.sig";
    api.addAccount(account, token);
    List<String> jobs = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    config.path("receivers").path("prometheus").path("config").path("scrape_configs").forEach(j -> {
      jobs.add(j.path("job_name").asText());
      j.path("kubernetes_sd_configs").forEach(sd -> roles.add(sd.path("role").asText()));
    });
    assertThat(roles).isNotEmpty();
    Map<String, List<Expect>> byJob = scrapedTargets();
    List<Expect> expected = new ArrayList<>();
    for (String job : jobs) {
      assertThat(byJob).as("stand-in targets for job " + job + " of " + name).containsKey(job);
      expected.addAll(byJob.get(job));
    }
    expected.addAll(measured(name));
    Set<Integer> ports = new LinkedHashSet<>();
    expected.forEach(e -> ports.add(e.port()));

    Path sa = PodNamespace.serviceAccount(dir, token, Files.readString(pki.caCert()), "amazon-cloudwatch");
    int health = FreePorts.find();
    int telemetry = FreePorts.find();
    Map<String, String> env = new TreeMap<>();
    env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(api.port()));
    env.put("OTEL_RESOURCE_ATTRIBUTES", "ClusterName=" + cluster);
    env.put("AWS_REGION", "us-west-2");
    env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_ENDPOINT_URL", moto.endpoint()); // awsemf: CloudWatch Logs on moto
    List<String> cmd = PodNamespace.wrap(List.of(AppDir.launcher().toString(), "--config=" + file,
        "--config=yaml:extensions::health_check::endpoint: 127.0.0.1:" + health,
        "--config=yaml:service::extensions: [health_check]",
        "--config=yaml:service::telemetry::metrics::readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: "
            + telemetry + "}}}}]"), sa);
    try (ExternalProcess p = ExternalProcess.start("otelcol-java", cmd, dir, env)) {
      long started = System.nanoTime();
      targets.watchProcess(p.pid());
      p.awaitHttpOk("http://127.0.0.1:" + health + "/", Duration.ofSeconds(180));
      long healthy = System.nanoTime();
      // Scrape interval 1 min: each target's first scrape comes at its offset, up to 60 s after discovery.
      long deadline = healthy + DATA_TIMEOUT.toNanos();
      List<Expect> missing = expected;
      long scraped = 0;
      while (true) {
        assertThat(p.process().isAlive()).as(name + " still running; log:\n" + p.tail()).isTrue();
        Map<Integer, Map<Long, Integer>> counts = targets.countsByPortAndPid();
        boolean allScraped = ports.stream().allMatch(port -> counts.getOrDefault(port, Map.of()).containsKey(p.pid()));
        if (allScraped) {
          scraped = scraped == 0 ? System.nanoTime() : scraped;
          missing = missing(moto, "/aws/containerinsights/" + cluster + "/prometheus", cluster, expected);
        }
        if (allScraped && missing.isEmpty() && System.nanoTime() - healthy >= AdotShippedConfigsIT.MIN_RUN.toNanos()) {
          break;
        }
        if (System.nanoTime() > deadline) {
          Set<Integer> unscraped = new LinkedHashSet<>(ports);
          unscraped.removeIf(port -> counts.getOrDefault(port, Map.of()).containsKey(p.pid()));
          throw new AssertionError(name + ": within " + DATA_TIMEOUT.toSeconds() + " s of healthy, targets not scraped on ports " + unscraped
              + ", not in CloudWatch Logs: " + missing + "\nAPI requests: " + api.paths(account).stream().distinct().toList()
              + "\nlog:\n" + p.tail());
        }
        Thread.sleep(allScraped ? 4000 : 500);
      }
      assertThat(api.paths(account)).as("API requests with the pod's token").isNotEmpty()
          .allSatisfy(path -> assertThat(path).startsWith("/api"));
      assertThat(allListed(api, account, roles)).as("listed " + roles + ": " + api.paths(account)).isTrue();
      assertThat(api.hits()).as("requests without a valid token").noneMatch(h -> h.account().equals("bad-token")
          || h.account().equals("unauthenticated"));
      long ran = System.nanoTime() - healthy;
      p.terminate();
      int code = p.waitFor(Duration.ofSeconds(30));
      System.out.printf("%s: healthy %.1f s after start, every target scraped %.1f s after healthy, SIGTERM %.1f s after"
          + " healthy, exit %d%n", name, (healthy - started) / 1e9, (scraped - healthy) / 1e9, ran / 1e9, code);
      assertThat(ran).as("time from healthy to SIGTERM").isGreaterThanOrEqualTo(AdotShippedConfigsIT.MIN_RUN.toNanos());
      assertThat(code).as("exit code after SIGTERM; log:\n" + p.tail()).isZero();
      String log = p.logText();
      assertThat(log.lines().filter(l -> l.contains("\terror\t")).toList()).as("error lines; log:\n" + log).isEmpty();
      assertThat(log).doesNotContain("\tat ").as("no JVM warning on stderr").doesNotContain("WARNING: ")
          .doesNotContain(token);
    }
  }

  /** The expectations that no EMF event of the log group meets yet. */
  static List<Expect> missing(MotoServer moto, String group, String cluster, List<Expect> expected) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String message : AdotShippedConfigsIT.emfEvents(moto, group)) {
      events.add(JSON.readTree(message));
    }
    List<Expect> out = new ArrayList<>();
    for (Expect e : expected) {
      if (events.stream().noneMatch(ev -> meets(ev, e, cluster))) {
        out.add(e);
      }
    }
    return out;
  }

  static boolean meets(JsonNode event, Expect e, String cluster) {
    if (!event.path(e.metric()).isNumber() || event.path(e.metric()).asDouble() != e.value()
        || !cluster.equals(event.path("ClusterName").asText()) || !e.job().equals(event.path("job").asText(event.path("TaskId").asText()))
        || !"prometheus".equals(event.path("receiver").asText())) {
      return false;
    }
    for (Map.Entry<String, String> l : e.labels().entrySet()) {
      if (!l.getValue().equals(event.path(l.getKey()).asText(null))) {
        return false;
      }
    }
    if (e.dimensions() == null) {
      return true;
    }
    for (JsonNode directive : event.path("_aws").path("CloudWatchMetrics")) {
      if (!EMF_NAMESPACE.equals(directive.path("Namespace").asText())) {
        continue;
      }
      boolean named = false;
      for (JsonNode m : directive.path("Metrics")) {
        named |= e.metric().equals(m.path("Name").asText());
      }
      for (JsonNode set : directive.path("Dimensions")) {
        Set<String> s = new HashSet<>();
        set.forEach(d -> s.add(d.asText()));
        if (named && s.equals(e.dimensions())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the collector asked for every role's objects (pod, endpoints, service, node...). */
  private static boolean allListed(KubeApiServer api, String account, List<String> roles) {
    List<String> paths = api.paths(account);
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
