package dev.otelcoljava.receiver.prometheus.kubernetes;

import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;
import dev.otelcoljava.receiver.prometheus.discovery.Discoverer;
import dev.otelcoljava.receiver.prometheus.discovery.KubernetesDiscovererProvider;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.time.Duration;

/**
 * The fabric8-based {@link KubernetesDiscovererProvider}, registered for {@link
 * java.util.ServiceLoader}. Discoverers use the in-cluster service account by default ({@link
 * ClusterEnvironment#system()}) and reconnect broken watches every second. Thread-safe.
 */
public final class FabricKubernetesDiscovererProvider implements KubernetesDiscovererProvider {
  private final ClusterEnvironment env;
  private final int reconnectMillis;

  /** The ServiceLoader constructor: the pod's own service account and environment. */
  public FabricKubernetesDiscovererProvider() {
    this(ClusterEnvironment.system(), 1000);
  }

  /** For tests: another service account directory/environment and watch reconnect interval. */
  public FabricKubernetesDiscovererProvider(ClusterEnvironment env, int reconnectMillis) {
    this.env = env;
    this.reconnectMillis = reconnectMillis;
  }

  @Override
  public Discoverer create(KubernetesSdConfig config, String jobName, System.Logger logger) {
    var am = config.attachMetadata();
    if (am != null && (am.namespace() || am.deployment() || am.cronjob() || am.job())) {
      logger.log(
          System.Logger.Level.WARNING,
          "scrape job \"" + jobName + "\": kubernetes_sd_configs attach_metadata supports only node;"
              + " namespace, deployment, cronjob and job are ignored");
    }
    return new KubernetesDiscoverer(
        config, jobName, new RateLimitedLogger(logger, Duration.ofSeconds(30)), env, reconnectMillis);
  }
}
