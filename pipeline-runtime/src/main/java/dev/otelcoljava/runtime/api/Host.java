package dev.otelcoljava.runtime.api;

import java.util.Map;
import java.util.Optional;

/** What the runtime offers a component at start: the extensions, by id. */
public interface Host {
  /** The started extension with this id, if configured and enabled in {@code service::extensions}. */
  Optional<Extension> extension(ComponentId id);

  /** All started extensions. */
  Map<ComponentId, Extension> extensions();

  /**
   * Reports a component's status change to every extension that watches statuses ({@link
   * StatusWatcher}, e.g. health_check), as otelcol's {@code componentstatus.ReportStatus}.
   */
  default void reportStatus(StatusEvent event) {
    for (Extension e : extensions().values()) {
      if (e instanceof StatusWatcher w) {
        w.componentStatusChanged(event);
      }
    }
  }
}
