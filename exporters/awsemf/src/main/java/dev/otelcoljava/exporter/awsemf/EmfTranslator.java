package dev.otelcoljava.exporter.awsemf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.exporter.awsemf.AwsEmfConfig.MetricDeclaration;
import dev.otelcoljava.exporter.awsemf.AwsEmfConfig.MetricDescriptor;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Translates metrics into EMF log events the way otelcol-contrib's awsemf exporter does: points
 * grouped by (namespace, time, log group, stream, metric type, point index, labels), cumulative
 * sums (and Prometheus summaries) turned into deltas, dimensions from the rollup option or the
 * metric declarations, JSON marshalled as Go does. Beyond contrib, an event never has more than
 * 100 metric definitions (more are split over several events) and a dimension set of more than
 * 30 labels is left out and counted, as CloudWatch rejects both. Not thread-safe: the exporter
 * calls it under its lock.
 */
final class EmfTranslator {
  static final String OTEL_LIB = "OTelLib";
  static final String STORAGE_RESOLUTION = "aws.emf.storage_resolution";
  static final int MAX_METRICS_PER_EVENT = 100;
  static final int MAX_DIMENSIONS_PER_SET = 30;
  private static final int EXP_HISTOGRAM_SPLIT = 100;
  private static final Map<String, String> PATTERN_ATTRIBUTES = new LinkedHashMap<>();

  static {
    PATTERN_ATTRIBUTES.put("ClusterName", "aws.ecs.cluster.name");
    PATTERN_ATTRIBUTES.put("TaskId", "aws.ecs.task.id");
    PATTERN_ATTRIBUTES.put("NodeName", "k8s.node.name");
    PATTERN_ATTRIBUTES.put("ContainerInstanceId", "aws.ecs.container.instance.id");
    PATTERN_ATTRIBUTES.put("TaskDefinitionFamily", "aws.ecs.task.family");
    PATTERN_ATTRIBUTES.put("ServiceName", "service.name");
    PATTERN_ATTRIBUTES.put("PodName", "pod");
  }

  /** Where drops and warnings go (self-metrics, rate-limited log). */
  interface Listener {
    /** A data point dropped for a reason (nan, inf, stale, initial_value). */
    void droppedPoints(String reason, long points);

    /** A dimension set left out of a directive (over 30 labels). */
    void droppedDimensionSet(List<String> set);

    /** A warning to log at a limited rate. */
    void warn(String key, String message);
  }

  private record GroupKey(String namespace, long timestampMs, String logGroup, String logStream, MetricType type,
      int batchIndex, Map<String, String> labels) {}

  private record DeltaKey(String metricName, String namespace, String logGroup, String logStream, boolean summary,
      Map<String, String> labels) {}

  private static final class MetricInfo {
    final Object value;
    final String unit;
    int points;

    MetricInfo(Object value, String unit) {
      this.value = value;
      this.unit = unit;
    }
  }

  private static final class Grouped {
    final Map<String, String> labels;
    final Map<String, MetricInfo> metrics = new LinkedHashMap<>();
    final String namespace;
    final long timestampMs;
    final String logGroup;
    final String logStream;
    final MetricType type;
    final String receiver;

    Grouped(Map<String, String> labels, String namespace, long timestampMs, String logGroup, String logStream,
        MetricType type, String receiver) {
      this.labels = labels;
      this.namespace = namespace;
      this.timestampMs = timestampMs;
      this.logGroup = logGroup;
      this.logStream = logStream;
      this.type = type;
      this.receiver = receiver;
    }
  }

  /** One computed point: name, value (Double, Long or a GoJson value), labels, time. */
  private record Dp(String name, Object value, Map<String, String> labels, long timestampMs) {}

