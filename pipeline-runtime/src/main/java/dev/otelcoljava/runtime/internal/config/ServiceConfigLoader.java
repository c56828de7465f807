package dev.otelcoljava.runtime.internal.config;

import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.internal.config.ServiceConfig.ComponentSpec;
import dev.otelcoljava.runtime.internal.config.ServiceConfig.Pipeline;
import dev.otelcoljava.runtime.internal.telemetry.TelemetryConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a resolved config tree against the registry and reports every problem at once: the
 * sections, component ids, unknown types (listing the known ones), each component's config (read by
 * its factory, then unknown keys), the pipelines and every reference they make, {@code
 * service::extensions}, and the extensions components refer to (e.g. {@code
 * auth::authenticator}). Components that are configured but unused are validated too.
 */
public final class ServiceConfigLoader {
  /** The header line of validation errors (otelcol's wording). */
  public static final String HEADER = "invalid configuration:";

  private static final List<String> OTHER_SIGNALS = List.of("traces", "logs", "profiles");

  private ServiceConfigLoader() {}

  /**
   * Validates the tree.
   *
   * @throws ConfigException with {@link #HEADER} and one line per problem
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static ServiceConfig load(Map<String, Object> tree, ComponentRegistry registry) throws ConfigException {
    return load(tree, registry, false);
  }

  /** The same; {@code offline} for a config read by {@code explain} (see {@link ConfigProblems#offline()}). */
  public static ServiceConfig load(Map<String, Object> tree, ComponentRegistry registry, boolean offline)
      throws ConfigException {
    ConfigProblems problems = new ConfigProblems();
    problems.setOffline(offline);
    ConfigNode root = ConfigNode.root(tree, "", problems);
    Map<ComponentKind, Map<ComponentId, ComponentSpec>> components = new EnumMap<>(ComponentKind.class);
    // Ids written in a section but not usable (unknown type): already reported, so references to
    // them are not reported again as "not configured".
    Set<String> broken = new java.util.HashSet<>();
    for (ComponentKind kind : ComponentKind.values()) {
      components.put(kind, readSection(root, kind, registry, problems, broken));
    }
    ConfigNode connectors = root.get("connectors");
    if (connectors.present()) {
      connectors.acceptAnyKey();
      if (!connectors.keys().isEmpty()) {
        problems.error(
            "connectors",
            "this collector handles metrics only and has no connectors; remove "
                + String.join(", ", connectors.keys()) + " and connect metrics pipelines through a shared receiver or exporter");
      }
    }

    ConfigNode service = root.get("service");
    if (!service.present()) {
      problems.error("service", "is required: add service::pipelines with at least one metrics pipeline");
    }
    TelemetryConfig telemetry = TelemetryConfig.read(service.get("telemetry"));

    // service::extensions
    List<ComponentId> enabled = new ArrayList<>();
    ConfigNode extList = service.get("extensions");
    Map<ComponentId, ComponentSpec> extensions = components.get(ComponentKind.EXTENSION);
    for (String s : extList.isList() || !extList.present() ? service.stringList("extensions") : List.<String>of()) {
      ComponentId id;
      try {
        id = ComponentId.parse(s);
      } catch (IllegalArgumentException e) {
        problems.error("service::extensions", e.getMessage());
        continue;
      }
      if (enabled.contains(id)) {
        problems.error("service::extensions", "references extension \"" + id + "\" multiple times");
      } else if (!extensions.containsKey(id)) {
        if (broken.contains("extensions::" + id)) {
          continue;
        }
        problems.error(
            "service::extensions",
            "references extension \"" + id + "\" which is not configured (configured: " + names(extensions.keySet()) + ")");
      } else {
        enabled.add(id);
      }
    }
    if (extList.present() && !extList.isList()) {
      problems.error("service::extensions", "expected a list of extension ids, e.g. [health_check]");
    }

    // service::pipelines
    List<Pipeline> pipelines = new ArrayList<>();
    ConfigNode pnode = service.get("pipelines");
    if (pnode.present() && !pnode.isMap()) {
      problems.error("service::pipelines", "expected a map of pipelines, e.g. metrics: {receivers: [...], exporters: [...]}");
    } else if (service.present() && pnode.keys().isEmpty()) {
      problems.error("service::pipelines", "service must have at least one pipeline");
    }
    for (String key : pnode.isMap() ? pnode.keys() : Set.<String>of()) {
      ConfigNode p = pnode.get(key);
      String path = p.path();
      ComponentId pid;
      try {
        pid = ComponentId.parse(key);
      } catch (IllegalArgumentException e) {
        problems.error(path, e.getMessage());
        p.acceptAnyKey();
        continue;
      }
      if (OTHER_SIGNALS.contains(pid.type())) {
        p.acceptAnyKey();
        problems.error(
            path,
            "this collector handles metrics only; remove the " + pid.type() + " pipeline \"" + key + "\""
                + describeUse(p) + " or run it in another collector");
        continue;
      }
      if (!pid.type().equals("metrics")) {
        p.acceptAnyKey();
        problems.error(path, "unknown pipeline signal: \"" + pid.type() + "\" (valid values: [metrics])");
        continue;
      }
      List<ComponentId> recv = refs(p, "receivers", ComponentKind.RECEIVER, components, problems, broken);
      List<ComponentId> proc = refs(p, "processors", ComponentKind.PROCESSOR, components, problems, broken);
      List<ComponentId> exp = refs(p, "exporters", ComponentKind.EXPORTER, components, problems, broken);
      if (p.stringList("receivers").isEmpty()) {
        problems.error(path, "must have at least one receiver");
      }
      if (p.stringList("exporters").isEmpty()) {
        problems.error(path, "must have at least one exporter");
      }
      pipelines.add(new Pipeline(key, recv, proc, exp));
    }

    // Extension references of the components the pipelines use.
    // Keyed by path: a component used by several pipelines is listed once. (Not a set of specs:
    // hashing a spec hashes its whole config.)
    Map<String, ComponentSpec> used = new LinkedHashMap<>();
    for (Pipeline p : pipelines) {
      for (ComponentId id : p.receivers()) {
        addIfPresent(used, components.get(ComponentKind.RECEIVER).get(id));
      }
      for (ComponentId id : p.processors()) {
        addIfPresent(used, components.get(ComponentKind.PROCESSOR).get(id));
      }
      for (ComponentId id : p.exporters()) {
        addIfPresent(used, components.get(ComponentKind.EXPORTER).get(id));
      }
    }
    for (ComponentId id : enabled) {
      addIfPresent(used, extensions.get(id));
    }
    for (ComponentSpec spec : used.values()) {
      if (spec.config() == null) {
        continue;
      }
      Map<String, ComponentId> refs;
      try {
        refs = ((ComponentFactory) spec.factory()).extensionReferences(spec.config());
      } catch (RuntimeException e) {
        problems.error(spec.path(), "cannot list its extension references: " + e.getMessage());
        continue;
      }
      for (Map.Entry<String, ComponentId> r : refs.entrySet()) {
        String path = spec.path() + "::" + r.getKey();
        ComponentId ext = r.getValue();
        if (!extensions.containsKey(ext)) {
          problems.error(
              path,
              "references extension \"" + ext + "\", which is not configured; add it under extensions and to"
                  + " service::extensions (configured: " + names(extensions.keySet()) + ")");
        } else if (!enabled.contains(ext)) {
          problems.error(
              path,
              "references extension \"" + ext + "\", which is configured but not enabled; add it to"
                  + " service::extensions (now " + bracket(enabled) + ")");
        }
      }
    }

    if (components.get(ComponentKind.RECEIVER).isEmpty() && !hasErrorAt(problems, "receivers")) {
      problems.error("receivers", "no receiver configuration specified in config");
    }
    if (components.get(ComponentKind.EXPORTER).isEmpty() && !hasErrorAt(problems, "exporters")) {
      problems.error("exporters", "no exporter configuration specified in config");
    }

    root.reportUnknownKeys();
    if (problems.hasErrors()) {
      throw new ConfigException(HEADER, problems.errors());
    }
    Map<ComponentKind, Map<ComponentId, ComponentSpec>> frozen = new EnumMap<>(ComponentKind.class);
    for (Map.Entry<ComponentKind, Map<ComponentId, ComponentSpec>> e : components.entrySet()) {
      frozen.put(e.getKey(), Collections.unmodifiableMap(e.getValue()));
    }
    return new ServiceConfig(
        Collections.unmodifiableMap(frozen), List.copyOf(enabled), List.copyOf(pipelines), telemetry,
        problems.warnings());
  }

