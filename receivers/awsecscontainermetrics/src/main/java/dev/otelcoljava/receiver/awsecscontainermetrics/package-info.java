/**
 * The {@code awsecscontainermetrics} receiver: reads the Amazon ECS task metadata endpoint v4
 * ({@code ECS_CONTAINER_METADATA_URI_V4}: {@code /task} and {@code /task/stats}) every {@code
 * collection_interval} (default 20s) and emits the same {@code ecs.task.*} and {@code container.*}
 * metrics, units and resource attributes as the otelcol-contrib receiver, on EC2 and Fargate.
 */
package dev.otelcoljava.receiver.awsecscontainermetrics;
