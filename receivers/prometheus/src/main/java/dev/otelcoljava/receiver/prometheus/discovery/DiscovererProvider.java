package dev.otelcoljava.receiver.prometheus.discovery;

import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A service discovery mechanism that lives in another module (e.g. Kubernetes), found with {@link
 * ServiceLoader} under this interface's name. The receiver's config reader accepts the scrape-config
 * key {@link #key()} only when a provider for it is on the class path (otherwise it fails with
 * {@code <key> is not supported yet by this collector}); the scrape manager asks every provider
 * for the discoverers of each job at start.
 *
 * <p>Implementations need a public no-argument constructor and must be stateless.
 */
public interface DiscovererProvider {
  /** The scrape-config key handled, e.g. {@code kubernetes_sd_configs}. */
  String key();

  /**
   * The discoverers of one job (an empty list when the job has none of this kind). They are
   * started by the scrape manager and closed at shutdown; they may schedule work on {@code
   * scheduler} (a shared single thread: never block it) and log through {@code logger}.
   */
  List<Discoverer> create(ScrapeConfig config, ScheduledExecutorService scheduler, RateLimitedLogger logger);

  /** The providers on the class path. */
  static List<DiscovererProvider> all() {
    return ServiceLoader.load(DiscovererProvider.class, DiscovererProvider.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get).toList();
  }

  /** True if a provider handles {@code key}. */
  static boolean available(String key) {
    for (DiscovererProvider p : all()) {
      if (p.key().equals(key)) {
        return true;
      }
    }
    return false;
  }
}
