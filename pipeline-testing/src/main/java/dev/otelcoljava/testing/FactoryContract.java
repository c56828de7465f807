package dev.otelcoljava.testing;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.Component;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.ExtensionFactory;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The contract every component factory must meet, checked the same way for all of them:
 *
 * <ul>
 *   <li>{@link #checkTypeNames}: the type and every deprecated alias match otelcol's type form and
 *       differ from each other;
 *   <li>{@link #readConfig}: a config (YAML text; empty for the defaults) reads with no problem and
 *       no unknown key, twice to equal values (no side effects);
 *   <li>{@link #checkLifecycle}: the component is created, shut down without start, started, and
 *       shut down twice, without throwing;
 *   <li>{@link #checkMutationHonest}: a processor that says it does not mutate leaves its input as
 *       it was (names, types, attributes, number values and point objects).
 * </ul>
 *
 * <p>{@link #verify} runs all of them. Uses a no-op meter and a logger named after the component.
 */
public final class FactoryContract {
  private static final Pattern TYPE = Pattern.compile("^[a-zA-Z][0-9a-zA-Z_]{0,62}$");
  private static final BuildInfo BUILD = new BuildInfo("otelcol-java", "otelcol-java", "test");
  private static final Host NO_EXTENSIONS = new Host() {
    @Override
    public Optional<Extension> extension(ComponentId id) {
      return Optional.empty();
    }

    @Override
    public Map<ComponentId, Extension> extensions() {
      return Map.of();
    }
  };

  private FactoryContract() {}

  /** Runs every check with the given config (YAML body of the component; "" for defaults). */
  public static void verify(ComponentFactory<?> factory, String configYaml) throws Exception {
    checkTypeNames(factory);
    readConfig(factory, configYaml);
    checkLifecycle(factory, configYaml);
    if (factory instanceof ProcessorFactory<?>) {
      checkMutationHonest(factory, configYaml, sampleBatch());
    }
  }

  public static void checkTypeNames(ComponentFactory<?> factory) {
    check(TYPE.matcher(factory.type()).matches(), "type \"" + factory.type() + "\" must match " + TYPE);
    for (String alias : factory.deprecatedTypes()) {
      check(TYPE.matcher(alias).matches(), "alias \"" + alias + "\" must match " + TYPE);
      check(!alias.equals(factory.type()), "alias \"" + alias + "\" repeats the type");
    }
    check(factory.stability() != null, "stability must not be null");
    check(factory.kind() != null, "kind must not be null");
  }

  /**
   * Reads the config twice and checks there are no problems, no unknown keys, and equal results.
   *
   * @return the typed config
   */
  public static Object readConfig(ComponentFactory<?> factory, String configYaml) {
    Object first = read(factory, configYaml);
    Object second = read(factory, configYaml);
    check(first != null, factory.type() + ": createConfig returned null");
    check(first.equals(second), factory.type() + ": reading the same config twice gave different values"
        + " (config classes should be records without side effects): " + first + " vs " + second);
    return first;
  }

  private static Object read(ComponentFactory<?> factory, String configYaml) {
    Object tree = configYaml == null || configYaml.isBlank()
        ? null
        : new Yaml(new SafeConstructor(new LoaderOptions())).load(configYaml);
    ConfigProblems problems = new ConfigProblems();
    String path = factory.kind().section() + "::" + factory.type();
    ConfigNode node = ConfigNode.root(tree, path, problems);
    Object cfg = factory.createConfig(node, factory.type());
    node.reportUnknownKeys();
    check(!problems.hasErrors(), path + ": config has problems: " + problems.errors());
    return cfg;
  }

  /** Creates the component and runs shutdown-before-start, start, shutdown, shutdown. */
  public static void checkLifecycle(ComponentFactory<?> factory, String configYaml) throws Exception {
    Component first = create(factory, configYaml, new MetricsSink());
    first.shutdown(Duration.ofSeconds(5));
    Component c = create(factory, configYaml, new MetricsSink());
    c.start(NO_EXTENSIONS);
    c.shutdown(Duration.ofSeconds(5));
    c.shutdown(Duration.ofSeconds(5));
  }

  /** For a processor that declares it does not mutate: its input is unchanged after consume. */
  public static void checkMutationHonest(ComponentFactory<?> factory, String configYaml, MetricsBatch input)
      throws Exception {
    Processor p = (Processor) create(factory, configYaml, new MetricsSink());
    if (p.mutatesData()) {
      return;
    }
    p.start(NO_EXTENSIONS);
    try {
      String before = snapshot(input);
      p.consume(input);
      check(before.equals(snapshot(input)),
          factory.type() + ": mutatesData() is false but consume changed its input:\n" + before + "\n" + snapshot(input));
    } finally {
      p.shutdown(Duration.ofSeconds(5));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Component create(ComponentFactory<?> factory, String configYaml, MetricsSink next) throws Exception {
    Object cfg = read(factory, configYaml);
    ComponentId id = ComponentId.of(factory.type());
    CreateSettings settings = new CreateSettings(
        id, factory.kind(), MeterProvider.noop().get("contract"),
        System.getLogger(factory.kind().section() + "::" + id), MetricsLevel.NORMAL, BUILD);
    return switch (factory.kind()) {
      case RECEIVER -> ((ReceiverFactory) factory).createReceiver(settings, cfg, next);
      case PROCESSOR -> ((ProcessorFactory) factory).createProcessor(settings, cfg, next);
      case EXPORTER -> ((ExporterFactory) factory).createExporter(settings, cfg);
      case EXTENSION -> ((ExtensionFactory) factory).createExtension(settings, cfg);
    };
  }

  /** A small batch of gauges with attributes, for mutation checks. */
  public static MetricsBatch sampleBatch() {
    MetricsBatch b = new MetricsBatch();
    ResourceMetrics r = b.addResource(dev.otelcoljava.runtime.api.data.Attributes.of("service.name", "contract"));
    ScopeMetrics s = r.addScope("contract", "1");
    dev.otelcoljava.runtime.api.data.Metric m = dev.otelcoljava.runtime.api.data.Metric.gauge("contract_gauge");
    for (int i = 0; i < 3; i++) {
      m.addPoint(dev.otelcoljava.runtime.api.data.NumberPoint.ofDouble(
          dev.otelcoljava.runtime.api.data.Attributes.of("i", String.valueOf(i)), 1_000_000_000L, 2_000_000_000L, i + 0.5));
    }
    s.metrics().add(m);
    return b;
  }

  private static String snapshot(MetricsBatch b) {
    StringBuilder sb = new StringBuilder();
    for (ResourceMetrics r : b.resourceMetrics()) {
      sb.append("resource ").append(r.resource()).append('\n');
      for (ScopeMetrics s : r.scopeMetrics()) {
        sb.append(" scope ").append(s.name()).append(' ').append(s.version()).append(' ').append(s.attributes()).append('\n');
        for (dev.otelcoljava.runtime.api.data.Metric m : s.metrics()) {
          sb.append("  ").append(m).append(" ids=");
          List<?> points = m.points();
          for (Object p : points) {
            sb.append(System.identityHashCode(p)).append(',');
          }
          sb.append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
