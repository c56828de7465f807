package dev.otelcoljava.runtime.api;

import java.time.Instant;

/**
 * A status change reported by a component.
 *
 * @param source the reporting component
 * @param kind its kind
 * @param status the new status
 * @param error what is wrong, for the error statuses (never a secret), or null
 * @param time when the status changed
 */
public record StatusEvent(ComponentId source, ComponentKind kind, ComponentStatus status, String error, Instant time) {
  /** The component as otelcol's health endpoints name it, e.g. {@code exporter:prometheusremotewrite/amp}. */
  public String instanceName() {
    return kind.singular() + ":" + source;
  }
}
