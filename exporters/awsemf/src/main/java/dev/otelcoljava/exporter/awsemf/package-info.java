/**
 * The {@code awsemf} exporter: writes metrics as CloudWatch embedded metric format (EMF) log events
 * to CloudWatch Logs, as otelcol-contrib's awsemfexporter does, so that CloudWatch extracts metrics
 * from them (Container Insights on EKS Fargate and ECS, Prometheus metrics in CloudWatch).
 *
 * <pre>
 * exporters:
 *   awsemf:
 *     namespace: ContainerInsights              # default: service.namespace/service.name, else "default"
 *     log_group_name: /aws/containerinsights/{ClusterName}/performance   # default: /metrics/&lt;namespace&gt;
 *     log_stream_name: "{PodName}"              # default: otel-stream-&lt;uuid&gt;
 *     dimension_rollup_option: NoDimensionRollup  # or ZeroAndSingleDimensionRollup (default), SingleDimensionRollupOnly
 *     metric_declarations:
 *       - dimensions: [[ClusterName, Namespace, PodName]]
 *         metric_name_selectors: [^pod_]
 *         label_matchers: [{label_names: [Type], regex: ^Pod$}]
 *     eks_fargate_container_insights_enabled: true
 *     parse_json_encoded_attr_values: [kubernetes]
 * </pre>
 *
 * <p>Other keys: {@code log_retention}, {@code tags}, {@code metric_descriptors}, {@code
 * output_destination} (cloudwatch|stdout), {@code resource_to_telemetry_conversion}, {@code
 * detailed_metrics}, {@code retain_initial_value_of_delta_metric}, {@code
 * disable_metric_extraction}, {@code version} ("1", or "0" for the legacy format), and the AWS
 * session keys {@code region}, {@code endpoint}, {@code role_arn}, {@code external_id}, {@code
 * proxy_address}, {@code no_verify_ssl}, {@code request_timeout_seconds} (30), {@code
 * max_retries} (2). NaN, infinite and stale points are dropped one by one and counted in {@code
 * otelcol_exporter_awsemf_points_dropped{reason}}.
 */
package dev.otelcoljava.exporter.awsemf;
