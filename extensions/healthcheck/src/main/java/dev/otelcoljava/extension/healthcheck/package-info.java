/**
 * The {@code health_check} extension: an HTTP status endpoint for container and pod probes, 503
 * while the collector starts or stops and 200 while its pipelines run. {@code bin/healthcheck} in
 * the distribution probes it without starting a JVM.
 */
package dev.otelcoljava.extension.healthcheck;
