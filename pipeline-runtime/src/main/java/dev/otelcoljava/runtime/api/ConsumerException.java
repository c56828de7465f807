package dev.otelcoljava.runtime.api;

/**
 * Thrown by {@link MetricsConsumer#consume} when data is refused or could not be handed on. A
 * retryable (non-permanent) refusal, e.g. memory_limiter's "data refused due to high memory usage",
 * tells a push receiver to answer with a retryable status.
 */
public class ConsumerException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean permanent;
  private final int rejectedPoints;

  public ConsumerException(String message, boolean permanent, int rejectedPoints) {
    super(message);
    this.permanent = permanent;
    this.rejectedPoints = rejectedPoints;
  }

  public ConsumerException(String message, boolean permanent, int rejectedPoints, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
    this.rejectedPoints = rejectedPoints;
  }

  /** True if retrying the same data cannot succeed. */
  public boolean permanent() {
    return permanent;
  }

  /** How many data points were not accepted (for self-metrics); -1 if unknown (all of them). */
  public int rejectedPoints() {
    return rejectedPoints;
  }
}
