package dev.otelcoljava.runtime.api;

/**
 * An exporter: the end of a pipeline. {@link #consume} may queue the batch and return; it throws
 * {@link ConsumerException} when it cannot accept the batch (queue full: enqueue failed).
 */
public interface Exporter extends Component, MetricsConsumer {}
