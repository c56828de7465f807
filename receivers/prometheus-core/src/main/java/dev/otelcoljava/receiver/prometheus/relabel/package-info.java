/**
 * Prometheus relabeling ({@code relabel_configs}, {@code metric_relabel_configs}): rule reading
 * with Prometheus' defaults and validation errors, and {@link
 * dev.otelcoljava.receiver.prometheus.relabel.Relabeler} applying them with model/relabel's
 * semantics. Regexes are RE2 (re2j, linear time), fully anchored as {@code ^(?s:R)$}.
 */
package dev.otelcoljava.receiver.prometheus.relabel;
