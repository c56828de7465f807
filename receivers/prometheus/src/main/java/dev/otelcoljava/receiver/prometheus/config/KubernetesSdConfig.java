package dev.otelcoljava.receiver.prometheus.config;

import java.util.List;

/**
 * A validated {@code kubernetes_sd_configs} entry (Prometheus' keys). Discovery itself is provided
 * by a {@link dev.otelcoljava.receiver.prometheus.discovery.Discoverer} that is not part of this
 * module yet; until then the receiver refuses configs that use it. Immutable.
 *
 * @param role node, service, pod, endpoints, endpointslice or ingress
 * @param apiServer empty = in-cluster (or kubeconfig)
 * @param namespaceNames empty = all namespaces (unless ownNamespace)
 */
public record KubernetesSdConfig(
    String role,
    String apiServer,
    String kubeconfigFile,
    boolean ownNamespace,
    List<String> namespaceNames,
    List<Selector> selectors,
    AttachMetadata attachMetadata,
    HttpClientConfig http) {

  /** {@code selectors[i]}: a label and/or field selector for one role. */
  public record Selector(String role, String label, String field) {}

  /** {@code attach_metadata}: which related objects' labels to attach. */
  public record AttachMetadata(boolean node, boolean namespace, boolean deployment, boolean cronjob, boolean job) {}
}
