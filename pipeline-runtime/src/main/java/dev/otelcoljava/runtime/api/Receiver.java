package dev.otelcoljava.runtime.api;

/** A receiver: produces metrics into the consumer it was created with, between start and shutdown. */
public interface Receiver extends Component {}