  private final AwsEmfConfig config;
  private final Map<String, MetricDescriptor> descriptors;
  private final String defaultLogStream;
  private final DeltaCache cache;
  private final Listener listener;
  private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  EmfTranslator(AwsEmfConfig config, String defaultLogStream, DeltaCache cache, Listener listener) {
    this.config = config;
    this.descriptors = config.descriptorsByName();
    this.defaultLogStream = defaultLogStream;
    this.cache = cache;
    this.listener = listener;
  }

  /**
   * Translates a batch into log events, in a stable order (first appearance of each group).
   *
   * @param nowMs the time used for points without a timestamp
   * @param nowNanos a monotonic time for the delta cache's expiry
   */
  List<EmfEvent> translate(MetricsBatch batch, long nowMs, long nowNanos) {
    cache.sweep(nowNanos);
    Map<GroupKey, Grouped> groups = new LinkedHashMap<>();
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      translateResource(rm, groups, nowMs, nowNanos);
    }
    List<EmfEvent> events = new ArrayList<>(groups.size());
    for (Grouped g : groups.values()) {
      toEvents(g, events);
    }
    return events;
  }

  private void translateResource(ResourceMetrics rm, Map<GroupKey, Grouped> groups, long nowMs, long nowNanos) {
    Map<String, String> resource = stringMap(rm.resource());
    String namespace = namespace(resource);
    String logGroup = "/metrics/" + namespace;
    String logStream = "";
    boolean replaced = true;
    if (!config.logGroupName().isEmpty()) {
      String[] r = replacePatterns(config.logGroupName(), resource);
      logGroup = r[0];
      replaced = r[1] != null;
    }
    if (!config.logStreamName().isEmpty()) {
      String[] r = replacePatterns(config.logStreamName(), resource);
      logStream = r[0];
      replaced = replaced && r[1] != null;
    }
    String receiver = resource.getOrDefault("receiver", "");
    String scopeName = "";
    for (ScopeMetrics sm : rm.scopeMetrics()) {
      if (!sm.name().isEmpty()) {
        scopeName = sm.name(); // never reset: contrib keeps the last non-empty scope name
      }
      for (Metric m : sm.metrics()) {
        addMetric(m, rm.resource(), namespace, logGroup, logStream, replaced, receiver, scopeName, groups, nowMs, nowNanos);
      }
    }
  }

  private String namespace(Map<String, String> resource) {
    if (!config.namespace().isEmpty()) {
      return config.namespace();
    }
    String svc = resource.get("service.name");
    String ns = resource.get("service.namespace");
    if (svc != null && ns != null) {
      return ns + "/" + svc;
    }
    if (svc != null) {
      return svc;
    }
    if (ns != null) {
      return ns;
    }
    return "default";
  }

  /** Replaces {Pattern}s; returns {text, non-null if every pattern resolved}. */
  static String[] replacePatterns(String template, Map<String, String> attrs) {
    String s = template;
    boolean ok = true;
    for (Map.Entry<String, String> p : PATTERN_ATTRIBUTES.entrySet()) {
      String pattern = "{" + p.getKey() + "}";
      if (!s.contains(pattern)) {
        continue;
      }
      String v = attrs.get(p.getKey());
      if (v == null) {
        v = attrs.get(p.getValue());
      }
      if (v == null || v.isEmpty()) {
        s = s.replace(pattern, "undefined");
        ok = false;
      } else {
        s = s.replace(pattern, v);
      }
    }
    return new String[] {s, ok ? "" : null};
  }

  private void addMetric(Metric m, Attributes resource, String namespace, String logGroup, String logStream,
      boolean replaced, String receiver, String scopeName, Map<GroupKey, Grouped> groups, long nowMs, long nowNanos) {
    MetricType type = m.type();
    boolean adjustToDelta = (type == MetricType.SUM && m.temporality() == Temporality.CUMULATIVE)
        || (type == MetricType.SUMMARY && receiver.equals("prometheus"));
    String unit = translateUnit(m);
    List<Dp> dps = new ArrayList<>();
    for (DataPoint p : m.points()) {
      String stale = staleNaNInf(p);
      if (stale != null) {
        listener.droppedPoints(stale, 1);
        continue;
      }
      Map<String, String> labels = labels(p.attributes(), resource, scopeName);
      long ts = p.timeNanos() / 1_000_000L;
      int before = dps.size();
      switch (type) {
        case GAUGE, SUM -> number(m, (NumberPoint) p, labels, ts, adjustToDelta, namespace, logGroup, logStream, nowNanos, dps);
        case HISTOGRAM -> {
          HistogramPoint h = (HistogramPoint) p;
          dps.add(new Dp(m.name(), new GoJson.Stats(h.max(), h.min(), h.count(), h.sum()), labels, ts));
        }
        case EXPONENTIAL_HISTOGRAM -> exponential(m.name(), (ExponentialHistogramPoint) p, labels, ts, dps);
        case SUMMARY -> summary(m.name(), (SummaryPoint) p, labels, ts, adjustToDelta, namespace, logGroup, logStream,
            nowNanos, dps);
      }
      if (dps.size() == before) {
        listener.droppedPoints("initial_value", 1);
      }
    }
    for (int i = 0; i < dps.size(); i++) {
      Dp dp = dps.get(i);
      Map<String, String> labels = dp.labels();
      if (config.eksFargateContainerInsightsEnabled()) {
        String t = labels.get("Type");
        if ("Pod".equals(t) || "Container".equals(t)) {
          labels.put("kubernetes", kubernetesObject(labels));
        }
      }
      String group = logGroup;
      String stream = logStream;
      if (!replaced) {
        if (group.contains("undefined")) {
          group = replacePatterns(config.logGroupName(), labels)[0];
        }
        if (stream.contains("undefined")) {
          stream = replacePatterns(config.logStreamName(), labels)[0];
        }
      }
      if (stream.isEmpty()) {
        stream = defaultLogStream;
      }
      long ts = dp.timestampMs() > 0 ? dp.timestampMs() : nowMs;
      int batchIndex = (type == MetricType.SUMMARY && config.detailedMetrics()) ? 0 : i;
      GroupKey key = new GroupKey(namespace, ts, group, stream, type, batchIndex, labels);
      Grouped g = groups.get(key);
      if (g == null) {
        g = new Grouped(labels, namespace, ts, group, stream, type, receiver);
        groups.put(key, g);
      }
      MetricInfo existing = g.metrics.get(dp.name());
      if (existing != null) {
        listener.warn("duplicate:" + dp.name(), "Duplicate metric found: " + dp.name() + " with labels " + labels
            + "; the first one is kept");
        existing.points++; // the point is accounted with the kept one
      } else {
        MetricInfo mi = new MetricInfo(dp.value(), unit);
        mi.points = 1;
        g.metrics.put(dp.name(), mi);
      }
    }
  }

  private static String staleNaNInf(DataPoint p) {
    if (p.noRecordedValue()) {
      return "stale";
    }
    if (p instanceof NumberPoint n) {
      return n.isDouble() ? bad(n.doubleValue()) : null;
    }
    if (p instanceof HistogramPoint h) {
      return firstBad(h.sum(), h.min(), h.max());
    }
    if (p instanceof ExponentialHistogramPoint e) {
      return firstBad(e.sum(), e.min(), e.max());
    }
    if (p instanceof SummaryPoint s) {
      String r = bad(s.sum());
      if (r != null) {
        return r;
      }
      for (int i = 0; i < s.values().length; i++) {
        r = firstBad(s.values()[i], s.quantiles()[i], 0);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  private static String firstBad(double a, double b, double c) {
    String r = bad(a);
    if (r == null) {
      r = bad(b);
    }
    return r == null ? bad(c) : r;
  }

  private static String bad(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    return Double.isInfinite(v) ? "inf" : null;
  }

  private Map<String, String> labels(Attributes point, Attributes resource, String scopeName) {
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < point.size(); i++) {
      labels.put(point.key(i), attrString(point.value(i)));
    }
    if (config.resourceToTelemetryConversion()) {
      for (int i = 0; i < resource.size(); i++) {
        labels.putIfAbsent(resource.key(i), attrString(resource.value(i)));
      }
    }
    if (!scopeName.isEmpty()) {
      labels.put(OTEL_LIB, scopeName);
    }
    return labels;
  }

  /** An attribute as Go's pcommon.Value.AsString renders it (doubles in plain notation). */
  static String attrString(Object v) {
    if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return d.isNaN() ? "NaN" : (d > 0 ? "+Inf" : "-Inf");
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    if (v instanceof List<?> || v instanceof Map<?, ?>) {
      return GoJson.toString(v);
    }
    return Attributes.asString(v);
  }

  private static Map<String, String> stringMap(Attributes a) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < a.size(); i++) {
      m.put(a.key(i), attrString(a.value(i)));
    }
    return m;
  }

  private String translateUnit(Metric m) {
    String unit = m.unit();
    MetricDescriptor d = descriptors.get(m.name());
    if (d != null && (unit.isEmpty() || d.overwrite())) {
      return d.unit();
    }
    return switch (unit) {
      case "1", "ns" -> "";
      case "ms" -> "Milliseconds";
      case "s" -> "Seconds";
      case "us" -> "Microseconds";
      case "By" -> "Bytes";
      case "bit" -> "Bits";
      default -> unit;
    };
  }

  private void number(Metric m, NumberPoint p, Map<String, String> labels, long ts, boolean adjust, String namespace,
      String logGroup, String logStream, long nowNanos, List<Dp> out) {
    double value = p.value();
    if (adjust) {
      double delta = cache.delta(new DeltaKey(m.name(), namespace, logGroup, logStream, false, Map.copyOf(labels)),
          value, nowNanos);
      if (Double.isNaN(delta)) {
        if (!config.retainInitialValueOfDeltaMetric()) {
          return;
        }
      } else if (delta >= 0) {
        value = delta; // a negative delta (a reset) sends the raw value, as contrib does
      }
    }
    out.add(new Dp(m.name(), value, labels, ts));
  }

  private void summary(String name, SummaryPoint p, Map<String, String> labels, long ts, boolean adjust, String namespace,
      String logGroup, String logStream, long nowNanos, List<Dp> out) {
    double sum = p.sum();
    long count = p.count();
    if (adjust) {
      double[] d = new double[2];
      boolean ok = cache.summaryDelta(new DeltaKey(name, namespace, logGroup, logStream, true, Map.copyOf(labels)),
          sum, count, nowNanos, d);
      if (!ok && !config.retainInitialValueOfDeltaMetric()) {
        return;
      }
      if (ok && d[1] >= 0 && d[0] >= 0) {
        sum = d[0];
        count = (long) d[1];
      }
      // a negative delta means the summary was reset: the raw values are the delta since the reset
    }
    double[] qs = p.quantiles();
    double[] vs = p.values();
    if (config.detailedMetrics()) {
      out.add(new Dp(name + "_sum", sum, labels, ts));
      out.add(new Dp(name + "_count", count, labels, ts));
      for (int i = 0; i < qs.length; i++) {
        Map<String, String> ql = new TreeMap<>(labels);
        ql.put("quantile", formatG(qs[i]));
        out.add(new Dp(name, vs[i], ql, ts));
      }
    } else {
      double min = vs.length > 0 ? vs[0] : 0;
      double max = vs.length > 0 ? vs[vs.length - 1] : 0;
      out.add(new Dp(name, new GoJson.Stats(max, min, count, sum), labels, ts));
    }
  }

  /** Go's strconv.FormatFloat(q, 'g', -1, 64). */
  static String formatG(double q) {
    if (q == 0) {
      return "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(q)).stripTrailingZeros();
    int digits = bd.precision();
    int exp = digits - 1 - bd.scale();
    // shortest form: %e when the exponent is < -4 or >= 6, as Go decides for precision -1
    if (exp < -4 || exp >= 6) {
      StringBuilder sb = new StringBuilder();
      String d = bd.unscaledValue().abs().toString();
      if (q < 0) {
        sb.append('-');
      }
      sb.append(d.charAt(0));
      if (d.length() > 1) {
        sb.append('.').append(d, 1, d.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int e = Math.abs(exp);
      if (e < 10) {
        sb.append('0');
      }
      return sb.append(e).toString();
    }
    return bd.toPlainString();
  }

  private void exponential(String name, ExponentialHistogramPoint p, Map<String, String> labels, long ts, List<Dp> out) {
    double base = Math.pow(2, Math.pow(2, -p.scale()));
    long[] pos = p.positiveCounts();
    long[] neg = p.negativeCounts();
    int total = pos.length + neg.length + (p.zeroCount() > 0 ? 1 : 0);
    int bucket = 0;
    int posIdx = pos.length - 1;
    boolean zeroDone = false;
    int negIdx = 0;
    List<Dp> splits = new ArrayList<>();
    List<double[]> minMax = new ArrayList<>();
    while (bucket < total) {
      int capacity = Math.min(EXP_HISTOGRAM_SPLIT, total - bucket);
      double sum = bucket == 0 ? p.sum() : 0;
      List<Double> values = new ArrayList<>();
      List<Double> counts = new ArrayList<>();
      long count = 0;
      double max = p.max();
      double min = p.min();
      int length = 0;
      double begin = 0;
      double end = 0;
      while (length < capacity && posIdx >= 0) {
        int index = posIdx + p.positiveOffset();
        end = end == 0 ? Math.pow(base, index + 1) : begin;
        begin = Math.pow(base, index);
        long c = pos[posIdx];
        if (c > 0) {
          values.add((begin + end) / 2);
          counts.add((double) c);
          count += c;
          length++;
          if (length == 1) {
            max = end;
          }
          if (length >= capacity) {
            min = begin;
          }
        }
        bucket++;
        posIdx--;
      }
      if (p.zeroCount() > 0 && length < capacity && !zeroDone) {
        values.add(0.0);
        counts.add((double) p.zeroCount());
        count += p.zeroCount();
        length++;
        if (length == 1) {
          max = 0;
        }
        if (length >= capacity) {
          min = 0;
        }
        zeroDone = true;
        bucket++;
      }
      begin = 0;
      end = 0;
      while (length < capacity && negIdx < neg.length) {
        int index = negIdx + p.negativeOffset();
        end = end == 0 ? -Math.pow(base, index) : begin;
        begin = -Math.pow(base, index + 1);
        long c = neg[negIdx];
        if (c > 0) {
          values.add((begin + end) / 2);
          counts.add((double) c);
          count += c;
          length++;
          if (length == 1) {
            max = end;
          }
          if (length >= capacity) {
            min = begin;
          }
        }
        bucket++;
        negIdx++;
      }
      if (length > 0) {
        splits.add(new Dp(name, null, labels, ts));
        minMax.add(new double[] {max, min, count, sum});
        splitValues.add(new Object[] {values, counts});
      }
    }
    if (splits.isEmpty()) {
      out.add(new Dp(name, new GoJson.Histogram(List.of(), List.of(), p.max(), p.min(), p.count(), p.sum()), labels, ts));
      splitValues.clear();
      return;
    }
    minMax.get(0)[0] = p.max();
    minMax.get(minMax.size() - 1)[1] = p.min();
    for (int i = 0; i < splits.size(); i++) {
      double[] mm = minMax.get(i);
      Object[] vc = splitValues.get(i);
      @SuppressWarnings("unchecked")
      List<Double> values = (List<Double>) vc[0];
      @SuppressWarnings("unchecked")
      List<Double> counts = (List<Double>) vc[1];
      out.add(new Dp(name, new GoJson.Histogram(values, counts, mm[0], mm[1], (long) mm[2], mm[3]), labels, ts));
    }
    splitValues.clear();
  }

  private final List<Object[]> splitValues = new ArrayList<>();

  private static String kubernetesObject(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    GoJson j = new GoJson(sb);
    boolean[] first = {true};
    field(j, sb, first, "container_name", labels.get("container"));
    String cid = labels.get("container_id");
    if (cid != null && !cid.isEmpty()) {
      comma(sb, first);
      j.key("docker").raw('{').key("container_id").string(cid).raw('}');
    }
    field(j, sb, first, "host", labels.get("NodeName"));
    String app = labels.getOrDefault("app", "");
    String hash = labels.getOrDefault("pod-template-hash", "");
    if (!app.isEmpty() || !hash.isEmpty()) {
      comma(sb, first);
      j.key("labels").raw('{');
      boolean[] f2 = {true};
      field(j, sb, f2, "app", app);
      field(j, sb, f2, "pod-template-hash", hash);
      j.raw('}');
    }
    field(j, sb, first, "namespace_name", labels.get("Namespace"));
    field(j, sb, first, "pod_id", labels.get("PodId"));
    field(j, sb, first, "pod_name", labels.get("PodName"));
    String kind = labels.getOrDefault("owner_kind", "");
    String owner = labels.getOrDefault("owner_name", "");
    if (!kind.isEmpty() || !owner.isEmpty()) {
      comma(sb, first);
      j.key("pod_owners").raw('{');
      boolean[] f2 = {true};
      field(j, sb, f2, "owner_kind", kind);
      field(j, sb, f2, "owner_name", owner);
      j.raw('}');
    }
    field(j, sb, first, "service_name", labels.get("Service"));
    return sb.append('}').toString();
  }

  private static void field(GoJson j, StringBuilder sb, boolean[] first, String key, String value) {
    if (value == null || value.isEmpty()) {
      return; // omitempty
    }
    comma(sb, first);
    j.key(key).string(value);
  }

  private static void comma(StringBuilder sb, boolean[] first) {
    if (!first[0]) {
      sb.append(',');
    }
    first[0] = false;
  }

  // ---- grouped metric to EMF events ----

  private record Measurement(String namespace, List<List<String>> dimensions, List<String> metricNames) {}

  private void toEvents(Grouped g, List<EmfEvent> out) {
    Map<String, String> dimLabels = new TreeMap<>(g.labels);
    String storage = dimLabels.remove(STORAGE_RESOLUTION);
    int storageResolution = 60;
    if (storage != null) {
      try {
        storageResolution = Integer.parseInt(storage.trim());
      } catch (NumberFormatException ignored) {
        // contrib ignores a non-integer resolution and keeps 60
      }
    }
    List<Measurement> measurements = config.disableMetricExtraction() ? List.of()
        : config.metricDeclarations().isEmpty() ? List.of(plainMeasurement(g, dimLabels)) : filteredMeasurements(g, dimLabels);
    // CloudWatch limits: at most 30 labels per dimension set, at most 100 metric definitions.
    List<Measurement> limited = new ArrayList<>(measurements.size());
    for (Measurement m : measurements) {
      List<List<String>> dims = new ArrayList<>(m.dimensions().size());
      for (List<String> set : m.dimensions()) {
        if (set.size() > MAX_DIMENSIONS_PER_SET) {
          listener.droppedDimensionSet(set);
        } else {
          dims.add(set);
        }
      }
      if (!dims.isEmpty()) {
        limited.add(new Measurement(m.namespace(), dims, m.metricNames()));
      }
    }
    Set<String> measured = new HashSet<>();
    int definitions = 0;
    for (Measurement m : limited) {
      measured.addAll(m.metricNames());
      definitions += m.metricNames().size();
    }
    if (definitions <= MAX_METRICS_PER_EVENT) {
      out.add(event(g, dimLabels, g.metrics.keySet(), limited, storageResolution));
      return;
    }
    // Split: each chunk carries at most 100 definitions and their values; unmeasured values go with the first.
    List<List<Measurement>> chunks = new ArrayList<>();
    List<Set<String>> chunkNames = new ArrayList<>();
    List<Measurement> current = new ArrayList<>();
    Set<String> currentNames = new java.util.LinkedHashSet<>();
    for (String name : g.metrics.keySet()) {
      if (!measured.contains(name)) {
        currentNames.add(name);
      }
    }
    int used = 0;
    for (Measurement m : limited) {
      List<String> names = m.metricNames();
      int from = 0;
      while (from < names.size()) {
        if (used == MAX_METRICS_PER_EVENT) {
          chunks.add(current);
          chunkNames.add(currentNames);
          current = new ArrayList<>();
          currentNames = new java.util.LinkedHashSet<>();
          used = 0;
        }
        int take = Math.min(names.size() - from, MAX_METRICS_PER_EVENT - used);
        List<String> part = names.subList(from, from + take);
        current.add(new Measurement(m.namespace(), m.dimensions(), List.copyOf(part)));
        currentNames.addAll(part);
        used += take;
        from += take;
      }
    }
    chunks.add(current);
    chunkNames.add(currentNames);
    for (int i = 0; i < chunks.size(); i++) {
      out.add(event(g, dimLabels, chunkNames.get(i), chunks.get(i), storageResolution));
    }
  }

  private Measurement plainMeasurement(Grouped g, Map<String, String> labels) {
    List<String> dimSet = new ArrayList<>(labels.keySet());
    List<List<String>> dims = new ArrayList<>();
    dims.add(dimSet);
    List<List<String>> rollup = rollup(labels);
    if (!rollup.isEmpty()) {
      boolean hasOTel = labels.containsKey(OTEL_LIB);
      boolean single = dimSet.size() <= 1 || (dimSet.size() == 2 && hasOTel);
      String opt = config.dimensionRollupOption();
      if (single && (opt.equals(AwsEmfConfig.SINGLE_ONLY) || opt.equals(AwsEmfConfig.ZERO_AND_SINGLE))) {
        dims.clear();
      }
    }
    dims.addAll(rollup);
    return new Measurement(g.namespace, dims, new ArrayList<>(g.metrics.keySet()));
  }

  private List<List<String>> rollup(Map<String, String> labels) {
    String opt = config.dimensionRollupOption();
    List<List<String>> out = new ArrayList<>();
    List<String> zero = labels.containsKey(OTEL_LIB) ? List.of(OTEL_LIB) : List.of();
    List<String> others = new ArrayList<>();
    for (String k : labels.keySet()) {
      if (!k.equals(OTEL_LIB)) {
        others.add(k);
      }
    }
    if (opt.equals(AwsEmfConfig.ZERO_AND_SINGLE) && !others.isEmpty()) {
      out.add(zero);
    }
    if (opt.equals(AwsEmfConfig.ZERO_AND_SINGLE) || opt.equals(AwsEmfConfig.SINGLE_ONLY)) {
      for (String l : others) {
        List<String> set = new ArrayList<>(zero);
        set.add(l);
        out.add(set);
      }
    }
    return out;
  }

  private List<Measurement> filteredMeasurements(Grouped g, Map<String, String> labels) {
    List<MetricDeclaration> decls = new ArrayList<>();
    for (MetricDeclaration d : config.metricDeclarations()) {
      if (d.matchesLabels(labels)) {
        decls.add(d);
      }
    }
    if (decls.isEmpty()) {
      return List.of();
    }
    Map<List<Integer>, List<String>> groupsByDecls = new LinkedHashMap<>();
    for (String name : g.metrics.keySet()) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < decls.size(); i++) {
        if (decls.get(i).matchesName(name)) {
          idx.add(i);
        }
      }
      if (!idx.isEmpty()) {
        groupsByDecls.computeIfAbsent(idx, k -> new ArrayList<>()).add(name);
      }
    }
    if (groupsByDecls.isEmpty()) {
      return List.of();
    }
    List<List<String>> rollup = rollup(labels);
    List<Measurement> out = new ArrayList<>();
    for (Map.Entry<List<Integer>, List<String>> e : groupsByDecls.entrySet()) {
      List<List<String>> dims = new ArrayList<>();
      for (int i : e.getKey()) {
        dims.addAll(decls.get(i).extractDimensions(labels));
      }
      dims.addAll(rollup);
      List<List<String>> deduped = new ArrayList<>();
      Set<List<String>> seen = new HashSet<>();
      for (List<String> d : dims) {
        if (seen.add(d)) {
          deduped.add(d);
        }
      }
      if (!deduped.isEmpty()) {
        out.add(new Measurement(g.namespace, deduped, e.getValue()));
      }
    }
    return out;
  }

  private EmfEvent event(Grouped g, Map<String, String> labels, Set<String> metricNames, List<Measurement> measurements,
      int storageResolution) {
    TreeMap<String, Object> fields = new TreeMap<>();
    fields.putAll(labels);
    int points = 0;
    for (String name : metricNames) {
      MetricInfo mi = g.metrics.get(name);
      fields.put(name, mi.value);
      points += mi.points;
    }
    if ("prometheus".equals(g.receiver)) {
      fields.put("prom_metric_type", switch (g.type) {
        case GAUGE -> "gauge";
        case SUM -> "counter";
        case HISTOGRAM -> "histogram";
        case SUMMARY -> "summary";
        default -> "";
      });
    }
    for (String key : config.parseJsonEncodedAttrValues()) {
      Object v = fields.get(key);
      if (v instanceof String s) {
        try {
          JsonNode n = json.readTree(s);
          if (n != null && !n.isMissingNode()) {
            fields.put(key, n);
          }
        } catch (java.io.IOException ignored) {
          // not JSON: kept as the string, as contrib does (logged at debug there)
        }
      }
    }
    if (config.version().equals("0")) {
      fields.put("Version", "0");
      fields.put("Timestamp", Long.toString(g.timestampMs));
    }
    if (!measurements.isEmpty()) {
      List<Object> directives = new ArrayList<>(measurements.size());
      for (Measurement m : measurements) {
        directives.add((GoJson.EmfValue) o -> {
          o.raw('{').key("Namespace").string(m.namespace()).raw(',').key("Dimensions").value(m.dimensions())
              .raw(',').key("Metrics").raw('[');
          for (int i = 0; i < m.metricNames().size(); i++) {
            String n = m.metricNames().get(i);
            if (i > 0) {
              o.raw(',');
            }
            String unit = g.metrics.get(n).unit;
            o.raw('{').key("Name").string(n);
            if (!unit.isEmpty()) {
              o.raw(',').key("Unit").string(unit); // omitted when empty, as contrib does
            }
            o.raw(',').key("StorageResolution").number(storageResolution).raw('}');
          }
          o.raw(']').raw('}');
        });
      }
      if (config.version().equals("1")) {
        fields.put("Version", "1");
        Map<String, Object> aws = new TreeMap<>();
        aws.put("CloudWatchMetrics", directives);
        aws.put("Timestamp", g.timestampMs);
        fields.put("_aws", aws);
      } else {
        fields.put("CloudWatchMetrics", directives);
      }
    }
    StringBuilder sb = new StringBuilder(256);
    new GoJson(sb).value(fields);
    return new EmfEvent(g.logGroup, g.logStream, g.timestampMs, sb.toString(), points);
  }

  static Set<String> sortedKeys(Map<String, ?> m) {
    return new TreeSet<>(m.keySet());
  }
}
