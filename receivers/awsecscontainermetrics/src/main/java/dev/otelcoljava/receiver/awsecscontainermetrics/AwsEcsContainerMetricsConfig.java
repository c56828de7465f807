package dev.otelcoljava.receiver.awsecscontainermetrics;

import java.time.Duration;

/**
 * The receiver's config: {@code collection_interval} (default 20s, must be positive).
 *
 * @param collectionInterval how often the task metadata endpoint is read
 */
public record AwsEcsContainerMetricsConfig(Duration collectionInterval) {
  public static final Duration DEFAULT_COLLECTION_INTERVAL = Duration.ofSeconds(20);

  public static AwsEcsContainerMetricsConfig defaults() {
    return new AwsEcsContainerMetricsConfig(DEFAULT_COLLECTION_INTERVAL);
  }
}
