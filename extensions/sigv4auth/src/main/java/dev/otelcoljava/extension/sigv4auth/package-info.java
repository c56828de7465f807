/**
 * The {@code sigv4auth} extension: signs exporters' HTTP requests (e.g. remote write to Amazon
 * Managed Service for Prometheus) with AWS Signature Version 4.
 *
 * <pre>
 * extensions:
 *   sigv4auth:
 *     region: us-west-2          # default: AWS_REGION, then inferred from the endpoint host
 *     service: aps               # default: inferred (aps-workspaces -> aps, search- -> es, logs, xray, monitoring)
 *     assume_role:
 *       arn: arn:aws:iam::123456789012:role/amp-writer
 *       session_name: collector  # default: otelcol-java-&lt;millis&gt;
 *       sts_region: us-east-1    # default: region
 *       web_identity_token_file: /var/run/secrets/eks.amazonaws.com/serviceaccount/token
 *       external_id: ""
 * exporters:
 *   prometheusremotewrite:
 *     endpoint: https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write
 *     auth: {authenticator: sigv4auth}
 * </pre>
 *
 * <p>Credentials come from the AWS SDK for Java v2 default chain (environment, system properties,
 * IRSA web identity, profile, ECS task role and EKS Pod Identity container credentials, instance
 * metadata) or from STS AssumeRole / AssumeRoleWithWebIdentity. Every request, retries included,
 * is signed afresh with {@code x-amz-content-sha256} over the exact body. No credential, token or
 * signature is ever logged.
 */
package dev.otelcoljava.extension.sigv4auth;
