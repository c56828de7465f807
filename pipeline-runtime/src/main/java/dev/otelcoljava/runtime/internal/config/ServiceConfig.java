package dev.otelcoljava.runtime.internal.config;

import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.internal.telemetry.TelemetryConfig;
import java.util.List;
import java.util.Map;

/**
 * A validated collector config: every configured component with its factory and typed config,
 * the enabled extensions, the metrics pipelines and the telemetry settings. Immutable.
 *
 * @param components every configured component by kind and id (used or not), in YAML order
 * @param extensions {@code service::extensions}, in order
 * @param pipelines {@code service::pipelines}, in YAML order
 * @param warnings deprecation warnings to log once each
 */
public record ServiceConfig(
    Map<ComponentKind, Map<ComponentId, ComponentSpec>> components,
    List<ComponentId> extensions,
    List<Pipeline> pipelines,
    TelemetryConfig telemetry,
    List<String> warnings) {

  /**
   * One configured component.
   *
   * @param typeUsed the type name as written (may be a deprecated alias)
   * @param config the factory's typed config
   */
  public record ComponentSpec(
      ComponentKind kind, ComponentId id, ComponentFactory<?> factory, String typeUsed, Object config) {
    /** The YAML path, e.g. {@code exporters::prometheusremotewrite}. */
    public String path() {
      return kind.section() + "::" + id;
    }
  }

  /** A metrics pipeline: its id ({@code metrics} or {@code metrics/<name>}) and components. */
  public record Pipeline(
      String id, List<ComponentId> receivers, List<ComponentId> processors, List<ComponentId> exporters) {}

  public ComponentSpec component(ComponentKind kind, ComponentId id) {
    return components.get(kind).get(id);
  }
}
