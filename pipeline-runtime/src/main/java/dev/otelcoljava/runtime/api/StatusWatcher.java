package dev.otelcoljava.runtime.api;

/**
 * Implemented by extensions that want every component's status changes (health_check), as
 * otelcol's {@code componentstatus.Watcher}. Called on the reporting component's thread: keep it
 * short and never throw.
 */
public interface StatusWatcher {
  void componentStatusChanged(StatusEvent event);
}
