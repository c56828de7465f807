package dev.otelcoljava.receiver.prometheus.otlp;

/**
 * A scrape failed as a whole (Prometheus semantics: up=0, no samples sent). {@link #reason()} is
 * the short label used in self-metrics ({@code sample_limit}, {@code parse}, {@code timeout}, ...).
 */
public final class ScrapeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public ScrapeException(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public ScrapeException(String reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