  private static boolean hasErrorAt(ConfigProblems problems, String section) {
    for (String e : problems.errors()) {
      if (e.startsWith(section + "::") || e.startsWith(section + ":")) {
        return true;
      }
    }
    return false;
  }

  private static void addIfPresent(Map<String, ComponentSpec> used, ComponentSpec spec) {
    if (spec != null) {
      used.putIfAbsent(spec.path(), spec);
    }
  }

  private static Map<ComponentId, ComponentSpec> readSection(
      ConfigNode root, ComponentKind kind, ComponentRegistry registry, ConfigProblems problems, Set<String> broken) {
    Map<ComponentId, ComponentSpec> out = new LinkedHashMap<>();
    ConfigNode section = root.get(kind.section());
    if (!section.present()) {
      return out;
    }
    if (!section.isMap()) {
      problems.error(kind.section(), "expected a map of " + kind.singular() + " ids to their settings");
      return out;
    }
    for (String key : section.keys()) {
      ConfigNode node = section.get(key);
      ComponentId id;
      try {
        id = ComponentId.parse(key);
      } catch (IllegalArgumentException e) {
        problems.error(node.path(), e.getMessage());
        node.acceptAnyKey();
        continue;
      }
      ComponentRegistry.Lookup lookup = registry.find(kind, id.type()).orElse(null);
      if (lookup == null) {
        problems.error(
            node.path(), "unknown type \"" + id.type() + "\" (valid values: " + registry.types(kind) + ")");
        node.acceptAnyKey();
        broken.add(kind.section() + "::" + id);
        continue;
      }
      ComponentFactory<?> f = lookup.factory();
      if (lookup.deprecatedAlias()) {
        problems.warn(node.path(), "\"" + id.type() + "\" alias is deprecated; use \"" + f.type() + "\" instead");
      }
      if (node.present() && !node.isMap()) {
        problems.error(node.path(), "expected a map of settings (or nothing, for the defaults)");
        continue;
      }
      Object config;
      try {
        config = f.createConfig(node, id.type());
      } catch (RuntimeException e) {
        problems.error(node.path(), "failed to read the configuration: " + e);
        node.acceptAnyKey();
        config = null;
      }
      out.put(id, new ComponentSpec(kind, id, f, id.type(), config));
    }
    return out;
  }

