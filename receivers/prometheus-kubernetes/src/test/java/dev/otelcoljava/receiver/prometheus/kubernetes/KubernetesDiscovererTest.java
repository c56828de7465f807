package dev.otelcoljava.receiver.prometheus.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;
import dev.otelcoljava.receiver.prometheus.discovery.Discoverer;
import io.fabric8.kubernetes.api.model.EndpointsList;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.ServiceList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesDiscovererTest {
  private static final System.Logger LOGGER = System.getLogger("k8s-sd-test");
  private MockApi api;
  private Discoverer discoverer;

  @BeforeEach
  void setUp() throws Exception {
    api = new MockApi();
  }

  @AfterEach
  void tearDown() {
    if (discoverer != null) {
      discoverer.close();
    }
    api.close();
  }

  private GroupCollector discover(KubernetesSdConfig sd) throws Exception {
    discoverer = new FabricKubernetesDiscovererProvider(
        new ClusterEnvironment(Path.of("/nonexistent"), Map.of()), 100).create(sd, "test", LOGGER);
    return GroupCollector.start(discoverer);
  }

  private static Map<String, String> m(String... kv) {
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  private static final String FARGATE_NODE = """
      apiVersion: v1
      kind: Node
      metadata:
        name: fargate-ip-10-0-1-5.ec2.internal
        labels:
          eks.amazonaws.com/compute-type: fargate
          topology.kubernetes.io/zone: us-east-1a
        annotations:
          node.alpha.kubernetes.io/ttl: "0"
      spec:
        providerID: aws:///us-east-1a/fargate-ip-10-0-1-5
      status:
        addresses:
        - {type: Hostname, address: ip-10-0-1-5.ec2.internal}
        - {type: InternalIP, address: 10.0.1.5}
        - {type: InternalIP, address: 10.0.1.6}
        daemonEndpoints:
          kubeletEndpoint: {Port: 10250}
        conditions:
        - {type: Ready, status: "True"}
      """;

  @Test
  void node_fixtureAndFargateNode_exactLabels() throws Exception {
    api.seed("nodes.json", NodeList.class);
    api.create(api.parse(FARGATE_NODE));
    GroupCollector c = discover(api.sd("node"));
    c.await("two nodes", x -> x.current.size() == 2);
    assertThat(c.targets("node/fargate-ip-10-0-1-5.ec2.internal")).containsExactly(m(
        "__address__", "10.0.1.5:10250",
        "instance", "fargate-ip-10-0-1-5.ec2.internal",
        "__meta_kubernetes_node_name", "fargate-ip-10-0-1-5.ec2.internal",
        "__meta_kubernetes_node_provider_id", "aws:///us-east-1a/fargate-ip-10-0-1-5",
        "__meta_kubernetes_node_condition_ready", "true",
        "__meta_kubernetes_node_address_InternalIP", "10.0.1.5",
        "__meta_kubernetes_node_address_Hostname", "ip-10-0-1-5.ec2.internal",
        "__meta_kubernetes_node_label_eks_amazonaws_com_compute_type", "fargate",
        "__meta_kubernetes_node_labelpresent_eks_amazonaws_com_compute_type", "true",
        "__meta_kubernetes_node_label_topology_kubernetes_io_zone", "us-east-1a",
        "__meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone", "true",
        "__meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl", "0",
        "__meta_kubernetes_node_annotationpresent_node_alpha_kubernetes_io_ttl", "true"));
    Map<String, String> fixture = c.targets("node/datagen-1-35").get(0);
    assertThat(fixture)
        .containsEntry("__address__", "192.168.67.2:10250")
        .containsEntry("instance", "datagen-1-35")
        .containsEntry("__meta_kubernetes_node_address_InternalIP", "192.168.67.2")
        .containsEntry("__meta_kubernetes_node_address_Hostname", "datagen-1-35")
        .containsEntry("__meta_kubernetes_node_label_kubernetes_io_hostname", "datagen-1-35")
        .containsEntry("__meta_kubernetes_node_condition_memorypressure", "false")
        .containsEntry("__meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane", "true")
        // an empty label value is an absent label, as in Prometheus' label builder
        .doesNotContainKey("__meta_kubernetes_node_label_node_role_kubernetes_io_control_plane")
        .doesNotContainKey("__meta_kubernetes_node_provider_id");
  }

  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-1
        namespace: shop
        uid: 11111111-2222
        labels: {app: web, app.kubernetes.io/name: web}
        annotations: {prometheus.io/scrape: "true"}
        ownerReferences:
        - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9, uid: rs-1, controller: true}
      spec:
        nodeName: node-a
        initContainers:
        - name: setup
          image: busybox:1
        containers:
        - name: app
          image: shop/web:2
          ports:
          - {name: http, containerPort: 8080, protocol: TCP}
          - {name: metrics, containerPort: 9090, protocol: TCP}
        - name: envoy
          image: envoy:1.27
      status:
        phase: Running
        podIP: 10.1.0.7
        hostIP: 192.168.1.10
        conditions:
        - {type: Ready, status: "True"}
        containerStatuses:
        - {name: app, containerID: "containerd://aaa", image: shop/web:2, imageID: x, ready: true, restartCount: 0}
        - {name: envoy, containerID: "containerd://bbb", image: envoy:1.27, imageID: y, ready: true, restartCount: 0}
        initContainerStatuses:
        - {name: setup, containerID: "containerd://ccc", image: busybox:1, imageID: z, ready: false, restartCount: 0}
      """;

  private Map<String, String> podCommon() {
    return m(
        "__meta_kubernetes_namespace", "shop",
        "__meta_kubernetes_pod_name", "web-1",
        "__meta_kubernetes_pod_ip", "10.1.0.7",
        "__meta_kubernetes_pod_ready", "true",
        "__meta_kubernetes_pod_phase", "Running",
        "__meta_kubernetes_pod_node_name", "node-a",
        "__meta_kubernetes_pod_host_ip", "192.168.1.10",
        "__meta_kubernetes_pod_uid", uid("shop", "web-1"),
        "__meta_kubernetes_pod_controller_kind", "ReplicaSet",
        "__meta_kubernetes_pod_controller_name", "web-5d9",
        "__meta_kubernetes_pod_label_app", "web",
        "__meta_kubernetes_pod_labelpresent_app", "true",
        "__meta_kubernetes_pod_label_app_kubernetes_io_name", "web",
        "__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true",
        "__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true",
        "__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true");
  }

  /** The mock server assigns uids on create. */
  private String uid(String ns, String name) {
    return api.client().pods().inNamespace(ns).withName(name).get().getMetadata().getUid();
  }

  private static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> out = new TreeMap<>(base);
    out.putAll(m(kv));
    return out;
  }

  @Test
  void pod_portsNoPortsAndInitContainers_exactLabels() throws Exception {
    api.create(api.parse(POD));
    GroupCollector c = discover(api.sd("pod"));
    c.await("pod", x -> x.current.containsKey("pod/shop/web-1"));
    String p = "__meta_kubernetes_pod_container_";
    assertThat(c.targets("pod/shop/web-1")).containsExactlyInAnyOrder(
        with(podCommon(), "__address__", "10.1.0.7:8080", p + "name", "app", p + "id", "containerd://aaa",
            p + "image", "shop/web:2", p + "port_name", "http", p + "port_number", "8080",
            p + "port_protocol", "TCP", p + "init", "false"),
        with(podCommon(), "__address__", "10.1.0.7:9090", p + "name", "app", p + "id", "containerd://aaa",
            p + "image", "shop/web:2", p + "port_name", "metrics", p + "port_number", "9090",
            p + "port_protocol", "TCP", p + "init", "false"),
        with(podCommon(), "__address__", "10.1.0.7", p + "name", "envoy", p + "id", "containerd://bbb",
            p + "image", "envoy:1.27", p + "init", "false"),
        with(podCommon(), "__address__", "10.1.0.7", p + "name", "setup", p + "id", "containerd://ccc",
            p + "image", "busybox:1", p + "init", "true"));
  }

  @Test
  void pod_attachNodeMetadata_addsNodeLabels() throws Exception {
    api.create(api.parse(POD));
    api.create(api.parse(FARGATE_NODE.replace("fargate-ip-10-0-1-5.ec2.internal", "node-a")));
    GroupCollector c = discover(api.sd("pod", List.of(), List.of(), true));
    c.await("pod", x -> x.current.containsKey("pod/shop/web-1"));
    assertThat(c.targets("pod/shop/web-1")).allSatisfy(t -> assertThat(t)
        .containsEntry("__meta_kubernetes_node_name", "node-a")
        .containsEntry("__meta_kubernetes_node_label_eks_amazonaws_com_compute_type", "fargate")
        .containsEntry("__meta_kubernetes_node_labelpresent_eks_amazonaws_com_compute_type", "true"));
    // a node label change reaches the pod's targets
    var node = api.client().nodes().withName("node-a").get();
    node.getMetadata().getLabels().put("eks.amazonaws.com/compute-type", "ec2");
    api.client().resource(node).update();
    c.await("node relabel", x -> x.targets("pod/shop/web-1").stream()
        .allMatch(t -> "ec2".equals(t.get("__meta_kubernetes_node_label_eks_amazonaws_com_compute_type"))));
  }

  @Test
  void endpoints_fixtureKubeDns_podBackedAndUnboundPorts() throws Exception {
    api.seed("pods.json", PodList.class);
    api.seed("services.json", ServiceList.class);
    api.seed("endpoints.json", EndpointsList.class);
    GroupCollector c = discover(api.sd("endpoints"));
    c.await("kube-dns", x -> x.current.containsKey("endpoints/kube-system/kube-dns"));
    Map<String, String> common = m(
        "__meta_kubernetes_namespace", "kube-system",
        "__meta_kubernetes_endpoints_name", "kube-dns",
        "__meta_kubernetes_endpoints_label_endpoints_kubernetes_io_managed_by", "endpoint-controller",
        "__meta_kubernetes_endpoints_labelpresent_endpoints_kubernetes_io_managed_by", "true",
        "__meta_kubernetes_endpoints_label_k8s_app", "kube-dns",
        "__meta_kubernetes_endpoints_labelpresent_k8s_app", "true",
        "__meta_kubernetes_endpoints_label_kubernetes_io_cluster_service", "true",
        "__meta_kubernetes_endpoints_labelpresent_kubernetes_io_cluster_service", "true",
        "__meta_kubernetes_endpoints_label_kubernetes_io_name", "CoreDNS",
        "__meta_kubernetes_endpoints_labelpresent_kubernetes_io_name", "true",
        "__meta_kubernetes_endpoints_annotation_endpoints_kubernetes_io_last_change_trigger_time", "2026-06-26T10:12:40Z",
        "__meta_kubernetes_endpoints_annotationpresent_endpoints_kubernetes_io_last_change_trigger_time", "true",
        "__meta_kubernetes_pod_name", "coredns-7d764666f9-qdcxt",
        "__meta_kubernetes_pod_ip", "10.244.0.2",
        "__meta_kubernetes_pod_ready", "true",
        "__meta_kubernetes_pod_phase", "Running",
        "__meta_kubernetes_pod_node_name", "datagen-1-35",
        "__meta_kubernetes_pod_host_ip", "192.168.67.2",
        "__meta_kubernetes_pod_uid", uid("kube-system", "coredns-7d764666f9-qdcxt"),
        "__meta_kubernetes_pod_controller_kind", "ReplicaSet",
        "__meta_kubernetes_pod_controller_name", "coredns-7d764666f9",
        "__meta_kubernetes_pod_label_k8s_app", "kube-dns",
        "__meta_kubernetes_pod_labelpresent_k8s_app", "true",
        "__meta_kubernetes_pod_label_pod_template_hash", "7d764666f9",
        "__meta_kubernetes_pod_labelpresent_pod_template_hash", "true");
    // service labels (kube-dns service in the fixture)
    Map<String, String> svc = c.targets("endpoints/kube-system/kube-dns").get(0);
    assertThat(svc).containsEntry("__meta_kubernetes_service_name", "kube-dns")
        .containsEntry("__meta_kubernetes_service_label_k8s_app", "kube-dns");
    Map<String, String> svcLabels = new TreeMap<>();
    svc.forEach((k, v) -> {
      if (k.startsWith("__meta_kubernetes_service_")) {
        svcLabels.put(k, v);
      }
    });
    common.putAll(svcLabels);
    String cp = "__meta_kubernetes_pod_container_";
    String ep = "__meta_kubernetes_endpoint_";
    Map<String, String> bound = with(common, ep + "ready", "true", ep + "node_name", "datagen-1-35",
        ep + "address_target_kind", "Pod", ep + "address_target_name", "coredns-7d764666f9-qdcxt",
        cp + "name", "coredns", cp + "image", "registry.k8s.io/coredns/coredns:v1.13.1");
    assertThat(c.targets("endpoints/kube-system/kube-dns")).containsExactlyInAnyOrder(
        with(bound, "__address__", "10.244.0.2:9153", ep + "port_name", "metrics", ep + "port_protocol", "TCP",
            cp + "port_name", "metrics", cp + "port_number", "9153", cp + "port_protocol", "TCP"),
        // Prometheus takes the first container port with the number (here "dns"), protocol of the endpoint port
        with(bound, "__address__", "10.244.0.2:53", ep + "port_name", "dns-tcp", ep + "port_protocol", "TCP",
            cp + "port_name", "dns", cp + "port_number", "53", cp + "port_protocol", "TCP"),
        with(bound, "__address__", "10.244.0.2:53", ep + "port_name", "dns", ep + "port_protocol", "UDP",
            cp + "port_name", "dns", cp + "port_number", "53", cp + "port_protocol", "UDP"),
        // unbound container ports of the backing pod
        with(common, "__address__", "10.244.0.2:8080", cp + "name", "coredns",
            cp + "image", "registry.k8s.io/coredns/coredns:v1.13.1", cp + "port_name", "liveness-probe",
            cp + "port_number", "8080", cp + "port_protocol", "TCP"),
        with(common, "__address__", "10.244.0.2:8181", cp + "name", "coredns",
            cp + "image", "registry.k8s.io/coredns/coredns:v1.13.1", cp + "port_name", "readiness-probe",
            cp + "port_number", "8181", cp + "port_protocol", "TCP"));
    // the apiserver job of the managed-scraper scenario keeps default/kubernetes/https
    assertThat(c.targets("endpoints/default/kubernetes")).anySatisfy(t -> assertThat(t)
        .containsEntry("__meta_kubernetes_namespace", "default")
        .containsEntry("__meta_kubernetes_service_name", "kubernetes")
        .containsEntry("__meta_kubernetes_endpoint_port_name", "https"));
  }

  @Test
  void service_exactLabels() throws Exception {
    api.create(api.parse("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          type: LoadBalancer
          clusterIP: 10.96.0.20
          loadBalancerIP: 203.0.113.9
          ports:
          - {name: http, port: 80, protocol: TCP, targetPort: 8080}
        """));
    api.create(api.parse("""
        apiVersion: v1
        kind: Service
        metadata: {name: ext, namespace: shop}
        spec:
          type: ExternalName
          externalName: db.example.com
          ports:
          - {port: 5432, protocol: TCP}
        """));
    GroupCollector c = discover(api.sd("service"));
    c.await("services", x -> x.current.size() == 2);
    String s = "__meta_kubernetes_service_";
    assertThat(c.targets("svc/shop/web")).containsExactly(m(
        "__address__", "web.shop.svc:80", "__meta_kubernetes_namespace", "shop", s + "name", "web",
        s + "label_app", "web", s + "labelpresent_app", "true", s + "type", "LoadBalancer",
        s + "cluster_ip", "10.96.0.20", s + "loadbalancer_ip", "203.0.113.9", s + "port_name", "http",
        s + "port_number", "80", s + "port_protocol", "TCP"));
    assertThat(c.targets("svc/shop/ext")).containsExactly(m(
        "__address__", "ext.shop.svc:5432", "__meta_kubernetes_namespace", "shop", s + "name", "ext",
        s + "type", "ExternalName", s + "external_name", "db.example.com", s + "port_number", "5432",
        s + "port_protocol", "TCP"));
  }

  @Test
  void endpointSlice_exactLabels() throws Exception {
    api.create(api.parse(POD));
    api.create(api.parse("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {clusterIP: 10.96.0.20, ports: [{name: http, port: 80, targetPort: 8080}]}
        """));
    api.create(api.parse("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-abc
          namespace: shop
          labels: {kubernetes.io/service-name: web}
        addressType: IPv4
        ports:
        - {name: http, port: 8080, protocol: TCP, appProtocol: http}
        endpoints:
        - addresses: [10.1.0.7]
          conditions: {ready: true, serving: true, terminating: false}
          nodeName: node-a
          zone: us-east-1a
          targetRef: {kind: Pod, name: web-1, namespace: shop}
        """));
    GroupCollector c = discover(api.sd("endpointslice"));
    c.await("slice", x -> x.current.containsKey("endpointslice/shop/web-abc"));
    String e = "__meta_kubernetes_endpointslice_";
    Map<String, String> common = new TreeMap<>(podCommon());
    common.putAll(m(e + "name", "web-abc", e + "address_type", "IPv4",
        e + "label_kubernetes_io_service_name", "web", e + "labelpresent_kubernetes_io_service_name", "true",
        "__meta_kubernetes_service_name", "web"));
    String cp = "__meta_kubernetes_pod_container_";
    assertThat(c.targets("endpointslice/shop/web-abc")).containsExactlyInAnyOrder(
        with(common, "__address__", "10.1.0.7:8080", e + "port", "8080", e + "port_name", "http",
            e + "port_protocol", "TCP", e + "port_app_protocol", "http",
            e + "endpoint_conditions_ready", "true", e + "endpoint_conditions_serving", "true",
            e + "endpoint_conditions_terminating", "false", e + "endpoint_node_name", "node-a",
            e + "endpoint_zone", "us-east-1a", e + "address_target_kind", "Pod", e + "address_target_name", "web-1",
            cp + "name", "app", cp + "image", "shop/web:2", cp + "port_name", "http", cp + "port_number", "8080",
            cp + "port_protocol", "TCP"),
        with(common, "__address__", "10.1.0.7:9090", cp + "name", "app", cp + "image", "shop/web:2",
            cp + "port_name", "metrics", cp + "port_number", "9090", cp + "port_protocol", "TCP"));
  }

  @Test
  void ingress_exactLabels() throws Exception {
    api.create(api.parse("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop, namespace: shop}
        spec:
          ingressClassName: alb
          tls: [{hosts: ["*.example.com"]}]
          rules:
          - host: api.example.com
            http:
              paths:
              - {path: /v1, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
              - {pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - host: plain.test
        """));
    GroupCollector c = discover(api.sd("ingress"));
    c.await("ingress", x -> x.current.containsKey("ingress/shop/shop"));
    String i = "__meta_kubernetes_ingress_";
    Map<String, String> common = m("__meta_kubernetes_namespace", "shop", i + "name", "shop", i + "class_name", "alb");
    assertThat(c.targets("ingress/shop/shop")).containsExactlyInAnyOrder(
        with(common, "__address__", "api.example.com", i + "scheme", "https", i + "host", "api.example.com", i + "path", "/v1"),
        with(common, "__address__", "api.example.com", i + "scheme", "https", i + "host", "api.example.com", i + "path", "/"),
        with(common, "__address__", "plain.test", i + "scheme", "http", i + "host", "plain.test", i + "path", "/"));
  }

  @Test
  void pod_addChangeDelete_updatesAndRemovesGroups() throws Exception {
    GroupCollector c = discover(api.sd("pod"));
    assertThat(c.current).isEmpty();
    Pod pod = api.create(api.parse(POD));
    c.await("added", x -> x.targets("pod/shop/web-1").size() == 4);
    pod.getMetadata().getLabels().put("app", "web2");
    api.client().resource(pod).update();
    c.await("relabelled", x -> x.targets("pod/shop/web-1").stream()
        .allMatch(t -> "web2".equals(t.get("__meta_kubernetes_pod_label_app"))));
    api.client().resource(pod).delete();
    c.await("removed", x -> !x.current.containsKey("pod/shop/web-1"));
    assertThat(c.updates.get(c.updates.size() - 1))
        .anySatisfy(g -> assertThat(g.source()).isEqualTo("pod/shop/web-1"))
        .allSatisfy(g -> assertThat(g.targets()).isEmpty());
  }

  @Test
  void apiServerRestart_losesNoTargetAndResumes() throws Exception {
    api.seed("pods.json", PodList.class);
    GroupCollector c = discover(api.sd("pod"));
    int pods = c.current.size();
    assertThat(pods).isEqualTo(24); // 25 fixture pods, one pending without an IP
    int before = c.targets().size();
    api.stop();
    Thread.sleep(300); // let the watch notice the outage (not a timing assertion)
    assertThat(c.current).hasSize(pods);
    api.start();
    api.awaitWatch("pods");
    api.create(api.parse(POD));
    c.await("new pod after restart", x -> x.current.containsKey("pod/shop/web-1"));
    assertThat(c.current).hasSize(pods + 1);
    assertThat(c.targets()).hasSize(before + 4);
    // after the initial full list (which holds the IP-less pending pod's empty group), no update
    // removed a target: the outage and the re-list sent only the new pod
    for (var update : c.updates.subList(1, c.updates.size())) {
      assertThat(update).allSatisfy(g -> assertThat(g.targets()).isNotEmpty());
    }
    // the resumed watch also delivers deletions
    api.client().pods().inNamespace("kube-system").withName("kube-proxy-8k9zt").delete();
    c.await("deleted after restart", x -> !x.current.containsKey("pod/kube-system/kube-proxy-8k9zt"));
  }

  @Test
  void fieldSelector_sentToApiServer_andFilters() throws Exception {
    api.create(api.parse(POD));
    api.create(api.parse(POD.replace("web-1", "web-2").replace("node-a", "node-b")));
    // the DaemonSet scenario's selector reaches the API server as a fieldSelector
    GroupCollector c = discover(api.sd("pod", List.of(), List.of(
        new KubernetesSdConfig.Selector("pod", "", "spec.nodeName=node-a")), false));
    boolean seen = api.requests().stream()
        .anyMatch(r -> r.getPath().contains("fieldSelector=spec.nodeName%3Dnode-a"));
    assertThat(seen).as("list/watch with fieldSelector=spec.nodeName=node-a").isTrue();
    discoverer.close();
    // the mock server evaluates only metadata.* field selectors: filtering checked with metadata.name
    c = discover(api.sd("pod", List.of(), List.of(
        new KubernetesSdConfig.Selector("pod", "", "metadata.name=web-1")), false));
    c.await("filtered", x -> x.current.size() == 1);
    assertThat(c.current.keySet()).containsExactly("pod/shop/web-1");
  }

  @Test
  void namespacesAndLabelSelector_restrictDiscovery() throws Exception {
    api.create(api.parse(POD));
    api.create(api.parse(POD.replace("web-1", "web-2").replace("app: web,", "app: db,")));
    api.create(api.parse(POD.replace("web-1", "web-3").replace("namespace: shop", "namespace: other")));
    GroupCollector c = discover(api.sd("pod", List.of("shop"), List.of(
        new KubernetesSdConfig.Selector("pod", "app=web", "")), false));
    c.await("shop app=web", x -> x.current.size() == 1);
    assertThat(c.current.keySet()).containsExactly("pod/shop/web-1");
  }

  @Test
  void ownNamespace_readFromServiceAccountDir(@TempDir Path sa) throws Exception {
    Files.writeString(sa.resolve("namespace"), "other\n");
    api.create(api.parse(POD));
    api.create(api.parse(POD.replace("web-1", "web-3").replace("namespace: shop", "namespace: other")));
    KubernetesSdConfig base = api.sd("pod");
    KubernetesSdConfig sd = new KubernetesSdConfig("pod", base.apiServer(), "", true, List.of(), List.of(),
        base.attachMetadata(), base.http());
    discoverer = new FabricKubernetesDiscovererProvider(new ClusterEnvironment(sa, Map.of()), 100).create(sd, "t", LOGGER);
    GroupCollector c = GroupCollector.start(discoverer);
    c.await("own namespace", x -> x.current.size() == 1);
    assertThat(c.current.keySet()).containsExactly("pod/other/web-3");
  }

  @Test
  void apiServerDownAtStart_discoversOnceItIsUp() throws Exception {
    api.create(api.parse(POD));
    api.stop();
    discoverer = new FabricKubernetesDiscovererProvider(
        new ClusterEnvironment(Path.of("/nonexistent"), Map.of()), 100).create(api.sd("pod"), "test", LOGGER);
    GroupCollector c = new GroupCollector();
    discoverer.start(c); // does not block while the API server is unreachable
    assertThat(c.updates).isEmpty();
    api.start();
    c.await("pod once the API server is up", x -> x.current.containsKey("pod/shop/web-1"));
  }

  @Test
  void endpoints_podAndServiceChanges_rebuildGroup() throws Exception {
    api.create(api.parse(POD));
    api.create(api.parse("""
        apiVersion: v1
        kind: Endpoints
        metadata: {name: web, namespace: shop}
        subsets:
        - addresses: [{ip: 10.1.0.7, targetRef: {kind: Pod, name: web-1, namespace: shop}}]
          notReadyAddresses: [{ip: 10.1.0.8, hostname: web-x}]
          ports: [{name: http, port: 8080, protocol: TCP}]
        """));
    GroupCollector c = discover(api.sd("endpoints"));
    c.await("endpoints", x -> x.targets("endpoints/shop/web").size() == 3);
    assertThat(c.targets("endpoints/shop/web")).anySatisfy(t -> assertThat(t)
        .containsEntry("__address__", "10.1.0.8:8080")
        .containsEntry("__meta_kubernetes_endpoint_ready", "false")
        .containsEntry("__meta_kubernetes_endpoint_hostname", "web-x")
        .doesNotContainKey("__meta_kubernetes_pod_name"));
    api.create(api.parse("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop, labels: {tier: front}}
        spec: {clusterIP: 10.96.0.20, ports: [{name: http, port: 80, targetPort: 8080}]}
        """));
    c.await("service labels", x -> x.targets("endpoints/shop/web").stream()
        .allMatch(t -> "front".equals(t.get("__meta_kubernetes_service_label_tier"))));
    Pod pod = api.client().pods().inNamespace("shop").withName("web-1").get();
    pod.getMetadata().getLabels().put("version", "v2");
    api.client().resource(pod).update();
    c.await("pod labels", x -> x.targets("endpoints/shop/web").stream()
        .filter(t -> t.containsKey("__meta_kubernetes_pod_name"))
        .allMatch(t -> "v2".equals(t.get("__meta_kubernetes_pod_label_version"))));
    api.client().endpoints().inNamespace("shop").withName("web").delete();
    c.await("endpoints removed", x -> !x.current.containsKey("endpoints/shop/web"));
  }
}
