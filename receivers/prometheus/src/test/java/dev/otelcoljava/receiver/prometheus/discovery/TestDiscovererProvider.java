package dev.otelcoljava.receiver.prometheus.discovery;

import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * A provider registered for tests only: for a job named {@code provided} it discovers the target in
 * {@link #address} with a {@code __meta_test_zone} label, as Kubernetes discovery will plug in.
 */
public final class TestDiscovererProvider implements DiscovererProvider {
  public static volatile String address = "";

  @Override
  public String key() {
    return "test_sd_configs";
  }

  @Override
  public List<Discoverer> create(ScrapeConfig config, ScheduledExecutorService scheduler, RateLimitedLogger logger) {
    if (!config.jobName().equals("provided")) {
      return List.of();
    }
    return List.of(new Discoverer() {
      @Override
      public void start(Consumer<List<TargetGroup>> updates) {
        updates.accept(List.of(new TargetGroup("test", List.of(Labels.of("__address__", address,
            "__meta_test_zone", "z1")), Labels.EMPTY)));
      }

      @Override
      public void close() {}
    });
  }
}