  private static List<ComponentId> refs(
      ConfigNode pipeline,
      String key,
      ComponentKind kind,
      Map<ComponentKind, Map<ComponentId, ComponentSpec>> components,
      ConfigProblems problems,
      Set<String> broken) {
    List<ComponentId> out = new ArrayList<>();
    Map<ComponentId, ComponentSpec> configured = components.get(kind);
    for (String s : pipeline.stringList(key)) {
      ComponentId id;
      try {
        id = ComponentId.parse(s);
      } catch (IllegalArgumentException e) {
        problems.error(pipeline.path() + "::" + key, e.getMessage());
        continue;
      }
      if (out.contains(id)) {
        problems.error(pipeline.path(), "references " + kind.singular() + " \"" + id + "\" multiple times");
        continue;
      }
      if (!configured.containsKey(id) && !broken.contains(kind.section() + "::" + id)) {
        problems.error(
            pipeline.path(),
            "references " + kind.singular() + " \"" + id + "\" which is not configured (configured: "
                + names(configured.keySet()) + ")");
      }
      out.add(id);
    }
    return out;
  }

  private static String describeUse(ConfigNode p) {
    List<String> parts = new ArrayList<>();
    for (String k : List.of("receivers", "processors", "exporters")) {
      Object v = p.isMap() ? ((Map<?, ?>) p.raw()).get(k) : null;
      if (v instanceof List<?> l && !l.isEmpty()) {
        parts.add(k + " " + l);
      }
    }
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  private static String names(Set<ComponentId> ids) {
    if (ids.isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    for (ComponentId id : ids) {
      out.add(id.toString());
    }
    return String.join(", ", out);
  }

  private static String bracket(List<ComponentId> ids) {
    List<String> out = new ArrayList<>();
    for (ComponentId id : ids) {
      out.add(id.toString());
    }
    return "[" + String.join(", ", out) + "]";
  }
}
