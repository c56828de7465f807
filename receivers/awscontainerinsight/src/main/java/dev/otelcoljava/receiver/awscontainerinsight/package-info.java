/**
 * The {@code awscontainerinsightreceiver} receiver for {@code container_orchestrator: ecs}: Amazon
 * ECS on EC2 instance metrics (CloudWatch Container Insights) computed from the host's {@code /proc}
 * and {@code /sys}, the ECS agent introspection API and the EC2 instance metadata service.
 */
package dev.otelcoljava.receiver.awscontainerinsight;
