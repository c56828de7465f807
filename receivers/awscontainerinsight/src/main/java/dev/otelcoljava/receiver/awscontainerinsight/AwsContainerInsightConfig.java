package dev.otelcoljava.receiver.awscontainerinsight;

import java.time.Duration;

/**
 * The receiver's config. Every upstream key is accepted; only those that matter for ECS instance
 * metrics are kept here (the EKS-only keys are read and validated by the factory, then unused).
 *
 * @param collectionInterval how often the host is sampled (default 60s, must be positive)
 * @param containerOrchestrator {@code eks} (upstream's default) or {@code ecs}
 * @param localMode {@code local_mode}: do not ask the EC2 instance metadata service
 * @param imdsRetries {@code imds_retries}: extra attempts of an IMDS request that failed
 * @param hostName {@code host_name}: overrides the {@code HOST_NAME} environment variable for the
 *     {@code NodeName} attribute
 */
public record AwsContainerInsightConfig(Duration collectionInterval, String containerOrchestrator,
    boolean localMode, int imdsRetries, String hostName) {
  public static final Duration DEFAULT_COLLECTION_INTERVAL = Duration.ofSeconds(60);
  public static final String EKS = "eks";
  public static final String ECS = "ecs";

  public static AwsContainerInsightConfig defaults() {
    return new AwsContainerInsightConfig(DEFAULT_COLLECTION_INTERVAL, EKS, false, 1, "");
  }
}
