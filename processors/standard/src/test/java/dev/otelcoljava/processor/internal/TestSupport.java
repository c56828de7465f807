package dev.otelcoljava.processor.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared test helpers for the standard processors: config loading, settings, batches, rendering. */
public final class TestSupport {
  private TestSupport() {}

  /** A loaded config and the problems found. */
  public record Loaded<C>(C config, ConfigProblems problems) {}

  /** Reads a YAML test resource into a tree (no $$ expansion: the runtime does that). */
  public static Object yaml(String resource) throws IOException {
    try (InputStream in = TestSupport.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no test resource " + resource);
      }
      return new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
    }
  }

  /** Parses inline YAML text. */
  public static Object parseYaml(String text) {
    try {
      return new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Loads the config under {@code key} of a YAML resource as the runtime would, at path {@code processors::<key>}. */
  @SuppressWarnings("unchecked")
  public static <C> Loaded<C> load(ComponentFactory<C> f, String resource, String key) throws IOException {
    Map<String, Object> tree = (Map<String, Object>) yaml(resource);
    if (!tree.containsKey(key)) {
      throw new IOException(resource + " has no key " + key);
    }
    return loadTree(f, tree.get(key), key);
  }

  public static <C> Loaded<C> loadTree(ComponentFactory<C> f, Object tree, String key) {
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(tree, "processors::" + key, problems);
    String type = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
    C c = f.createConfig(node, type);
    node.reportUnknownKeys();
    return new Loaded<>(c, problems);
  }

  /** Settings with a real SDK meter whose counters {@link Telemetry#sum} reads. */
  public static final class Telemetry {
    private final SdkMeterProvider provider;
    private CollectionRegistration registration;
    public final CapturingLogger logger = new CapturingLogger();

    public Telemetry() {
      MetricReader reader = new MetricReader() {
        @Override
        public void register(CollectionRegistration r) {
          registration = r;
        }

        @Override
        public CompletableResultCode forceFlush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType t) {
          return AggregationTemporality.CUMULATIVE;
        }
      };
      provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    }

    public CreateSettings settings(String id) {
      return new CreateSettings(ComponentId.parse(id), ComponentKind.PROCESSOR, provider.get("test"), logger,
          MetricsLevel.NORMAL, new BuildInfo("otelcol-java", "otelcol-java", "1.2.3"));
    }

    /** The sum over all attribute sets of a long counter/up-down counter; 0 if never recorded. */
    public long sum(String name) {
      long total = 0;
      for (MetricData m : registration.collectAllMetrics()) {
        if (m.getName().equals(name)) {
          for (LongPointData p : m.getLongSumData().getPoints()) {
            total += p.getValue();
          }
        }
      }
      return total;
    }

    /** Every recorded point of a long sum as "attrs=value". */
    public List<String> points(String name) {
      List<String> out = new ArrayList<>();
      for (MetricData m : registration.collectAllMetrics()) {
        if (m.getName().equals(name)) {
          for (LongPointData p : m.getLongSumData().getPoints()) {
            java.util.TreeMap<String, Object> a = new java.util.TreeMap<>();
            p.getAttributes().forEach((k, v) -> a.put(k.getKey(), v));
            out.add(a + "=" + p.getValue());
          }
        }
      }
      return out;
    }
  }

  /** A System.Logger that records every message. */
  public static final class CapturingLogger implements System.Logger {
    public final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + (params == null ? format : java.text.MessageFormat.format(format, params)));
    }
  }

  // ------------------------------------------------------------------ batches

  /** A batch with one resource and one scope holding the metrics. */
  public static MetricsBatch batch(Metric... metrics) {
    return batch(new Attributes(), metrics);
  }

  public static MetricsBatch batch(Attributes resource, Metric... metrics) {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(resource).addScope("", "");
    for (Metric m : metrics) {
      s.metrics().add(m);
    }
    return b;
  }

  public static Metric gauge(String name, DataPoint... points) {
    Metric m = Metric.gauge(name);
    for (DataPoint p : points) {
      m.addPoint(p);
    }
    return m;
  }

  public static Metric sum(String name, dev.otelcoljava.runtime.api.data.Temporality t, boolean monotonic, DataPoint... points) {
    Metric m = Metric.sum(name, t, monotonic);
    for (DataPoint p : points) {
      m.addPoint(p);
    }
    return m;
  }

  public static NumberPoint dbl(double v, Object... attrs) {
    return NumberPoint.ofDouble(Attributes.of(attrs), 0, 0, v);
  }

  public static NumberPoint lng(long v, Object... attrs) {
    return NumberPoint.ofLong(Attributes.of(attrs), 0, 0, v);
  }

  public static NumberPoint at(NumberPoint p, long start, long time) {
    p.setStartTimeNanos(start);
    p.setTimeNanos(time);
    return p;
  }

  /** A deterministic text form of a batch: attributes sorted, one point per line. */
  public static String render(MetricsBatch b) {
    StringBuilder sb = new StringBuilder();
    for (ResourceMetrics r : b.resourceMetrics()) {
      sb.append("resource ").append(attrs(r.resource())).append('\n');
      for (ScopeMetrics s : r.scopeMetrics()) {
        if (!s.name().isEmpty()) {
          sb.append(" scope ").append(s.name()).append('\n');
        }
        for (Metric m : s.metrics()) {
          sb.append(renderMetric(m));
        }
      }
    }
    return sb.toString();
  }

  public static String renderMetric(Metric m) {
    StringBuilder sb = new StringBuilder();
    sb.append("  ").append(m.name()).append(' ').append(m.type());
    if (m.type() == MetricType.SUM || m.type() == MetricType.HISTOGRAM || m.type() == MetricType.EXPONENTIAL_HISTOGRAM) {
      sb.append(' ').append(m.temporality());
    }
    if (m.type() == MetricType.SUM && m.monotonic()) {
      sb.append(" monotonic");
    }
    if (!m.unit().isEmpty()) {
      sb.append(" unit=").append(m.unit());
    }
    sb.append('\n');
    for (DataPoint p : m.points()) {
      sb.append("    ").append(attrs(p.attributes())).append(' ');
      if (p instanceof NumberPoint n) {
        sb.append(n.isDouble() ? Double.toString(n.doubleValue()) : "int " + n.longValue());
      } else if (p instanceof HistogramPoint h) {
        sb.append("count=").append(h.count()).append(" sum=").append(h.sum())
            .append(" bounds=").append(java.util.Arrays.toString(h.bounds()))
            .append(" buckets=").append(java.util.Arrays.toString(h.bucketCounts()));
      } else {
        sb.append(p.getClass().getSimpleName());
      }
      if (p.startTimeNanos() != 0 || p.timeNanos() != 0) {
        sb.append(" @").append(p.startTimeNanos()).append("..").append(p.timeNanos());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  public static String attrs(Attributes a) {
    TreeMap<String, String> m = new TreeMap<>();
    a.forEach((k, v) -> m.put(k, Attributes.asString(v)));
    return m.toString();
  }
}
