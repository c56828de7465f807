package dev.otelcoljava.receiver.prometheus.kubernetes;

import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.discovery.Discoverer;
import dev.otelcoljava.receiver.prometheus.discovery.DiscovererProvider;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The receiver's {@link DiscovererProvider} for {@code kubernetes_sd_configs}: one {@link
 * KubernetesDiscoverer} per entry of a job, each with its own thread (the shared scheduler is not
 * used, so a slow API server never delays scrapes), in-cluster settings from {@link
 * ClusterEnvironment#system()} and a 1 s watch reconnect interval. Stateless.
 */
public final class KubernetesSdProvider implements DiscovererProvider {
  /** The ServiceLoader constructor. */
  public KubernetesSdProvider() {}

  @Override
  public String key() {
    return "kubernetes_sd_configs";
  }

  @Override
  public List<Discoverer> create(ScrapeConfig config, ScheduledExecutorService scheduler, RateLimitedLogger logger) {
    List<Discoverer> out = new ArrayList<>();
    for (KubernetesSdConfig sd : config.kubernetesSdConfigs()) {
      out.add(new KubernetesDiscoverer(sd, config.jobName(), logger, ClusterEnvironment.system(), 1000));
    }
    return out;
  }
}
