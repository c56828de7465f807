package dev.otelcoljava.processor.metricstransform;

import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * contrib's aggregateutil: groups points by attributes and timestamp (plus start time for delta
 * metrics) and merges each group with sum, mean, min, max, count or median. Groups keep the order
 * in which they were first seen (Go's map order is random; first-seen is the stable equivalent).
 */
final class Aggregation {
  private Aggregation() {}

  private record Key(Attributes attrs, long time, long start) {}

  /** Groups the points of several metrics of the target's type. */
  static Map<Key, List<DataPoint>> group(List<Metric> metrics, Metric target) {
    boolean delta = target.temporality() == Temporality.DELTA
        && (target.type() == MetricType.SUM || target.type() == MetricType.HISTOGRAM
            || target.type() == MetricType.EXPONENTIAL_HISTOGRAM);
    Map<Key, List<DataPoint>> groups = new LinkedHashMap<>();
    for (Metric m : metrics) {
      for (DataPoint p : m.points()) {
        Key k = new Key(p.attributes(), p.timeNanos(), delta ? p.startTimeNanos() : 0);
        groups.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
      }
    }
    return groups;
  }

  /** Merges the points of the metrics into target's (empty) point list. */
  static void merge(List<Metric> metrics, Metric target, String aggType) {
    Map<Key, List<DataPoint>> groups = group(metrics, target);
    List<DataPoint> out = new ArrayList<>(groups.size());
    for (List<DataPoint> dps : groups.values()) {
      DataPoint first = dps.get(0);
      if (first instanceof NumberPoint np) {
        out.add(mergeNumbers(np, dps, aggType));
      } else if (first instanceof HistogramPoint hp) {
        out.add(mergeHistograms(hp, dps));
      } else {
        out.addAll(dps); // exponential histograms and summaries are not merged
      }
    }
    target.setPoints(out);
  }

  private static NumberPoint mergeNumbers(NumberPoint dp, List<DataPoint> dps, String agg) {
    int n = dps.size();
    if (dp.isDouble()) {
      double v = dp.doubleValue();
      double[] median = agg.equals("median") ? new double[n] : null;
      if (median != null) {
        median[0] = v;
      }
      for (int i = 1; i < n; i++) {
        NumberPoint o = (NumberPoint) dps.get(i);
        double x = o.value();
        switch (agg) {
          case "sum", "mean" -> v += x;
          case "max" -> v = Math.max(v, x);
          case "min" -> v = Math.min(v, x);
          case "median" -> median[i] = x;
          case "count" -> v = n;
          default -> {}
        }
        minStart(dp, o);
      }
      if (agg.equals("mean")) {
        v = v / n;
      }
      if (median != null) {
        Arrays.sort(median);
        v = (n % 2 == 1) ? median[n / 2] : (median[n / 2 - 1] + median[n / 2]) / 2;
      }
      dp.setDoubleValue(v);
    } else {
      long v = dp.longValue();
      long[] median = agg.equals("median") ? new long[n] : null;
      if (median != null) {
        median[0] = v;
      }
      for (int i = 1; i < n; i++) {
        NumberPoint o = (NumberPoint) dps.get(i);
        long x = o.longValue();
        switch (agg) {
          case "sum", "mean" -> v += x;
          case "max" -> v = Math.max(v, x);
          case "min" -> v = Math.min(v, x);
          case "median" -> median[i] = x;
          case "count" -> v = n;
          default -> {}
        }
        minStart(dp, o);
      }
      if (agg.equals("mean")) {
        v = v / n;
      }
      if (median != null) {
        Arrays.sort(median);
        v = (n % 2 == 1) ? median[n / 2] : (median[n / 2 - 1] + median[n / 2]) / 2;
      }
      dp.setLongValue(v);
    }
    return dp;
  }

  private static void minStart(DataPoint into, DataPoint o) {
    if (o.startTimeNanos() < into.startTimeNanos()) {
      into.setStartTimeNanos(o.startTimeNanos());
    }
  }

  private static HistogramPoint mergeHistograms(HistogramPoint dp, List<DataPoint> dps) {
    long[] counts = dp.bucketCounts().clone();
    for (int i = 1; i < dps.size(); i++) {
      HistogramPoint o = (HistogramPoint) dps.get(i);
      if (o.count() == 0) {
        continue;
      }
      dp.setCount(dp.count() + o.count());
      dp.setSum(dp.sum() + o.sum());
      if (dp.hasMin() && o.hasMin() && dp.min() > o.min()) {
        dp.setMin(o.min());
      }
      if (dp.hasMax() && o.hasMax() && dp.max() < o.max()) {
        dp.setMax(o.max());
      }
      long[] oc = o.bucketCounts();
      for (int b = 0; b < Math.min(oc.length, counts.length); b++) {
        counts[b] += oc[b];
      }
      for (var e : o.exemplars()) {
        dp.addExemplar(e);
      }
      minStart(dp, o);
    }
    dp.setBucketCounts(counts);
    return dp;
  }
}
