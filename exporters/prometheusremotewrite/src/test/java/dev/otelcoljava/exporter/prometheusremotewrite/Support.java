package dev.otelcoljava.exporter.prometheusremotewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Shared helpers for this module's tests. */
final class Support {
  static final ObjectMapper JSON = new ObjectMapper();
  static final PrometheusRemoteWriteExporterFactory FACTORY = new PrometheusRemoteWriteExporterFactory();

  private Support() {}

  static final Host NO_EXTENSIONS = new Host() {
    @Override
    public Optional<Extension> extension(ComponentId id) {
      return Optional.empty();
    }

    @Override
    public Map<ComponentId, Extension> extensions() {
      return Map.of();
    }
  };

  static CreateSettings settings(String id) {
    return settings(id, System.getLogger("test." + id));
  }

  static CreateSettings settings(String id, System.Logger logger) {
    return new CreateSettings(ComponentId.parse(id), ComponentKind.EXPORTER, OpenTelemetry.noop().getMeter("test"),
        logger, MetricsLevel.NORMAL, new BuildInfo("otelcol-java", "otelcol-java", "1.2.3"));
  }

  /** A logger that keeps every line ("LEVEL message") and also prints it. */
  static final class CapturingLogger implements System.Logger {
    final java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg);
      System.err.println("[captured] " + level + " " + msg);
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
      log(level, bundle, params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params), (Throwable) null);
    }

    long count(String fragment) {
      return lines.stream().filter(l -> l.contains(fragment)).count();
    }
  }

  /** Loads a config tree; returns [config, problems]. */
  static Object[] load(Map<String, Object> tree, String type) {
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(tree, "exporters::" + type, problems);
    PrometheusRemoteWriteConfig c = FACTORY.createConfig(node, type);
    node.reportUnknownKeys();
    return new Object[] {c, problems};
  }

  static PrometheusRemoteWriteConfig config(Map<String, Object> tree) {
    Object[] r = load(tree, "prometheus_remote_write");
    ConfigProblems p = (ConfigProblems) r[1];
    if (p.hasErrors()) {
      throw new AssertionError(p.errors().toString());
    }
    return (PrometheusRemoteWriteConfig) r[0];
  }

  static PrometheusRemoteWriteExporter start(String id, Map<String, Object> tree) throws Exception {
    return start(id, tree, System.getLogger("test." + id), NO_EXTENSIONS);
  }

  static PrometheusRemoteWriteExporter start(String id, Map<String, Object> tree, System.Logger logger, Host host) throws Exception {
    PrometheusRemoteWriteExporter e = (PrometheusRemoteWriteExporter) FACTORY.createExporter(settings(id, logger), config(tree));
    e.start(host);
    return e;
  }

  static ResourceMetrics resource(MetricsBatch b, String service, String instance) {
    return b.addResource(Attributes.of("service.name", service, "service.instance.id", instance));
  }

  static Metric gauge(ScopeMetrics s, String name, String unit, Attributes attrs, long tNanos, double v) {
    Metric m = Metric.gauge(name);
    m.setUnit(unit);
    m.addPoint(NumberPoint.ofDouble(attrs, 0, tNanos, v));
    s.metrics().add(m);
    return m;
  }

  static Metric counter(ScopeMetrics s, String name, String unit, Attributes attrs, long tNanos, double v) {
    Metric m = Metric.sum(name, Temporality.CUMULATIVE, true);
    m.setUnit(unit);
    m.addPoint(NumberPoint.ofDouble(attrs, 0, tNanos, v));
    s.metrics().add(m);
    return m;
  }

  static Metric histogram(ScopeMetrics s, String name, String unit, Attributes attrs, long tNanos, double[] bounds, long[] counts, double sum) {
    Metric m = new Metric(name, MetricType.HISTOGRAM);
    m.setUnit(unit);
    HistogramPoint p = new HistogramPoint();
    p.setAttributes(attrs);
    p.setTimeNanos(tNanos);
    p.setBounds(bounds);
    p.setBucketCounts(counts);
    long c = 0;
    for (long x : counts) {
      c += x;
    }
    p.setCount(c);
    p.setSum(sum);
    m.addPoint(p);
    s.metrics().add(m);
    return m;
  }

  static Metric summary(ScopeMetrics s, String name, Attributes attrs, long tNanos, long count, double sum, double[] q, double[] v) {
    Metric m = new Metric(name, MetricType.SUMMARY);
    SummaryPoint p = new SummaryPoint();
    p.setAttributes(attrs);
    p.setTimeNanos(tNanos);
    p.setCount(count);
    p.setSum(sum);
    p.setQuantiles(q, v);
    m.addPoint(p);
    s.metrics().add(m);
    return m;
  }

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("bad JSON: " + s, e);
    }
  }

  static void await(String what, long timeoutMillis, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (cond.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
