package dev.otelcoljava.processor.resourcedetection;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The processor's config. Defaults: {@code detectors: [env]}, {@code override: true}, {@code
 * timeout: 5s}, {@code refresh_interval: 0} (detect once), no {@code attributes} allow-list.
 *
 * @param detectors detector names in priority order (the first to set a key wins)
 * @param override whether detected values replace attributes the data already has
 * @param timeout bound on detection (all detectors together) and on each HTTP request
 * @param refreshInterval 0 = detect once; otherwise detect again at this interval
 * @param attributes the removed allow-list: when non-empty, only these detected keys are applied
 * @param resourceAttributes per detector, attribute name to enabled, as configured (overrides)
 * @param system the {@code system} detector's settings
 * @param ec2 the {@code ec2} detector's settings
 * @param eks the {@code eks} detector's settings
 */
public record ResourceDetectionConfig(
    List<String> detectors,
    boolean override,
    Duration timeout,
    Duration refreshInterval,
    List<String> attributes,
    Map<String, Map<String, Boolean>> resourceAttributes,
    SystemSettings system,
    Ec2Settings ec2,
    EksSettings eks) {

  /** {@code system}: {@code hostname_sources} (default {@code [dns, os]}). */
  public record SystemSettings(List<String> hostnameSources) {}

  /**
   * {@code ec2}: {@code tags} (regexes of tag keys), {@code tags_from_imds} (false), {@code
   * max_attempts} (3), {@code max_backoff} (20s), {@code fail_on_missing_metadata} (false).
   */
  public record Ec2Settings(List<String> tags, boolean tagsFromImds, int maxAttempts,
      Duration maxBackoff, boolean failOnMissingMetadata) {}

  /** {@code eks}: {@code node_from_env_var} (default {@code K8S_NODE_NAME}). */
  public record EksSettings(String nodeFromEnvVar) {}

  public static ResourceDetectionConfig defaults() {
    return new ResourceDetectionConfig(List.of("env"), true, Duration.ofSeconds(5), Duration.ZERO,
        List.of(), Map.of(), new SystemSettings(List.of("dns", "os")),
        new Ec2Settings(List.of(), false, 3, Duration.ofSeconds(20), false),
        new EksSettings("K8S_NODE_NAME"));
  }

  /** Whether an attribute of a detector is enabled: the configured value, else its default. */
  boolean enabled(String detector, String attribute, boolean byDefault) {
    Map<String, Boolean> m = resourceAttributes.get(detector);
    if (m == null) {
      return byDefault;
    }
    Boolean b = m.get(attribute);
    return b == null ? byDefault : b;
  }
}
