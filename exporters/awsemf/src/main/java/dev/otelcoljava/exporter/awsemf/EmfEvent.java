package dev.otelcoljava.exporter.awsemf;

/**
 * One log event: its destination, time and EMF JSON message, and how many data points it carries
 * (for the sent/failed self-metrics).
 */
record EmfEvent(String logGroup, String logStream, long timestampMs, String message, int points) {}
