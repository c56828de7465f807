package dev.otelcoljava.runtime.api;

/**
 * A component's status, as otelcol's component status reporting names it ({@code StatusOK},
 * {@code StatusRecoverableError}, ...).
 */
public enum ComponentStatus {
  STARTING("StatusStarting"),
  OK("StatusOK"),
  /** A transient problem the component expects to get over by itself (e.g. its queue directory takes no writes). */
  RECOVERABLE_ERROR("StatusRecoverableError"),
  PERMANENT_ERROR("StatusPermanentError"),
  FATAL_ERROR("StatusFatalError"),
  STOPPING("StatusStopping"),
  STOPPED("StatusStopped");

  private final String otelName;

  ComponentStatus(String otelName) {
    this.otelName = otelName;
  }

  /** otelcol's name, e.g. {@code StatusRecoverableError}. */
  public String otelName() {
    return otelName;
  }
}
