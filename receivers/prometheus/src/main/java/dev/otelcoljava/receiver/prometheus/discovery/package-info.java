/**
 * Service discovery: the {@link dev.otelcoljava.receiver.prometheus.discovery.Discoverer} contract
 * (target groups pushed to a callback) with static and file implementations. Kubernetes discovery
 * will implement the same interface.
 */
package dev.otelcoljava.receiver.prometheus.discovery;
