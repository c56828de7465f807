package dev.otelcoljava.runtime.api;

import java.time.Duration;

/**
 * A pipeline component: only start and shutdown, plus the work it does. {@link #start} is called
 * once, exporters first and receivers last; {@link #shutdown} is called once, receivers first, even
 * if start failed, and must return within the given time (it may persist unsent data instead of
 * sending it). Both are called from the runtime's lifecycle thread.
 */
public interface Component {
  /** Starts background work (listeners, timers, threads). Throwing fails the collector's start. */
  default void start(Host host) throws Exception {}

  /**
   * Stops background work and releases resources, finishing within {@code timeout}; calling it
   * twice or without a successful start is harmless.
   */
  default void shutdown(Duration timeout) throws Exception {}
}
