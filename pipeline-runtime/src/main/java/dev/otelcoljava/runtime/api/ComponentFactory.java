package dev.otelcoljava.runtime.api;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.List;
import java.util.Map;

/**
 * Knows one component type: its name, stability, and how to read its config. Implementations are
 * found with {@link java.util.ServiceLoader} under this interface's name, and must have a public
 * no-argument constructor; they are stateless. Each kind has its own sub-interface with the create
 * method.
 *
 * @param <C> the immutable config type (usually a record)
 */
public interface ComponentFactory<C> {
  ComponentKind kind();

  /** The current type name, e.g. {@code prometheus_remote_write}. */
  String type();

  /**
   * Older type names that still load, each with a deprecation warning naming {@link #type()}: e.g.
   * {@code prometheusremotewrite}. Empty by default.
   */
  default List<String> deprecatedTypes() {
    return List.of();
  }

  Stability stability();

  /**
   * Reads the config from the node (which may be absent: all defaults), reporting every problem
   * through the node ({@link ConfigNode#error}). Reading a key marks it known; the loader then
   * reports unknown keys. Must not have side effects (no files opened, no network).
   *
   * @param typeUsed the type name as written in the config (an alias may imply other defaults)
   */
  C createConfig(ConfigNode node, String typeUsed);

  /**
   * Extensions this config refers to, keyed by the YAML path below the component (e.g. {@code
   * auth::authenticator}). The loader checks that each is configured and enabled in {@code
   * service::extensions}.
   */
  default Map<String, ComponentId> extensionReferences(C config) {
    return Map.of();
  }
}
