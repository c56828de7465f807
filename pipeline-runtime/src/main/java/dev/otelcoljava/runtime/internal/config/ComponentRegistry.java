package dev.otelcoljava.runtime.internal.config;

import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The component factories known to this collector, by kind and type name (current names and
 * deprecated aliases). Built from {@link ServiceLoader} ({@link #loadInstalled()}) and/or explicit
 * registration ({@link #builder()}, for tests). Two factories claiming one type or alias of one kind
 * fail fast at build time. Immutable and thread-safe.
 */
public final class ComponentRegistry {
  /** A factory found by a type name, and whether that name is a deprecated alias. */
  public record Lookup(ComponentFactory<?> factory, boolean deprecatedAlias) {}

  private final Map<ComponentKind, Map<String, Lookup>> byName;
  private final Map<ComponentKind, List<ComponentFactory<?>>> factories;

  private ComponentRegistry(
      Map<ComponentKind, Map<String, Lookup>> byName, Map<ComponentKind, List<ComponentFactory<?>>> factories) {
    this.byName = byName;
    this.factories = factories;
  }

  /** Every factory registered for {@link ServiceLoader} on the class path. */
  public static ComponentRegistry loadInstalled() {
    return builder().addInstalled(ComponentRegistry.class.getClassLoader()).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The factory for a type name (current or deprecated alias) of a kind. */
  public Optional<Lookup> find(ComponentKind kind, String type) {
    return Optional.ofNullable(byName.get(kind).get(type));
  }

  /** The factories of a kind, sorted by type. */
  public List<ComponentFactory<?>> factories(ComponentKind kind) {
    return factories.get(kind);
  }

  /** The current type names of a kind, sorted (aliases are not listed). */
  public List<String> types(ComponentKind kind) {
    List<String> out = new ArrayList<>();
    for (ComponentFactory<?> f : factories.get(kind)) {
      out.add(f.type());
    }
    return out;
  }

  /** Collects factories; {@link #build} checks for duplicates. */
  public static final class Builder {
    private final List<ComponentFactory<?>> list = new ArrayList<>();

    public Builder add(ComponentFactory<?> factory) {
      list.add(factory);
      return this;
    }

    @SuppressWarnings("rawtypes")
    public Builder addInstalled(ClassLoader loader) {
      for (ComponentFactory f : ServiceLoader.load(ComponentFactory.class, loader)) {
        list.add(f);
      }
      return this;
    }

    /**
     * @throws IllegalStateException naming both factories when two claim one type or alias
     */
    public ComponentRegistry build() {
      Map<ComponentKind, Map<String, Lookup>> byName = new EnumMap<>(ComponentKind.class);
      Map<ComponentKind, List<ComponentFactory<?>>> byKind = new EnumMap<>(ComponentKind.class);
      Map<ComponentKind, Map<String, ComponentFactory<?>>> sorted = new EnumMap<>(ComponentKind.class);
      for (ComponentKind k : ComponentKind.values()) {
        byName.put(k, new TreeMap<>());
        sorted.put(k, new TreeMap<>());
      }
      List<String> errors = new ArrayList<>();
      for (ComponentFactory<?> f : list) {
        ComponentKind kind = f.kind();
        claim(byName.get(kind), kind, f.type(), new Lookup(f, false), errors);
        for (String alias : f.deprecatedTypes()) {
          claim(byName.get(kind), kind, alias, new Lookup(f, true), errors);
        }
        sorted.get(kind).putIfAbsent(f.type(), f);
      }
      if (!errors.isEmpty()) {
        throw new IllegalStateException(String.join("; ", errors));
      }
      for (ComponentKind k : ComponentKind.values()) {
        byName.put(k, Collections.unmodifiableMap(byName.get(k)));
        byKind.put(k, List.copyOf(sorted.get(k).values()));
      }
      return new ComponentRegistry(byName, byKind);
    }

    private static void claim(
        Map<String, Lookup> names, ComponentKind kind, String name, Lookup l, List<String> errors) {
      Lookup prev = names.putIfAbsent(name, l);
      if (prev != null) {
        errors.add(
            "duplicate " + kind.singular() + " factory for type \"" + name + "\": "
                + prev.factory().getClass().getName() + " and " + l.factory().getClass().getName());
      }
    }
  }
}
