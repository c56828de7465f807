/**
 * The collector's own telemetry ({@code service::telemetry}): the one log every logger writes to
 * (System.Logger and SLF4J, console or JSON, as otelcol prints it), and self-metrics on
 * opentelemetry-sdk served in the Prometheus text format with otelcol's names.
 */
package dev.otelcoljava.runtime.internal.telemetry;
