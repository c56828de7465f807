package dev.otelcoljava.runtime.api;

/**
 * A processor: consumes a batch and hands the (changed) result to its next consumer, synchronously
 * or later (batch). A processor that changes its input returns true from {@link #mutatesData()}.
 */
public interface Processor extends Component, MetricsConsumer {}
