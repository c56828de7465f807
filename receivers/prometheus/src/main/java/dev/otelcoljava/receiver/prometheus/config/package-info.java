/**
 * The embedded Prometheus config of the {@code prometheus} receiver ({@code global}, {@code
 * scrape_configs}, {@code scrape_config_files}) as immutable records, read with Prometheus'
 * defaults and validation messages by {@link dev.otelcoljava.receiver.prometheus.config.PromConfigReader}.
 */
package dev.otelcoljava.receiver.prometheus.config;
