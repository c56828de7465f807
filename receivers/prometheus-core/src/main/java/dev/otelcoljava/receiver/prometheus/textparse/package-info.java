/**
 * Exposition parsing for the Prometheus receiver: Prometheus text format 0.0.4 and OpenMetrics 1.0
 * as a pull {@link dev.otelcoljava.receiver.prometheus.textparse.Parser}, reproducing Prometheus
 * 2.42's model/textparse (accepts and rejects the same bodies, with the same messages).
 */
package dev.otelcoljava.receiver.prometheus.textparse;
