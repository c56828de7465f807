package dev.otelcoljava.receiver.prometheus.discovery;

import java.util.List;
import java.util.function.Consumer;

/**
 * A service discovery mechanism (static, file, and later Kubernetes): it pushes target groups to a
 * callback whenever they change. The first call of the callback carries every group known at
 * start; later calls carry only groups that changed (a group with no targets removes its source).
 *
 * <p>Implementations own their threads or use the scheduler they are given; {@link #start} must
 * not block for long, and {@link #close} stops all background work. The callback may be called
 * from any thread, but never concurrently for one discoverer.
 */
public interface Discoverer extends AutoCloseable {
  /** Starts discovery; updates go to {@code updates}. Called once. */
  void start(Consumer<List<TargetGroup>> updates) throws Exception;

  /** Stops discovery; no callback is made after it returns. Idempotent. */
  @Override
  void close();
}
