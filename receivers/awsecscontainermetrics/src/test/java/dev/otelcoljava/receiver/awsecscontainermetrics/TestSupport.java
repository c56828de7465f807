package dev.otelcoljava.receiver.awsecscontainermetrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

final class TestSupport {
  private TestSupport() {}

  static CreateSettings settings() {
    return new CreateSettings(ComponentId.of("awsecscontainermetrics"), ComponentKind.RECEIVER,
        MeterProvider.noop().get("test"), System.getLogger("awsecscontainermetrics-test"),
        MetricsLevel.BASIC, new BuildInfo("otelcol-java", "test", "0.0.0"));
  }

  /** Loads a testdata YAML into a config node with the receiver's path. */
  static ConfigNode load(String resource, ConfigProblems problems) throws IOException {
    Object value = null;
    if (resource != null) {
      try (InputStream in = TestSupport.class.getResourceAsStream(resource)) {
        value = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
      }
    }
    return ConfigNode.root(value, "receivers::awsecscontainermetrics", problems);
  }

  /** The resource whose attribute {@code key} equals {@code value}, and that holds {@code metric}. */
  static ResourceMetrics resource(MetricsBatch b, String key, String value, String metric) {
    for (ResourceMetrics r : b.resourceMetrics()) {
      if (value.equals(r.resource().getString(key)) && metric(r, metric) != null) {
        return r;
      }
    }
    throw new AssertionError("no resource with " + key + "=" + value + " holding " + metric);
  }

  static ResourceMetrics task(MetricsBatch b) {
    for (ResourceMetrics r : b.resourceMetrics()) {
      if (metric(r, "ecs.task.memory.usage") != null) {
        return r;
      }
    }
    throw new AssertionError("no task resource");
  }

  static Metric metric(ResourceMetrics r, String name) {
    for (ScopeMetrics s : r.scopeMetrics()) {
      for (Metric m : s.metrics()) {
        if (m.name().equals(name)) {
          return m;
        }
      }
    }
    return null;
  }

  static NumberPoint point(ResourceMetrics r, String name) {
    Metric m = metric(r, name);
    if (m == null) {
      throw new AssertionError("missing metric " + name + " in " + r.resource());
    }
    return m.numberPoints().get(0);
  }

  static long longValue(ResourceMetrics r, String name) {
    NumberPoint p = point(r, name);
    if (p.isDouble()) {
      throw new AssertionError(name + " is a double point");
    }
    return p.longValue();
  }

  static double doubleValue(ResourceMetrics r, String name) {
    NumberPoint p = point(r, name);
    if (!p.isDouble()) {
      throw new AssertionError(name + " is an int point");
    }
    return p.doubleValue();
  }

  static List<String> names(ResourceMetrics r) {
    List<String> out = new ArrayList<>();
    for (ScopeMetrics s : r.scopeMetrics()) {
      for (Metric m : s.metrics()) {
        out.add(m.name());
      }
    }
    return out;
  }

  static Attributes attrs(ResourceMetrics r) {
    return r.resource();
  }
}
