/**
 * Prometheus {@code kubernetes_sd_configs} for the Prometheus receiver, on the fabric8 Kubernetes
 * client: roles node, pod, service, endpoints, endpointslice and ingress with Prometheus' {@code
 * __meta_kubernetes_*} labels, namespaces, label/field selectors, attach_metadata node, and
 * api_server / kubeconfig_file / in-cluster connection settings. Loaded by the receiver through
 * {@link java.util.ServiceLoader} as a {@link
 * dev.otelcoljava.receiver.prometheus.discovery.KubernetesDiscovererProvider}.
 */
package dev.otelcoljava.receiver.prometheus.kubernetes;
