package dev.otelcoljava.exporter.prometheusremotewrite.internal;

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
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Translates OTel metrics into remote write 1.0 series the way otelcol-contrib's
 * {@code pkg/translator/prometheusremotewrite} does (see the package docs of the exporter for the
 * rules). A metric that cannot be translated (delta temporality, no points, an exponential
 * histogram with scale below -4) is skipped and reported in {@link Result#errors()}; the rest of the
 * batch is translated. Not thread-safe: one instance per calling thread (it reuses a label builder).
 */
public final class Translator {
  /** Prometheus' StaleNaN: the value that marks the end of a series. */
  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);
  private static final int MAX_EXEMPLAR_RUNES = 128;
  private static final HexFormat HEX = HexFormat.of();

  /** Translation settings (already validated). External label keys are sanitized. */
  public record Settings(
      String namespace,
      boolean addMetricSuffixes,
      Map<String, String> externalLabels,
      boolean resourceToTelemetry,
      boolean excludeServiceAttributes,
      boolean targetInfo,
      boolean disableScopeInfo) {}

  /** What one batch became. */
  public record Result(SeriesSet series, List<String> errors, int otelPoints) {}

  private final Settings settings;
  private final String[] extNames;
  private final String[] extValues;
  private final LabelBuilder lb = new LabelBuilder();
  // Scratch space of baseLabels / addSortedJoined, reused point after point.
  private String[] scratchKeys = new String[16];
  private Object[] scratchVals = new Object[16];
  private int[] scratchIdx = new int[16];
  /** The keys of the last {@link #addSortedJoined} (its order stays in scratchIdx) and their label names in that order. */
  private String[] joinKeys = new String[16];
  private String[] joinNames = new String[16];
  private int joinK = -1;
  // job and instance of the resource last seen (identity): see addJobInstance.
  private Attributes jobOf;
  private String job;
  private String instance;

  public Translator(Settings settings) {
    this.settings = settings;
    extNames = settings.externalLabels().keySet().toArray(new String[0]);
    extValues = new String[extNames.length];
    for (int i = 0; i < extNames.length; i++) {
      extValues[i] = settings.externalLabels().get(extNames[i]);
    }
  }

  public Result translate(MetricsBatch batch) {
    jobOf = null; // attributes may change between batches; within one they do not
    // Sized for the series the points make: one per point, a classic histogram's one per bucket
    // plus _sum and _count, a summary's one per quantile plus those two. Sized for one per point,
    // the set grew its table and list twice over for the cluster preset's targets (10,000 points,
    // 41,500 series): ~5 % of the bytes the process allocated.
    long expected = 0;
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      for (ScopeMetrics sm : rm.scopeMetrics()) {
        for (Metric m : sm.metrics()) {
          expected += expectedSeries(m);
        }
      }
    }
    SeriesSet out = new SeriesSet((int) Math.min(1 << 28, expected));
    List<String> errors = new ArrayList<>(0);
    int points = 0;
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      Attributes resource = rm.resource();
      long newest = 0;
      for (ScopeMetrics sm : rm.scopeMetrics()) {
        for (Metric m : sm.metrics()) {
          points += m.points().size();
          if (m.points().isEmpty()) {
            errors.add("empty data points. " + m.name() + " is dropped");
            continue;
          }
          if (!validTemporality(m)) {
            errors.add("invalid temporality and type combination for metric \"" + m.name() + "\"");
            continue;
          }
          String name = NameRules.metricName(m, settings.namespace(), settings.addMetricSuffixes());
          for (DataPoint p : m.points()) {
            newest = Math.max(newest, p.timeNanos());
          }
          switch (m.type()) {
            case GAUGE, SUM -> addNumbers(out, m, name, resource, sm);
            case HISTOGRAM -> addHistograms(out, m, name, resource, sm);
            case SUMMARY -> addSummaries(out, m, name, resource, sm);
            case EXPONENTIAL_HISTOGRAM -> addExponential(out, m, name, resource, sm, errors);
          }
        }
      }
      if (settings.targetInfo()) {
        addTargetInfo(out, resource, newest);
      }
    }
    out.finish();
    jobOf = null;
    job = null;
    instance = null;
    return new Result(out, errors, points);
  }

  private static boolean validTemporality(Metric m) {
    return switch (m.type()) {
      case GAUGE, SUMMARY -> true;
      case SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM -> m.temporality() == Temporality.CUMULATIVE;
    };
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000L;
  }

  /** Base labels of a point: attributes (+ resource if converted), job, instance, scope, external. */
  private void baseLabels(Attributes resource, Attributes attrs, ScopeMetrics scope, boolean withScope) {
    lb.reset();
    boolean r2t = settings.resourceToTelemetry();
    // Attributes are merged in sorted key order so that keys colliding after sanitizing join in a
    // stable order, as contrib does.
    int n = attrs.size();
    int rn = r2t ? resource.size() : 0;
    if (scratchKeys.length < n + rn) {
      scratchKeys = new String[n + rn];
      scratchVals = new Object[n + rn];
    }
    String[] keys = scratchKeys;
    Object[] vals = scratchVals;
    int k = 0;
    for (int i = 0; i < n; i++) {
      keys[k] = attrs.key(i);
      vals[k++] = attrs.value(i);
    }
    for (int i = 0; i < rn; i++) {
      String key = resource.key(i);
      if (attrs.containsKey(key)) {
        continue; // the point's attribute wins
      }
      if (settings.excludeServiceAttributes() && isServiceKey(key)) {
        continue;
      }
      keys[k] = key;
      vals[k++] = resource.value(i);
    }
    addSortedJoined(keys, vals, k, null);
    addJobInstance(resource);
    if (withScope && !settings.disableScopeInfo() && !scope.name().isEmpty()) {
      lb.put("otel_scope_name", scope.name());
      if (!scope.version().isEmpty()) {
        lb.put("otel_scope_version", scope.version());
      }
      Attributes sa = scope.attributes();
      for (int i = 0; i < sa.size(); i++) {
        lb.put("otel_scope_" + NameRules.labelName(sa.key(i)), Attributes.asString(sa.value(i)));
      }
    }
    for (int i = 0; i < extNames.length; i++) {
      lb.putIfAbsent(extNames[i], extValues[i]);
    }
  }

  private void addSortedJoined(String[] keys, Object[] vals, int k, String[] ignore) {
    // The points of a metric nearly always have the same attribute keys (the same strings), so
    // the order and the sanitized names of the last call are reused while the keys are the same.
    int[] idx = scratchIdx;
    if (k != joinK || !sameStrings(keys, joinKeys, k)) {
      if (idx.length < k) {
        int cap = Math.max(k, idx.length * 2);
        idx = scratchIdx = new int[cap];
        joinKeys = new String[cap];
        joinNames = new String[cap];
      }
      // Stable, so keys equal after sanitizing keep their order; the receiver's attributes arrive
      // sorted already, so this is one comparison a key.
      sortIndexes(keys, k, idx);
      for (int j = 0; j < k; j++) {
        joinNames[j] = NameRules.labelName(keys[idx[j]]);
      }
      System.arraycopy(keys, 0, joinKeys, 0, k);
      joinK = k;
    }
    // Attribute keys are unique, and so are their label names until sanitizing changes one (then
    // "a.b" and "a_b" meet as a_b and join): up to the first changed key, and only into an empty
    // builder, labels are appended without looking for an earlier one of the same name.
    boolean lookUp = lb.size != 0;
    outer:
    for (int j = 0; j < k; j++) {
      int i = idx[j];
      if (ignore != null) {
        for (String ig : ignore) {
          if (ig.equals(keys[i])) {
            continue outer;
          }
        }
      }
      String name = joinNames[j];
      lookUp |= name != keys[i];
      if (lookUp) {
        lb.putJoin(name, Attributes.asString(vals[i]));
      } else {
        lb.append(name, Attributes.asString(vals[i]));
      }
    }
  }

  private void addJobInstance(Attributes resource) {
    // Made once per resource, not per point: "namespace/service" is a new string each time, and a
    // new string's hash is computed again for every series.
    if (resource != jobOf) {
      String service = resource.getString("service.name");
      String ns = service == null ? null : resource.getString("service.namespace");
      job = service == null ? null : ns != null ? ns + "/" + service : service;
      instance = resource.getString("service.instance.id");
      jobOf = resource;
    }
    if (job != null) {
      lb.put("job", job);
    }
    if (instance != null) {
      lb.put("instance", instance);
    }
  }

  private static boolean isServiceKey(String key) {
    return key.equals("service.name") || key.equals("service.namespace") || key.equals("service.instance.id");
  }

  private PromSeries series(SeriesSet out, String metricName, String extraName, String extraValue) {
    int mark = lb.size;
    lb.put("__name__", metricName);
    if (extraName != null) {
      lb.put(extraName, extraValue);
    }
    PromSeries s = lb.build(out);
    lb.truncate(mark);
    return s;
  }

  private void addNumbers(SeriesSet out, Metric m, String name, Attributes resource, ScopeMetrics sm) {
    boolean counter = m.type() == MetricType.SUM && m.monotonic();
    for (NumberPoint p : m.numberPoints()) {
      baseLabels(resource, p.attributes(), sm, true);
      PromSeries s = series(out, name, null, null);
      double v = p.noRecordedValue() ? STALE_NAN : p.value();
      s.addSample(v, ms(p.timeNanos()));
      out.countSample();
      if (counter) {
        addExemplars(s, p.exemplars());
      }
    }
  }

  /** The series a metric's points make, at most (a point whose series repeat another's makes fewer). */
  static long expectedSeries(Metric m) {
    switch (m.type()) {
      case HISTOGRAM -> {
        long n = 0;
        for (HistogramPoint p : m.histogramPoints()) {
          n += 3 + p.bounds().length; // _sum, _count, a bucket per bound and +Inf
        }
        return n;
      }
      case SUMMARY -> {
        long n = 0;
        for (SummaryPoint p : m.summaryPoints()) {
          n += 2 + p.quantiles().length;
        }
        return n;
      }
      default -> {
        return m.points().size();
      }
    }
  }

  private void addHistograms(SeriesSet out, Metric m, String name, Attributes resource, ScopeMetrics sm) {
    // Names and le values are made once per metric (points of a metric share their bounds), not
    // once per point: fewer strings, and each string's hash is computed once.
    String sumName = name + "_sum";
    String countName = name + "_count";
    String bucketName = name + "_bucket";
    double[] leBounds = null;
    String[] le = null;
    for (HistogramPoint p : m.histogramPoints()) {
      baseLabels(resource, p.attributes(), sm, true);
      long ts = ms(p.timeNanos());
      boolean stale = p.noRecordedValue();
      if (p.hasSum()) {
        series(out, sumName, null, null).addSample(stale ? STALE_NAN : p.sum(), ts);
        out.countSample();
      }
      series(out, countName, null, null).addSample(stale ? STALE_NAN : (double) p.count(), ts);
      out.countSample();
      double[] bounds = p.bounds();
      long[] counts = p.bucketCounts();
      long cumulative = 0;
      int nb = Math.min(bounds.length, counts.length);
      if (bounds != leBounds && !Arrays.equals(bounds, leBounds)) {
        le = new String[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
          le[i] = NameRules.formatFloat(bounds[i]);
        }
        leBounds = bounds;
      }
      // The bucket series are kept only to attach exemplars to; most points have none.
      PromSeries[] bucketSeries = p.exemplars().isEmpty() ? null : new PromSeries[nb + 1];
      for (int i = 0; i < nb; i++) {
        cumulative += counts[i];
        PromSeries b = series(out, bucketName, "le", le[i]);
        b.addSample(stale ? STALE_NAN : (double) cumulative, ts);
        out.countSample();
        if (bucketSeries != null) {
          bucketSeries[i] = b;
        }
      }
      PromSeries inf = series(out, bucketName, "le", "+Inf");
      inf.addSample(stale ? STALE_NAN : (double) p.count(), ts);
      out.countSample();
      if (bucketSeries == null) {
        continue;
      }
      bucketSeries[nb] = inf;
      for (Exemplar e : p.exemplars()) {
        double v = e.doubleValue();
        int target = nb;
        for (int i = 0; i < nb; i++) {
          if (v <= bounds[i]) {
            target = i;
            break;
          }
        }
        bucketSeries[target].addExemplar(exemplar(e));
      }
    }
  }

  private void addSummaries(SeriesSet out, Metric m, String name, Attributes resource, ScopeMetrics sm) {
    String sumName = name + "_sum";
    String countName = name + "_count";
    double[] quantiles = null;
    String[] qs = null;
    for (SummaryPoint p : m.summaryPoints()) {
      baseLabels(resource, p.attributes(), sm, true);
      long ts = ms(p.timeNanos());
      boolean stale = p.noRecordedValue();
      series(out, sumName, null, null).addSample(stale ? STALE_NAN : p.sum(), ts);
      series(out, countName, null, null).addSample(stale ? STALE_NAN : (double) p.count(), ts);
      out.countSample();
      out.countSample();
      double[] q = p.quantiles();
      double[] v = p.values();
      if (q != quantiles && !Arrays.equals(q, quantiles)) {
        qs = new String[q.length];
        for (int i = 0; i < q.length; i++) {
          qs[i] = NameRules.formatFloat(q[i]);
        }
        quantiles = q;
      }
      for (int i = 0; i < q.length; i++) {
        series(out, name, "quantile", qs[i]).addSample(stale ? STALE_NAN : v[i], ts);
        out.countSample();
      }
    }
  }

  private void addExponential(SeriesSet out, Metric m, String name, Attributes resource, ScopeMetrics sm, List<String> errors) {
    for (ExponentialHistogramPoint p : m.exponentialHistogramPoints()) {
      int scale = p.scale();
      if (scale < -4) {
        errors.add("cannot convert exponential to native histogram. Scale must be >= -4, was " + scale);
        continue;
      }
      int scaleDown = 0;
      if (scale > 8) {
        scaleDown = scale - 8;
        scale = 8;
      }
      baseLabels(resource, p.attributes(), sm, true);
      PromSeries s = series(out, name, null, null);
      PromSeries.NativeHistogram h = new PromSeries.NativeHistogram();
      h.schema = scale;
      h.zeroThreshold = p.zeroThreshold();
      h.zeroCount = p.zeroCount();
      h.timestamp = ms(p.timeNanos());
      if (p.noRecordedValue()) {
        h.sum = STALE_NAN;
        h.countBits = STALE_NAN_BITS;
      } else {
        h.sum = p.hasSum() ? p.sum() : 0;
        h.countBits = p.count();
      }
      Layout pos = layout(p.positiveOffset(), p.positiveCounts(), scaleDown);
      Layout neg = layout(p.negativeOffset(), p.negativeCounts(), scaleDown);
      h.posSpanOffsets = pos.offsets;
      h.posSpanLengths = pos.lengths;
      h.posDeltas = pos.deltas;
      h.negSpanOffsets = neg.offsets;
      h.negSpanLengths = neg.lengths;
      h.negDeltas = neg.deltas;
      s.addHistogram(h);
      out.countSample();
    }
  }

  record Layout(int[] offsets, int[] lengths, long[] deltas) {}

  /**
   * Converts OTel exponential buckets (index i covers (base^i, base^(i+1)]) to Prometheus spans and
   * deltas (index i covers (base^(i-1), base^i]): indexes shift by one, {@code scaleDown} merges
   * 2^scaleDown neighbours, gaps of more than two empty buckets start a new span.
   */
  static Layout layout(int offset, long[] counts, int scaleDown) {
    if (counts.length == 0) {
      return new Layout(new int[0], new int[0], new long[0]);
    }
    // Merge into (prometheus index, count), dropping empty buckets.
    int[] idx = new int[counts.length];
    long[] cnt = new long[counts.length];
    int n = 0;
    for (int i = 0; i < counts.length; i++) {
      int pi = ((offset + i) >> scaleDown) + 1;
      if (n > 0 && idx[n - 1] == pi) {
        cnt[n - 1] += counts[i];
      } else {
        idx[n] = pi;
        cnt[n++] = counts[i];
      }
    }
    // Remove zero-count entries (but a merged bucket may have become non-zero).
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (cnt[i] != 0) {
        idx[m] = idx[i];
        cnt[m++] = cnt[i];
      }
    }
    if (m == 0) {
      return new Layout(new int[0], new int[0], new long[0]);
    }
    List<int[]> spans = new ArrayList<>();
    long[] deltas = new long[counts.length * 3 + 1];
    int d = 0;
    long prev = 0;
    int spanLen = 0;
    int lastIdx = idx[0] - 1;
    int spanOffset = idx[0];
    for (int i = 0; i < m; i++) {
      int gap = idx[i] - lastIdx - 1;
      if (i > 0 && gap > 2) {
        spans.add(new int[] {spanOffset, spanLen});
        spanOffset = gap;
        spanLen = 0;
      } else if (i > 0) {
        for (int g = 0; g < gap; g++) {
          if (d == deltas.length) {
            deltas = Arrays.copyOf(deltas, d * 2);
          }
          deltas[d++] = -prev;
          prev = 0;
          spanLen++;
        }
      }
      if (d == deltas.length) {
        deltas = Arrays.copyOf(deltas, d * 2);
      }
      deltas[d++] = cnt[i] - prev;
      prev = cnt[i];
      spanLen++;
      lastIdx = idx[i];
    }
    spans.add(new int[] {spanOffset, spanLen});
    int[] offs = new int[spans.size()];
    int[] lens = new int[spans.size()];
    for (int i = 0; i < spans.size(); i++) {
      offs[i] = spans.get(i)[0];
      lens[i] = spans.get(i)[1];
    }
    return new Layout(offs, lens, Arrays.copyOf(deltas, d));
  }

  private void addExemplars(PromSeries s, List<Exemplar> exemplars) {
    for (Exemplar e : exemplars) {
      s.addExemplar(exemplar(e));
    }
  }

  private static PromSeries.PromExemplar exemplar(Exemplar e) {
    List<String> names = new ArrayList<>(4);
    List<String> values = new ArrayList<>(4);
    int runes = 0;
    if (e.traceId() != null && !allZero(e.traceId())) {
      String v = HEX.formatHex(e.traceId());
      names.add("trace_id");
      values.add(v);
      runes += 8 + v.length();
    }
    if (e.spanId() != null && !allZero(e.spanId())) {
      String v = HEX.formatHex(e.spanId());
      names.add("span_id");
      values.add(v);
      runes += 7 + v.length();
    }
    Attributes fa = e.filteredAttributes();
    List<String> an = new ArrayList<>(fa.size());
    List<String> av = new ArrayList<>(fa.size());
    for (int i = 0; i < fa.size(); i++) {
      String v = Attributes.asString(fa.value(i));
      runes += fa.key(i).codePointCount(0, fa.key(i).length()) + v.codePointCount(0, v.length());
      an.add(fa.key(i));
      av.add(v);
    }
    if (runes <= MAX_EXEMPLAR_RUNES) {
      names.addAll(an);
      values.addAll(av);
    }
    return new PromSeries.PromExemplar(names.toArray(new String[0]), values.toArray(new String[0]),
        e.doubleValue(), ms(e.timeNanos()));
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static final String[] IDENTIFYING = {"service.namespace", "service.name", "service.instance.id"};

  private void addTargetInfo(SeriesSet out, Attributes resource, long newestNanos) {
    if (newestNanos == 0) {
      return;
    }
    int nonIdentifying = resource.size();
    for (String k : IDENTIFYING) {
      if (resource.containsKey(k)) {
        nonIdentifying--;
      }
    }
    if (nonIdentifying == 0) {
      return;
    }
    String name = settings.namespace().isEmpty() ? "target_info" : settings.namespace() + "_target_info";
    lb.reset();
    String[] keys = new String[resource.size()];
    Object[] vals = new Object[resource.size()];
    for (int i = 0; i < resource.size(); i++) {
      keys[i] = resource.key(i);
      vals[i] = resource.value(i);
    }
    addSortedJoined(keys, vals, keys.length, IDENTIFYING);
    addJobInstance(resource);
    for (int i = 0; i < extNames.length; i++) {
      lb.putIfAbsent(extNames[i], extValues[i]);
    }
    if (lb.indexOf("job") < 0 && lb.indexOf("instance") < 0) {
      return;
    }
    series(out, name, null, null).addSample(1, ms(newestNanos));
    out.countSample();
  }

  /** Label names/values under construction; a later put of the same name overwrites. */
  static final class LabelBuilder {
    String[] names = new String[16];
    String[] values = new String[16];
    int size;

    void reset() {
      size = 0;
    }

    void truncate(int n) {
      size = n;
    }

    int indexOf(String name) {
      for (int i = 0; i < size; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }

    void put(String name, String value) {
      int i = indexOf(name);
      if (i >= 0) {
        values[i] = value;
        return;
      }
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      names[size] = name;
      values[size++] = value;
    }

    /** Adds a label the caller knows is not there yet. */
    void append(String name, String value) {
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      names[size] = name;
      values[size++] = value;
    }

    void putJoin(String name, String value) {
      int i = indexOf(name);
      if (i >= 0) {
        values[i] = values[i] + ";" + value;
      } else {
        put(name, value);
      }
    }

    void putIfAbsent(String name, String value) {
      if (indexOf(name) < 0) {
        put(name, value);
      }
    }

    /**
     * The label names of the last {@link #build}, in the builder's order, and the order that sorts
     * them ({@link #lastOrder}): the series of one metric nearly always put the same names in the
     * same order (the same attribute keys, then job, instance, {@code __name__}), so a build whose
     * names are the same strings, compared by reference, reuses the sort instead of comparing
     * strings again.
     */
    private String[] lastNames = new String[16];
    private int lastSize = -1;
    private int[] lastOrder = new int[16];
    /** The sorted names of the last build without empty values or names, shared by its series (never written to). */
    private String[] lastSorted;

    /** Sorted, without empty values. */
    PromSeries build(SeriesSet out) {
      int[] order = sortOrder();
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (!values[i].isEmpty() && !names[i].isEmpty()) {
          n++;
        }
      }
      String[] prev = lastSorted;
      boolean reuse = prev != null && prev.length == n;
      String[] vs = new String[n];
      int k = 0;
      for (int j = 0; j < size; j++) {
        int i = order[j];
        if (!values[i].isEmpty() && !names[i].isEmpty()) {
          reuse = reuse && prev[k] == names[i];
          vs[k++] = values[i];
        }
      }
      String[] ns;
      if (reuse) {
        ns = prev;
      } else {
        ns = new String[n];
        k = 0;
        for (int j = 0; j < size; j++) {
          int i = order[j];
          if (!values[i].isEmpty() && !names[i].isEmpty()) {
            ns[k++] = names[i];
          }
        }
        lastSorted = ns;
      }
      return out.series(ns, vs);
    }

    /** The indexes of the builder's labels in name order (stable), reused while the names are the same. */
    private int[] sortOrder() {
      if (size == lastSize && sameStrings(names, lastNames, size)) {
        return lastOrder;
      }
      if (lastNames.length < size) {
        lastNames = new String[names.length];
        lastOrder = new int[names.length];
      }
      System.arraycopy(names, 0, lastNames, 0, size);
      lastSize = size;
      sortIndexes(names, size, lastOrder);
      return lastOrder;
    }
  }

  /** Whether the first {@code n} strings of {@code a} and {@code b} are the same objects. */
  private static boolean sameStrings(String[] a, String[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fills {@code idx[0, n)} with the indexes of {@code keys[0, n)} in key order, keeping equal keys
   * in their order: an insertion sort, as label sets are small and usually sorted already.
   */
  private static void sortIndexes(String[] keys, int n, int[] idx) {
    for (int i = 0; i < n; i++) {
      String key = keys[i];
      int j = i - 1;
      while (j >= 0 && keys[idx[j]].compareTo(key) > 0) {
        idx[j + 1] = idx[j];
        j--;
      }
      idx[j + 1] = i;
    }
  }
}
