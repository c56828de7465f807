/**
 * The scrape engine: target building from discovered labels and relabeling, one pool per job, one
 * virtual-thread loop per target, the JDK HTTP client with Prometheus' headers and limits, and the
 * receiver's self-metrics.
 */
package dev.otelcoljava.receiver.prometheus.scrape;
