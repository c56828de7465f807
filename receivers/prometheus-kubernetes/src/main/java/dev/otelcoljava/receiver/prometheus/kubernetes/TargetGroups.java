package dev.otelcoljava.receiver.prometheus.kubernetes;

import dev.otelcoljava.receiver.prometheus.discovery.TargetGroup;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds Prometheus' target groups from Kubernetes objects, one function per role, with the
 * {@code __meta_kubernetes_*} labels and {@code __address__} rules of Prometheus' Kubernetes
 * discovery. Group sources are Prometheus' ({@code node/<name>}, {@code pod/<ns>/<name>}, {@code
 * svc/<ns>/<name>}, {@code endpoints/<ns>/<name>}, {@code endpointslice/<ns>/<name>}, {@code
 * ingress/<ns>/<name>}). Stateless; related objects come from a {@link Lookup}.
 */
final class TargetGroups {
  static final String META = "__meta_kubernetes_";
  static final String ADDRESS = "__address__";
  static final String NAMESPACE = META + "namespace";
  private static final String PRESENT = "true";

  private TargetGroups() {}

  /** Related objects (from the informer caches); each returns null when unknown. */
  interface Lookup {
    Pod pod(String namespace, String name);

    Service service(String namespace, String name);

    /** Null also when node metadata is not attached. */
    Node node(String name);
  }

  static TargetGroup empty(String source) {
    return new TargetGroup(source, List.of(), Labels.EMPTY);
  }

  // ---------------------------------------------------------------- node

  static String nodeSource(String name) {
    return "node/" + name;
  }

  static TargetGroup node(Node node) {
    String name = node.getMetadata().getName();
    Map<String, String> group = new LinkedHashMap<>();
    group.put(META + "node_provider_id", node.getSpec() == null ? "" : node.getSpec().getProviderID());
    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
      for (NodeCondition c : node.getStatus().getConditions()) {
        if (c.getType() != null) {
          group.put(
              META + "node_condition_" + sanitize(c.getType().toLowerCase(Locale.ROOT)),
              c.getStatus() == null ? "" : c.getStatus().toLowerCase(Locale.ROOT));
        }
      }
    }
    addObjectMeta(group, node.getMetadata(), "node");

