package dev.otelcoljava.exporter.debug;

import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;

/**
 * The {@code normal} verbosity text: a line per resource and per scope, then one line per data
 * point, {@code name{k=v,...} value}, as otelcol's debug exporter writes it.
 */
final class NormalText {
  private NormalText() {}

  static String format(MetricsBatch batch) {
    StringBuilder sb = new StringBuilder(256);
    int ri = 0;
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      sb.append("ResourceMetrics #").append(ri++);
      if (!rm.schemaUrl().isEmpty()) {
        sb.append(" [").append(rm.schemaUrl()).append(']');
      }
      appendSpacedAttributes(sb, rm.resource());
      sb.append('\n');
      int si = 0;
      for (ScopeMetrics sm : rm.scopeMetrics()) {
        sb.append("ScopeMetrics #").append(si++);
        if (!sm.name().isEmpty()) {
          sb.append(' ').append(sm.name());
          if (!sm.version().isEmpty()) {
            sb.append('@').append(sm.version());
          }
        }
        if (!sm.schemaUrl().isEmpty()) {
          sb.append(" [").append(sm.schemaUrl()).append(']');
        }
        appendSpacedAttributes(sb, sm.attributes());
        sb.append('\n');
        for (Metric m : sm.metrics()) {
          for (DataPoint p : m.points()) {
            sb.append(m.name()).append('{');
            GoText.appendPairs(sb, p.attributes(), ',');
            sb.append("} ");
            appendValue(sb, p);
            sb.append('\n');
          }
        }
      }
    }
    return sb.toString();
  }

  private static void appendSpacedAttributes(StringBuilder sb, Attributes a) {
    if (!a.isEmpty()) {
      sb.append(' ');
      GoText.appendPairs(sb, a, ' ');
    }
  }

  private static void appendValue(StringBuilder sb, DataPoint dp) {
    switch (dp) {
      case NumberPoint p -> {
        if (p.isDouble()) {
          GoText.appendShortest(sb, p.doubleValue());
        } else {
          sb.append(p.longValue());
        }
      }
      case HistogramPoint p -> {
        sb.append("count=").append(p.count());
        appendSumMinMax(sb, p.hasSum(), p.sum(), p.hasMin(), p.min(), p.hasMax(), p.max());
        double[] bounds = p.bounds();
        long[] counts = p.bucketCounts();
        for (int i = 0; i < counts.length; i++) {
          sb.append(' ');
          if (i < bounds.length) {
            sb.append("le");
            GoText.appendShortest(sb, bounds[i]);
            sb.append('=');
          }
          sb.append(counts[i]);
        }
      }
      case ExponentialHistogramPoint p -> {
        sb.append("count=").append(p.count());
        appendSumMinMax(sb, p.hasSum(), p.sum(), p.hasMin(), p.min(), p.hasMax(), p.max());
        double base = Math.pow(2, Math.pow(2, -p.scale()));
        appendExpBuckets(sb, base, p.negativeOffset(), p.negativeCounts());
        appendExpBuckets(sb, base, p.positiveOffset(), p.positiveCounts());
        if (p.zeroCount() > 0) {
          sb.append(" zero_count");
          GoText.appendShortest(sb, p.zeroThreshold());
          sb.append('=').append(p.zeroCount());
        }
      }
      case SummaryPoint p -> {
        sb.append("count=").append(p.count()).append(" sum=");
        GoText.appendFixed6(sb, p.sum());
        double[] q = p.quantiles();
        double[] v = p.values();
        for (int i = 0; i < q.length; i++) {
          sb.append(" q");
          GoText.appendShortest(sb, q[i]);
          sb.append('=');
          GoText.appendShortest(sb, v[i]);
        }
      }
    }
  }

  private static void appendExpBuckets(StringBuilder sb, double base, int offset, long[] counts) {
    for (int i = 0; i < counts.length; i++) {
      sb.append(" le");
      GoText.appendShortest(sb, Math.pow(base, offset + i));
      sb.append('=').append(counts[i]);
    }
  }

  private static void appendSumMinMax(StringBuilder sb, boolean hasSum, double sum, boolean hasMin,
      double min, boolean hasMax, double max) {
    if (hasSum) {
      sb.append(" sum=");
      GoText.appendShortest(sb, sum);
    }
    if (hasMin) {
      sb.append(" min=");
      GoText.appendShortest(sb, min);
    }
    if (hasMax) {
      sb.append(" max=");
      GoText.appendShortest(sb, max);
    }
  }
}
