package dev.otelcoljava.receiver.prometheus.discovery;

import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;

/**
 * Creates the discoverer for one {@code kubernetes_sd_configs} entry. Implemented outside this
 * module (module {@code receivers/prometheus-kubernetes}, fabric8 based) and found with {@link
 * java.util.ServiceLoader}, so that the scrape engine does not depend on the Kubernetes client.
 */
public interface KubernetesDiscovererProvider {
  /**
   * Returns a discoverer that watches the API server as the config says and pushes target groups
   * with Prometheus' {@code __meta_kubernetes_*} labels and {@code __address__} rules.
   *
   * @param config the validated entry
   * @param jobName the scrape job it belongs to (for logs and group sources)
   * @param logger the receiver's logger
   */
  Discoverer create(KubernetesSdConfig config, String jobName, System.Logger logger) throws Exception;
}