    Map<String, List<String>> byType = new LinkedHashMap<>();
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (NodeAddress a : node.getStatus().getAddresses()) {
        byType.computeIfAbsent(a.getType(), k -> new ArrayList<>()).add(a.getAddress());
      }
    }
    String host = null;
    for (String type :
        List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname")) {
      List<String> as = byType.get(type);
      if (as != null) {
        host = as.get(0);
        break;
      }
    }
    if (host == null) {
      // Prometheus logs "No node address found" and sends no group for the node.
      return null;
    }
    int port = 0;
    if (node.getStatus().getDaemonEndpoints() != null
        && node.getStatus().getDaemonEndpoints().getKubeletEndpoint() != null
        && node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort() != null) {
      port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
    }
    Map<String, String> t = new LinkedHashMap<>();
    t.put(ADDRESS, joinHostPort(host, Integer.toString(port)));
    t.put("instance", name);
    for (Map.Entry<String, List<String>> e : byType.entrySet()) {
      t.put(sanitize(META + "node_address_" + e.getKey()), e.getValue().get(0));
    }
    return new TargetGroup(nodeSource(name), List.of(labels(t)), labels(group));
  }

  // ---------------------------------------------------------------- pod

  static String podSource(String namespace, String name) {
    return "pod/" + namespace + "/" + name;
  }

  static Map<String, String> podLabels(Pod pod) {
    Map<String, String> ls = new LinkedHashMap<>();
    ls.put(META + "pod_ip", pod.getStatus() == null ? "" : pod.getStatus().getPodIP());
    ls.put(META + "pod_ready", podReady(pod));
    ls.put(META + "pod_phase", pod.getStatus() == null ? "" : pod.getStatus().getPhase());
    ls.put(META + "pod_node_name", pod.getSpec() == null ? "" : pod.getSpec().getNodeName());
    ls.put(META + "pod_host_ip", pod.getStatus() == null ? "" : pod.getStatus().getHostIP());
    ls.put(META + "pod_uid", pod.getMetadata().getUid());
    addObjectMeta(ls, pod.getMetadata(), "pod");
    if (pod.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
        if (Boolean.TRUE.equals(ref.getController())) {
          ls.put(META + "pod_controller_kind", ref.getKind());
          ls.put(META + "pod_controller_name", ref.getName());
          break;
        }
      }
    }
    return ls;
  }

  static String podReady(Pod pod) {
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) {
          return c.getStatus() == null ? "" : c.getStatus().toLowerCase(Locale.ROOT);
        }
      }
    }
    return "unknown";
  }

  static TargetGroup pod(Pod pod, Lookup lookup) {
    String ns = pod.getMetadata().getNamespace();
    String source = podSource(ns, pod.getMetadata().getName());
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    // PodIP is empty while a pod starts or after eviction: Prometheus sends an empty group.
    if (ip == null || ip.isEmpty()) {
      return empty(source);
    }
    Map<String, String> group = podLabels(pod);
    group.put(NAMESPACE, ns);
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
      addNodeLabels(group, lookup.node(pod.getSpec().getNodeName()));
    }
    List<Labels> targets = new ArrayList<>();
    List<Container> containers = new ArrayList<>();
    int regular = 0;
    if (pod.getSpec() != null) {
      containers.addAll(nonNull(pod.getSpec().getContainers()));
      regular = containers.size();
      containers.addAll(nonNull(pod.getSpec().getInitContainers()));
    }
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      boolean init = i >= regular;
      List<ContainerStatus> statuses =
          init ? pod.getStatus().getInitContainerStatuses() : pod.getStatus().getContainerStatuses();
      String id = "";
      for (ContainerStatus s : nonNull(statuses)) {
        if (c.getName().equals(s.getName())) {
          id = s.getContainerID();
          break;
        }
      }
      List<ContainerPort> ports = nonNull(c.getPorts());
      if (ports.isEmpty()) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(ADDRESS, ip);
        t.put(META + "pod_container_name", c.getName());
        t.put(META + "pod_container_id", id);
        t.put(META + "pod_container_image", c.getImage());
        t.put(META + "pod_container_init", Boolean.toString(init));
        targets.add(labels(t));
        continue;
      }
      for (ContainerPort p : ports) {
        String port = String.valueOf(p.getContainerPort());
        Map<String, String> t = new LinkedHashMap<>();
        t.put(ADDRESS, joinHostPort(ip, port));
        t.put(META + "pod_container_name", c.getName());
        t.put(META + "pod_container_id", id);
        t.put(META + "pod_container_image", c.getImage());
        t.put(META + "pod_container_port_number", port);
        t.put(META + "pod_container_port_name", p.getName());
        t.put(META + "pod_container_port_protocol", p.getProtocol());
        t.put(META + "pod_container_init", Boolean.toString(init));
        targets.add(labels(t));
      }
    }
    return new TargetGroup(source, targets, labels(group));
  }

  // ---------------------------------------------------------------- service

  static String serviceSource(String namespace, String name) {
    return "svc/" + namespace + "/" + name;
  }

  static Map<String, String> serviceLabels(Service svc) {
    Map<String, String> ls = new LinkedHashMap<>();
    ls.put(NAMESPACE, svc.getMetadata().getNamespace());
    addObjectMeta(ls, svc.getMetadata(), "service");
    return ls;
  }

  static TargetGroup service(Service svc) {
    String ns = svc.getMetadata().getNamespace();
    String name = svc.getMetadata().getName();
    String type = svc.getSpec() == null ? null : svc.getSpec().getType();
    List<Labels> targets = new ArrayList<>();
    for (ServicePort p : svc.getSpec() == null ? List.<ServicePort>of() : nonNull(svc.getSpec().getPorts())) {
      String port = String.valueOf(p.getPort());
      Map<String, String> t = new LinkedHashMap<>();
      t.put(ADDRESS, joinHostPort(name + "." + ns + ".svc", port));
      t.put(META + "service_port_name", p.getName());
      t.put(META + "service_port_number", port);
      t.put(META + "service_port_protocol", p.getProtocol());
      t.put(META + "service_type", type);
      if ("ExternalName".equals(type)) {
        t.put(META + "service_external_name", svc.getSpec().getExternalName());
      } else {
        t.put(META + "service_cluster_ip", svc.getSpec().getClusterIP());
      }
      if ("LoadBalancer".equals(type)) {
        t.put(META + "service_loadbalancer_ip", svc.getSpec().getLoadBalancerIP());
      }
      targets.add(labels(t));
    }
    return new TargetGroup(serviceSource(ns, name), targets, labels(serviceLabels(svc)));
  }

  // ---------------------------------------------------------------- endpoints

  static String endpointsSource(String namespace, String name) {
    return "endpoints/" + namespace + "/" + name;
  }

  /** A pod seen behind an endpoint, with the endpoint ports that already made targets. */
  private record SeenPod(Pod pod, List<Integer> ports) {}

  static TargetGroup endpoints(Endpoints eps, Lookup lookup) {
    String ns = eps.getMetadata().getNamespace();
    String name = eps.getMetadata().getName();
    Map<String, String> group = new LinkedHashMap<>();
    group.put(NAMESPACE, ns);
    Service svc = lookup.service(ns, name);
    if (svc != null) {
      group.putAll(serviceLabels(svc));
    }
    addObjectMeta(group, eps.getMetadata(), "endpoints");

    Map<String, SeenPod> seen = new LinkedHashMap<>();
    List<Labels> targets = new ArrayList<>();
    for (EndpointSubset ss : nonNull(eps.getSubsets())) {
      for (EndpointPort port : nonNull(ss.getPorts())) {
        for (EndpointAddress addr : nonNull(ss.getAddresses())) {
          targets.add(endpointTarget(addr, port, "true", lookup, seen));
        }
        // As Prometheus: a not-ready address makes its own target with ready=false.
        for (EndpointAddress addr : nonNull(ss.getNotReadyAddresses())) {
          targets.add(endpointTarget(addr, port, "false", lookup, seen));
        }
      }
    }
    for (SeenPod sp : seen.values()) {
      addUnboundPorts(sp.pod(), sp.ports(), targets);
    }
    return new TargetGroup(endpointsSource(ns, name), targets, labels(group));
  }

  private static Labels endpointTarget(
      EndpointAddress addr, EndpointPort port, String ready, Lookup lookup, Map<String, SeenPod> seen) {
    String portStr = String.valueOf(port.getPort());
    Map<String, String> t = new LinkedHashMap<>();
    t.put(ADDRESS, joinHostPort(addr.getIp(), portStr));
    t.put(META + "endpoint_port_name", port.getName());
    t.put(META + "endpoint_port_protocol", port.getProtocol());
    t.put(META + "endpoint_ready", ready);
    ObjectReference ref = addr.getTargetRef();
    if (ref != null) {
      t.put(META + "endpoint_address_target_kind", ref.getKind());
      t.put(META + "endpoint_address_target_name", ref.getName());
    }
    if (addr.getNodeName() != null) {
      t.put(META + "endpoint_node_name", addr.getNodeName());
    }
    if (addr.getHostname() != null && !addr.getHostname().isEmpty()) {
      t.put(META + "endpoint_hostname", addr.getHostname());
    }
    if (addr.getNodeName() != null) {
      addNodeLabels(t, lookup.node(addr.getNodeName()));
    } else if (ref != null && "Node".equals(ref.getKind())) {
      addNodeLabels(t, lookup.node(ref.getName()));
    }
    Pod pod = ref != null && "Pod".equals(ref.getKind()) ? lookup.pod(ref.getNamespace(), ref.getName()) : null;
    if (pod == null) {
      return labels(t);
    }
    addPodBacked(t, pod, port.getPort(), port.getProtocol());
    seen.computeIfAbsent(
            pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
            k -> new SeenPod(pod, new ArrayList<>()))
        .ports()
        .add(port.getPort());
    return labels(t);
  }

  /** Pod labels plus the labels of the container port matching the endpoint port, if any. */
  private static void addPodBacked(Map<String, String> t, Pod pod, Integer port, String protocol) {
    t.putAll(podLabels(pod));
    if (port == null || pod.getSpec() == null) {
      return;
    }
    for (Container c : nonNull(pod.getSpec().getContainers())) {
      for (ContainerPort cp : nonNull(c.getPorts())) {
        if (port.equals(cp.getContainerPort())) {
          t.put(META + "pod_container_name", c.getName());
          t.put(META + "pod_container_image", c.getImage());
          t.put(META + "pod_container_port_name", cp.getName());
          t.put(META + "pod_container_port_number", port.toString());
          t.put(META + "pod_container_port_protocol", protocol);
          return; // Prometheus stops at the first matching port of a container, then checks the next
        }
      }
    }
  }

  /** Targets for container ports of seen pods that no endpoint port covered. */
  private static void addUnboundPorts(Pod pod, List<Integer> bound, List<Labels> targets) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isEmpty() || pod.getSpec() == null) {
      return;
    }
    for (Container c : nonNull(pod.getSpec().getContainers())) {
      for (ContainerPort cp : nonNull(c.getPorts())) {
        if (bound.contains(cp.getContainerPort())) {
          continue;
        }
        String port = String.valueOf(cp.getContainerPort());
        Map<String, String> t = new LinkedHashMap<>();
        t.put(ADDRESS, joinHostPort(ip, port));
        t.put(META + "pod_container_name", c.getName());
        t.put(META + "pod_container_image", c.getImage());
        t.put(META + "pod_container_port_name", cp.getName());
        t.put(META + "pod_container_port_number", port);
        t.put(META + "pod_container_port_protocol", cp.getProtocol());
        t.putAll(podLabels(pod));
        targets.add(labels(t));
      }
    }
  }

  // ---------------------------------------------------------------- endpointslice

  static String endpointSliceSource(String namespace, String name) {
    return "endpointslice/" + namespace + "/" + name;
  }

  static TargetGroup endpointSlice(EndpointSlice eps, Lookup lookup) {
    String ns = eps.getMetadata().getNamespace();
    String name = eps.getMetadata().getName();
    Map<String, String> group = new LinkedHashMap<>();
    group.put(NAMESPACE, ns);
    group.put(META + "endpointslice_address_type", eps.getAddressType());
    addObjectMeta(group, eps.getMetadata(), "endpointslice");
    Map<String, String> objLabels = eps.getMetadata().getLabels();
    String svcName = objLabels == null ? null : objLabels.get("kubernetes.io/service-name");
    if (svcName != null) {
      Service svc = lookup.service(ns, svcName);
      if (svc != null) {
        group.putAll(serviceLabels(svc));
      }
    }
    Map<String, SeenPod> seen = new LinkedHashMap<>();
    List<Labels> targets = new ArrayList<>();
    for (Endpoint ep : nonNull(eps.getEndpoints())) {
      for (io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port : nonNull(eps.getPorts())) {
        for (String addr : nonNull(ep.getAddresses())) {
          targets.add(sliceTarget(addr, ep, port, lookup, seen));
        }
      }
    }
    for (SeenPod sp : seen.values()) {
      addUnboundPorts(sp.pod(), sp.ports(), targets);
    }
    return new TargetGroup(endpointSliceSource(ns, name), targets, labels(group));
  }

  private static Labels sliceTarget(
      String addr,
      Endpoint ep,
      io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port,
      Lookup lookup,
      Map<String, SeenPod> seen) {
    Map<String, String> t = new LinkedHashMap<>();
    t.put(ADDRESS, port.getPort() == null ? addr : joinHostPort(addr, port.getPort().toString()));
    if (port.getName() != null) {
      t.put(META + "endpointslice_port_name", port.getName());
    }
    if (port.getProtocol() != null) {
      t.put(META + "endpointslice_port_protocol", port.getProtocol());
    }
    if (port.getPort() != null) {
      t.put(META + "endpointslice_port", port.getPort().toString());
    }
    if (port.getAppProtocol() != null) {
      t.put(META + "endpointslice_port_app_protocol", port.getAppProtocol());
    }
    EndpointConditions cond = ep.getConditions();
    if (cond != null) {
      if (cond.getReady() != null) {
        t.put(META + "endpointslice_endpoint_conditions_ready", cond.getReady().toString());
      }
      if (cond.getServing() != null) {
        t.put(META + "endpointslice_endpoint_conditions_serving", cond.getServing().toString());
      }
      if (cond.getTerminating() != null) {
        t.put(META + "endpointslice_endpoint_conditions_terminating", cond.getTerminating().toString());
      }
    }
    if (ep.getHostname() != null) {
      t.put(META + "endpointslice_endpoint_hostname", ep.getHostname());
    }
    ObjectReference ref = ep.getTargetRef();
    if (ref != null) {
      t.put(META + "endpointslice_address_target_kind", ref.getKind());
      t.put(META + "endpointslice_address_target_name", ref.getName());
    }
    if (ep.getNodeName() != null) {
      t.put(META + "endpointslice_endpoint_node_name", ep.getNodeName());
    }
    if (ep.getZone() != null) {
      t.put(META + "endpointslice_endpoint_zone", ep.getZone());
    }
    if (ep.getDeprecatedTopology() != null) {
      for (Map.Entry<String, String> e : ep.getDeprecatedTopology().entrySet()) {
        String ln = sanitize(e.getKey());
        t.put(META + "endpointslice_endpoint_topology_" + ln, e.getValue());
        t.put(META + "endpointslice_endpoint_topology_present_" + ln, PRESENT);
      }
    }
    if (ref != null && "Node".equals(ref.getKind())) {
      addNodeLabels(t, lookup.node(ref.getName()));
    } else if (ep.getNodeName() != null) {
      addNodeLabels(t, lookup.node(ep.getNodeName()));
    }
    Pod pod = ref != null && "Pod".equals(ref.getKind()) ? lookup.pod(ref.getNamespace(), ref.getName()) : null;
    if (pod == null) {
      return labels(t);
    }
    t.putAll(podLabels(pod));
    if (port.getPort() != null && pod.getSpec() != null) {
      outer:
      for (Container c : nonNull(pod.getSpec().getContainers())) {
        for (ContainerPort cp : nonNull(c.getPorts())) {
          if (port.getPort().equals(cp.getContainerPort())) {
            t.put(META + "pod_container_name", c.getName());
            t.put(META + "pod_container_image", c.getImage());
            t.put(META + "pod_container_port_name", cp.getName());
            t.put(META + "pod_container_port_number", port.getPort().toString());
            t.put(META + "pod_container_port_protocol", cp.getProtocol());
            break outer;
          }
        }
      }
    }
    SeenPod sp =
        seen.computeIfAbsent(
            pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
            k -> new SeenPod(pod, new ArrayList<>()));
    if (port.getPort() != null) {
      sp.ports().add(port.getPort());
    }
    return labels(t);
  }

  // ---------------------------------------------------------------- ingress

  static String ingressSource(String namespace, String name) {
    return "ingress/" + namespace + "/" + name;
  }

  static TargetGroup ingress(Ingress ing) {
    String ns = ing.getMetadata().getNamespace();
    String name = ing.getMetadata().getName();
    Map<String, String> group = new LinkedHashMap<>();
    group.put(NAMESPACE, ns);
    addObjectMeta(group, ing.getMetadata(), "ingress");
    List<String> tlsHosts = new ArrayList<>();
    List<Labels> targets = new ArrayList<>();
    if (ing.getSpec() != null) {
      group.put(META + "ingress_class_name", ing.getSpec().getIngressClassName());
      for (IngressTLS tls : nonNull(ing.getSpec().getTls())) {
        tlsHosts.addAll(nonNull(tls.getHosts()));
      }
      for (IngressRule rule : nonNull(ing.getSpec().getRules())) {
        String host = rule.getHost() == null ? "" : rule.getHost();
        String scheme = "http";
        for (String pattern : tlsHosts) {
          if (matchesHostnamePattern(pattern, host)) {
            scheme = "https";
            break;
          }
        }
        List<String> paths = new ArrayList<>();
        if (rule.getHttp() == null) {
          paths.add("/");
        } else {
          for (HTTPIngressPath p : nonNull(rule.getHttp().getPaths())) {
            paths.add(p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath());
          }
        }
        for (String path : paths) {
          Map<String, String> t = new LinkedHashMap<>();
          t.put(ADDRESS, host);
          t.put(META + "ingress_scheme", scheme);
          t.put(META + "ingress_host", host);
          t.put(META + "ingress_path", path);
          targets.add(labels(t));
        }
      }
    }
    return new TargetGroup(ingressSource(ns, name), targets, labels(group));
  }

  /** A TLS host matches the rule host exactly or as a one-label wildcard ({@code *.example.com}). */
  static boolean matchesHostnamePattern(String pattern, String host) {
    if (pattern.equals(host)) {
      return true;
    }
    String[] p = pattern.split("\\.", -1);
    String[] h = host.split("\\.", -1);
    if (p.length == 0 || !p[0].equals("*") || p.length != h.length) {
      return false;
    }
    for (int i = 1; i < p.length; i++) {
      if (!p[i].equals(h[i])) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- shared

  /** {@code <role>_name} plus label/labelpresent/annotation/annotationpresent for each entry. */
  static void addObjectMeta(Map<String, String> ls, ObjectMeta meta, String role) {
    ls.put(META + role + "_name", meta.getName());
    if (meta.getLabels() != null) {
      for (Map.Entry<String, String> e : meta.getLabels().entrySet()) {
        String ln = sanitize(e.getKey());
        ls.put(META + role + "_label_" + ln, e.getValue());
        ls.put(META + role + "_labelpresent_" + ln, PRESENT);
      }
    }
    if (meta.getAnnotations() != null) {
      for (Map.Entry<String, String> e : meta.getAnnotations().entrySet()) {
        String ln = sanitize(e.getKey());
        ls.put(META + role + "_annotation_" + ln, e.getValue());
        ls.put(META + role + "_annotationpresent_" + ln, PRESENT);
      }
    }
  }

  /** attach_metadata node: the node's name, labels and annotations ({@code node == null}: none). */
  static void addNodeLabels(Map<String, String> ls, Node node) {
    if (node != null) {
      addObjectMeta(ls, node.getMetadata(), "node");
    }
  }

  /** Prometheus' SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes '_'. */
  static String sanitize(String name) {
    StringBuilder sb = null;
    int n = name.length();
    for (int i = 0; i < n; ) {
      int cp = name.codePointAt(i);
      boolean ok =
          (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
      if (!ok && sb == null) {
        sb = new StringBuilder(n).append(name, 0, i);
      }
      if (sb != null) {
        if (ok) {
          sb.appendCodePoint(cp);
        } else {
          sb.append('_');
        }
      }
      i += Character.charCount(cp);
    }
    return sb == null ? name : sb.toString();
  }

  /** Go's net.JoinHostPort: brackets around hosts that contain a colon (IPv6). */
  static String joinHostPort(String host, String port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** Drops empty values, as Prometheus' label builder does. */
  static Labels labels(Map<String, String> map) {
    Labels.Builder b = new Labels.Builder();
    for (Map.Entry<String, String> e : map.entrySet()) {
      b.set(e.getKey(), e.getValue());
    }
    return b.build();
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
