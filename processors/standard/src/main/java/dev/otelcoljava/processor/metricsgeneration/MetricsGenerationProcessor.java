package dev.otelcoljava.processor.metricsgeneration;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import java.util.HashMap;
import java.util.Map;

/** Generates metrics from rules, per resource. Stateless; thread-safe. */
final class MetricsGenerationProcessor implements Processor {
  private final MetricsGenerationConfig config;
  private final MetricsConsumer next;
  private final System.Logger logger;

  MetricsGenerationProcessor(MetricsGenerationConfig config, System.Logger logger, MetricsConsumer next) {
    this.config = config;
    this.next = next;
    this.logger = logger;
  }

  @Override
  public boolean mutatesData() {
    return true;
  }

  @Override
  public void consume(MetricsBatch batch) throws ConsumerException {
    process(batch);
    next.consume(batch);
  }

  private record Located(Metric metric, ScopeMetrics scope) {}

  void process(MetricsBatch batch) {
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      // Built once per resource before any rule runs: a generated metric is not an input of a later rule.
      Map<String, Located> byName = new HashMap<>();
      for (ScopeMetrics sm : rm.scopeMetrics()) {
        for (Metric m : sm.metrics()) {
          byName.put(m.name(), new Located(m, sm));
        }
      }
      for (MetricsGenerationConfig.Rule rule : config.rules()) {
        Located from = byName.get(rule.metric1());
        if (from == null) {
          logger.log(System.Logger.Level.DEBUG, "Missing first metric " + rule.metric1());
          continue;
        }
        Metric m1 = from.metric;
        if (m1.type() != MetricType.GAUGE && m1.type() != MetricType.SUM) {
          logger.log(System.Logger.Level.DEBUG, "Metric " + m1.name() + " is not a gauge or sum");
          continue;
        }
        Metric out;
        if (rule.type().equals("calculate")) {
          Located second = byName.get(rule.metric2());
          if (second == null) {
            logger.log(System.Logger.Level.DEBUG, "Missing second metric " + rule.metric2());
            continue;
          }
          out = calculate(rule, m1, second.metric);
        } else {
          out = scale(rule, m1);
        }
        if (!out.points().isEmpty()) {
          from.scope.metrics().add(out);
        }
      }
    }
  }

  private static Metric newMetric(MetricsGenerationConfig.Rule rule, Metric m1, boolean monotonic) {
    Metric out = new Metric(rule.name(), m1.type());
    out.setUnit(rule.unit());
    if (m1.type() == MetricType.SUM) {
      // contrib leaves temporality unset and monotonic false (a quirk that makes exporters drop or
      // mislabel the sum); the generated sum keeps metric1's temporality so that its values mean
      // what they say.
      out.setTemporality(m1.temporality());
      out.setMonotonic(monotonic);
    }
    return out;
  }

  private static Metric scale(MetricsGenerationConfig.Rule rule, Metric m1) {
    Metric out = newMetric(rule, m1, m1.monotonic() && (rule.operation().equals("multiply") || rule.operation().equals("divide")));
    for (DataPoint dp : m1.points()) {
      NumberPoint p = (NumberPoint) dp;
      double v = apply(p.value(), rule.scaleBy(), rule.operation());
      if (Double.isNaN(v) && !Double.isNaN(p.value())) {
        continue;
      }
      NumberPoint copy = p.copy();
      copy.setDoubleValue(v);
      out.addPoint(copy);
    }
    return out;
  }

  /**
   * Pairs every metric1 point with each metric2 point whose attributes agree on all shared keys
   * (contrib's {@code metricsgeneration.MatchAttributes} behaviour), merging metric2's attributes
   * onto the result. Unlike contrib's default, metric2's first point is never used for unrelated
   * metric1 points.
   */
  private static Metric calculate(MetricsGenerationConfig.Rule rule, Metric m1, Metric m2) {
    boolean monotonic = rule.operation().equals("add") && m1.monotonic() && m2.monotonic() && m1.type() == MetricType.SUM
        && m2.type() == MetricType.SUM;
    Metric out = newMetric(rule, m1, monotonic);
    if (m2.type() != MetricType.GAUGE && m2.type() != MetricType.SUM) {
      return out;
    }
    for (DataPoint d1 : m1.points()) {
      NumberPoint p1 = (NumberPoint) d1;
      for (DataPoint d2 : m2.points()) {
        if (!sharedKeysEqual(p1.attributes(), d2.attributes())) {
          continue;
        }
        NumberPoint p2 = (NumberPoint) d2;
        double v = apply(p1.value(), p2.value(), rule.operation());
        if (Double.isNaN(v) && !Double.isNaN(p1.value()) && !Double.isNaN(p2.value())) {
          continue; // division by zero or no operation: the point is skipped
        }
        NumberPoint copy = p1.copy();
        copy.setDoubleValue(v);
        copy.attributes().putAll(d2.attributes());
        out.addPoint(copy);
      }
    }
    return out;
  }

  static boolean sharedKeysEqual(Attributes a, Attributes b) {
    for (int i = 0; i < a.size(); i++) {
      int j = b.indexOf(a.key(i));
      if (j >= 0 && !a.value(i).equals(b.value(j))) {
        return false;
      }
    }
    return true;
  }

  /** The operation's result; NaN when the point must be skipped (division by zero, unknown operation). */
  static double apply(double a, double b, String op) {
    return switch (op) {
      case "add" -> a + b;
      case "subtract" -> a - b;
      case "multiply" -> a * b;
      case "divide" -> b == 0 ? Double.NaN : a / b;
      case "percent" -> b == 0 ? Double.NaN : a / b * 100;
      default -> Double.NaN;
    };
  }
}
