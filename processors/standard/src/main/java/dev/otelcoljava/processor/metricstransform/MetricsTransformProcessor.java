package dev.otelcoljava.processor.metricstransform;

import com.google.re2j.Matcher;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Exemplar;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Applies the transforms in order to each scope's metrics, as contrib's OTLP implementation does. */
final class MetricsTransformProcessor implements Processor {
  /** A transform with its compiled filter and version-substituted operations. */
  record Compiled(MetricsTransformConfig.Transform t, MetricFilter filter, List<Op> ops) {}

  record Op(MetricsTransformConfig.Operation op, String newValue, Map<String, String> valueMap, Set<String> labelSet,
      Set<String> aggregatedValues) {}

  private final List<Compiled> transforms;
  private final MetricsConsumer next;
  private final RateLimitedLogger logger;

  MetricsTransformProcessor(MetricsTransformConfig config, String version, System.Logger logger, MetricsConsumer next) {
    this.next = next;
    this.logger = new RateLimitedLogger(logger, Duration.ofMinutes(1));
    List<Compiled> list = new ArrayList<>();
    for (MetricsTransformConfig.Transform t : config.transforms()) {
      MetricFilter f = new MetricFilter(t.include(), t.matchType().equals("regexp"), t.matchLabels());
      List<Op> ops = new ArrayList<>();
      for (MetricsTransformConfig.Operation o : t.operations()) {
        Map<String, String> vm = new HashMap<>();
        for (MetricsTransformConfig.ValueAction va : o.valueActions()) {
          vm.put(va.value(), va.newValue().replace("{{version}}", version));
        }
        ops.add(new Op(o, o.newValue().replace("{{version}}", version), vm, new HashSet<>(o.labelSet()),
            new HashSet<>(o.aggregatedValues())));
      }
      list.add(new Compiled(t, f, List.copyOf(ops)));
    }
    this.transforms = List.copyOf(list);
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

  void process(MetricsBatch batch) {
    List<ResourceMetrics> grouped = new ArrayList<>();
    Iterator<ResourceMetrics> ri = batch.resourceMetrics().iterator();
    while (ri.hasNext()) {
      ResourceMetrics rm = ri.next();
      Iterator<ScopeMetrics> si = rm.scopeMetrics().iterator();
      while (si.hasNext()) {
        ScopeMetrics sm = si.next();
        List<Metric> metrics = sm.metrics();
        for (Compiled c : transforms) {
          switch (c.t.action()) {
            case "group" -> group(c, rm, sm, grouped);
            case "combine" -> combine(c, metrics);
            case "insert" -> insert(c, metrics);
            default -> update(c, metrics);
          }
        }
        if (metrics.isEmpty()) {
          si.remove();
        }
      }
      if (rm.scopeMetrics().isEmpty()) {
        ri.remove();
      }
    }
    batch.resourceMetrics().addAll(grouped);
  }

  private void update(Compiled c, List<Metric> metrics) {
    metrics.removeIf(m -> c.filter.matchMetric(m) && !transformMetric(m, c));
  }

  private void insert(Compiled c, List<Metric> metrics) {
    int n = metrics.size();
    for (int i = 0; i < n; i++) {
      Metric m = metrics.get(i);
      Metric copy = extractMatched(m, c.filter, true);
      if (copy != null && transformMetric(copy, c)) {
        metrics.add(copy);
      }
    }
  }

  /**
   * contrib's extractMatchedMetric: null if the name or no point matches; else the metric (a copy
   * when {@code copy}) or a new metric holding only the matching points.
   */
  private static Metric extractMatched(Metric m, MetricFilter f, boolean copy) {
    if (!f.nameMatches(m.name())) {
      return null;
    }
    if (!f.hasLabelMatchers()) {
      return copy ? m.copy() : m;
    }
    List<DataPoint> matched = new ArrayList<>();
    for (DataPoint p : m.points()) {
      if (f.matchAttrs(p.attributes())) {
        matched.add(p);
      }
    }
    if (matched.size() == m.points().size()) {
      return copy ? m.copy() : m;
    }
    if (matched.isEmpty()) {
      return null;
    }
    Metric out = m.copyWithoutPoints();
    for (DataPoint p : matched) {
      out.addPoint(copy ? p.copy() : p);
    }
    return out;
  }

  private void group(Compiled c, ResourceMetrics rm, ScopeMetrics sm, List<ResourceMetrics> grouped) {
    ResourceMetrics g = rm.copyWithoutScopes();
    c.t.groupResourceLabels().forEach((k, v) -> g.resource().put(k, v));
    ScopeMetrics gs = g.addScope(sm.name(), sm.version());
    gs.setAttributes(sm.attributes().copy());
    gs.setSchemaUrl(sm.schemaUrl());
    Iterator<Metric> it = sm.metrics().iterator();
    while (it.hasNext()) {
      Metric e = extractMatched(it.next(), c.filter, false);
      if (e != null) {
        gs.metrics().add(e);
        it.remove();
      }
    }
    if (!gs.metrics().isEmpty()) {
      grouped.add(g);
    }
  }

  private void combine(Compiled c, List<Metric> metrics) {
    List<Metric> matched = new ArrayList<>();
    for (Metric m : metrics) {
      if (c.filter.matchMetric(m)) {
        matched.add(m);
      }
    }
    if (matched.isEmpty()) {
      return;
    }
    String err = canBeCombined(matched);
    if (err != null) {
      logger.log(System.Logger.Level.WARNING, "combine:" + c.t.newName(), err);
      return;
    }
    List<Metric> extracted = new ArrayList<>();
    Iterator<Metric> it = metrics.iterator();
    while (it.hasNext()) {
      Metric e = extractMatched(it.next(), c.filter, false);
      if (e != null) {
        extracted.add(e);
        it.remove();
      }
    }
    Metric first = extracted.get(0);
    Metric combined = first.copyWithoutPoints();
    combined.setName(c.t.newName());
    if (c.filter.regex() != null) {
      int groups = c.filter.regex().groupCount();
      String[] keys = new String[groups + 1];
      for (int i = 1; i <= groups; i++) {
        keys[i] = "$" + i;
      }
      for (Map.Entry<String, Integer> e : c.filter.regex().namedGroups().entrySet()) {
        keys[e.getValue()] = e.getKey();
      }
      for (Metric m : extracted) {
        Matcher mm = c.filter.regex().matcher(m.name());
        if (!mm.find()) {
          continue;
        }
        for (DataPoint p : m.points()) {
          for (int i = 1; i <= groups; i++) {
            String sub = mm.group(i);
            if (sub == null) {
              continue;
            }
            sub = switch (c.t.submatchCase()) {
              case "lower" -> sub.toLowerCase(Locale.ROOT);
              case "upper" -> sub.toUpperCase(Locale.ROOT);
              default -> sub;
            };
            if (!sub.isEmpty()) {
              p.attributes().put(keys[i], sub);
            }
          }
        }
      }
    }
    Aggregation.merge(extracted, combined, c.t.aggregationType());
    if (transformMetric(combined, c)) {
      metrics.add(combined);
    }
  }

  static String canBeCombined(List<Metric> metrics) {
    if (metrics.size() <= 1) {
      return null;
    }
    Metric first = null;
    for (Metric m : metrics) {
      if (m.type() == MetricType.SUMMARY) {
        return "Summary metrics cannot be combined: " + m.name() + " ";
      }
      if (first == null) {
        first = m;
        continue;
      }
      if (first.type() != m.type()) {
        return "metrics cannot be combined as they are of different types: " + first.name() + " (" + typeName(first)
            + ") and " + m.name() + " (" + typeName(m) + ")";
      }
      if (!first.unit().equals(m.unit())) {
        return "metrics cannot be combined as they have different units: " + first.name() + " (" + first.unit()
            + ") and " + m.name() + " (" + m.unit() + ")";
      }
      Set<String> a = attrKeys(first);
      Set<String> b = attrKeys(m);
      if (!a.equals(b)) {
        return "metrics cannot be combined as they have different attributes: " + first.name() + " (" + a + ") and "
            + m.name() + " (" + b + ")";
      }
      if (first.type() != MetricType.GAUGE && first.temporality() != m.temporality()) {
        return "metrics cannot be combined as they have different aggregation temporalities: " + first.name() + " ("
            + first.temporality() + ") and " + m.name() + " (" + m.temporality() + ")";
      }
      if (first.type() == MetricType.SUM && first.monotonic() != m.monotonic()) {
        return "metrics cannot be combined as they have different monotonicity: " + first.name() + " ("
            + first.monotonic() + ") and " + m.name() + " (" + m.monotonic() + ")";
      }
    }
    return null;
  }

  private static String typeName(Metric m) {
    return switch (m.type()) {
      case GAUGE -> "Gauge";
      case SUM -> "Sum";
      case HISTOGRAM -> "Histogram";
      case EXPONENTIAL_HISTOGRAM -> "ExponentialHistogram";
      case SUMMARY -> "Summary";
    };
  }

  private static Set<String> attrKeys(Metric m) {
    Set<String> keys = new java.util.TreeSet<>();
    for (DataPoint p : m.points()) {
      keys.addAll(p.attributes().keys());
    }
    return keys;
  }

  /** contrib's transformMetric; false when the metric lost all its points. */
  private boolean transformMetric(Metric m, Compiled c) {
    boolean wasEmpty = m.points().isEmpty();
    boolean canChange = !c.t.action().equals("update") || c.filter.matchAllPoints(m);
    if (!c.t.newName().isEmpty() && canChange) {
      String expanded = c.filter.expand(c.t.newName(), m.name());
      m.setName(expanded.isEmpty() ? c.t.newName() : expanded);
    }
    for (Op op : c.ops) {
      switch (op.op.action()) {
        case "update_label" -> updateLabel(m, op, c.filter);
        case "aggregate_labels" -> {
          if (canChange) {
            aggregateLabels(m, op);
          }
        }
        case "aggregate_label_values" -> {
          if (canChange) {
            aggregateLabelValues(m, op);
          }
        }
        case "toggle_scalar_data_type" -> toggle(m, c.filter);
        case "experimental_scale_value" -> scale(m, op.op.scale(), c.filter);
        case "add_label" -> {
          if (canChange) {
            for (DataPoint p : m.points()) {
              p.attributes().putIfAbsent(op.op.newLabel(), op.newValue);
            }
          }
        }
        case "delete_label_value" -> {
          if (canChange) {
            m.points().removeIf(p -> {
              Object v = p.attributes().get(op.op.label());
              return v != null && (v instanceof String s ? s : "").equals(op.op.labelValue());
            });
          }
        }
        default -> {}
      }
    }
    return wasEmpty || !m.points().isEmpty();
  }

  private static void updateLabel(Metric m, Op op, MetricFilter f) {
    String label = op.op.label();
    String newLabel = op.op.newLabel();
    for (DataPoint p : m.points()) {
      Attributes a = p.attributes();
      if (!f.matchAttrs(a)) {
        continue;
      }
      int idx = a.indexOf(label);
      if (idx < 0) {
        continue;
      }
      Object v = a.value(idx);
      String key = label;
      if (!newLabel.isEmpty()) {
        a.removeAt(idx);
        a.put(newLabel, v);
        key = newLabel;
      }
      String mapped = op.valueMap.get(v instanceof String s ? s : "");
      if (mapped != null) {
        a.put(key, mapped);
      }
    }
  }

  private static void aggregateLabels(Metric m, Op op) {
    for (DataPoint p : m.points()) {
      Attributes a = p.attributes();
      for (int i = a.size() - 1; i >= 0; i--) {
        if (!op.labelSet.contains(a.key(i))) {
          a.removeAt(i);
        }
      }
    }
    Aggregation.merge(List.of(m), m, op.op.aggregationType());
  }

  private static void aggregateLabelValues(Metric m, Op op) {
    for (DataPoint p : m.points()) {
      Attributes a = p.attributes();
      int idx = a.indexOf(op.op.label());
      if (idx >= 0 && op.aggregatedValues.contains(a.value(idx) instanceof String s ? s : "")) {
        a.setValue(idx, op.newValue);
      }
    }
    Aggregation.merge(List.of(m), m, op.op.aggregationType());
  }

  private static void toggle(Metric m, MetricFilter f) {
    if (m.type() != MetricType.GAUGE && m.type() != MetricType.SUM) {
      return;
    }
    for (NumberPoint p : m.numberPoints()) {
      if (!f.matchAttrs(p.attributes())) {
        continue;
      }
      if (p.isDouble()) {
        p.setLongValue((long) p.doubleValue());
      } else {
        p.setDoubleValue((double) p.longValue());
      }
    }
  }

  private static void scale(Metric m, double s, MetricFilter f) {
    for (DataPoint p : m.points()) {
      if (!f.matchAttrs(p.attributes())) {
        continue;
      }
      if (p instanceof NumberPoint n) {
        if (n.isDouble()) {
          n.setDoubleValue(n.doubleValue() * s);
        } else {
          n.setLongValue((long) (n.longValue() * s));
        }
      } else if (p instanceof HistogramPoint h) {
        if (h.hasMin()) {
          h.setMin(h.min() * s);
        }
        if (h.hasMax()) {
          h.setMax(h.max() * s);
        }
        if (h.hasSum()) {
          h.setSum(h.sum() * s);
        }
        double[] b = h.bounds().clone();
        for (int i = 0; i < b.length; i++) {
          b[i] *= s;
        }
        h.setBounds(b);
      } else if (p instanceof ExponentialHistogramPoint e) {
        if (e.hasMin()) {
          e.setMin(e.min() * s);
        }
        if (e.hasMax()) {
          e.setMax(e.max() * s);
        }
        if (e.hasSum()) {
          e.setSum(e.sum() * s);
        }
      } else {
        continue;
      }
      for (Exemplar ex : p.exemplars()) {
        if (ex.isDouble()) {
          ex.setDoubleValue(ex.doubleValue() * s);
        } else {
          ex.setLongValue((long) (ex.longValue() * s));
        }
      }
    }
  }
}
