package dev.otelcoljava.exporter.debug;

import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Exemplar;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;

/**
 * The {@code detailed} verbosity text: otelcol's full dump of resources, scopes, metric
 * descriptors and every point. One addition to otelcol's layout: a point with flags set gets a
 * {@code Flags:} line (e.g. {@code Flags: NoRecordedValue}), so staleness markers are visible.
 */
final class DetailedText {
  private static final String ARROW = "     -> ";

  private DetailedText() {}

  static String format(MetricsBatch batch) {
    StringBuilder sb = new StringBuilder(1024);
    int ri = 0;
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      sb.append("ResourceMetrics #").append(ri++).append('\n');
      sb.append("Resource SchemaURL: ").append(rm.schemaUrl()).append('\n');
      attributes(sb, "Resource attributes", "", rm.resource());
      int si = 0;
      for (ScopeMetrics sm : rm.scopeMetrics()) {
        sb.append("ScopeMetrics #").append(si++).append('\n');
        sb.append("ScopeMetrics SchemaURL: ").append(sm.schemaUrl()).append('\n');
        sb.append("InstrumentationScope ").append(sm.name()).append(' ').append(sm.version()).append('\n');
        attributes(sb, "InstrumentationScope attributes", "", sm.attributes());
        int mi = 0;
        for (Metric m : sm.metrics()) {
          sb.append("Metric #").append(mi++).append('\n');
          metric(sb, m);
        }
      }
    }
    return sb.toString();
  }

  private static void metric(StringBuilder sb, Metric m) {
    sb.append("Descriptor:\n");
    sb.append(ARROW).append("Name: ").append(m.name()).append('\n');
    sb.append(ARROW).append("Description: ").append(m.description()).append('\n');
    sb.append(ARROW).append("Unit: ").append(m.unit()).append('\n');
    sb.append(ARROW).append("DataType: ").append(dataType(m)).append('\n');
    if (m.hasMetadata()) {
      attributes(sb, "     -> Metadata", "     ", m.metadata());
    }
    switch (m.type()) {
      case SUM -> {
        sb.append(ARROW).append("IsMonotonic: ").append(m.monotonic()).append('\n');
        sb.append(ARROW).append("AggregationTemporality: ").append(temporality(m.temporality())).append('\n');
      }
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM ->
          sb.append(ARROW).append("AggregationTemporality: ").append(temporality(m.temporality())).append('\n');
      default -> {}
    }
    int i = 0;
    for (DataPoint dp : m.points()) {
      point(sb, dp, i++);
    }
  }

  private static String dataType(Metric m) {
    return switch (m.type()) {
      case GAUGE -> "Gauge";
      case SUM -> "Sum";
      case HISTOGRAM -> "Histogram";
      case EXPONENTIAL_HISTOGRAM -> "ExponentialHistogram";
      case SUMMARY -> "Summary";
    };
  }

  private static String temporality(Temporality t) {
    return switch (t) {
      case DELTA -> "Delta";
      case CUMULATIVE -> "Cumulative";
      case UNSPECIFIED -> "Unspecified";
    };
  }

  private static void point(StringBuilder sb, DataPoint dp, int pointIndex) {
    String kind = switch (dp) {
      case NumberPoint p -> "NumberDataPoints #";
      case HistogramPoint p -> "HistogramDataPoints #";
      case ExponentialHistogramPoint p -> "ExponentialHistogramDataPoints #";
      case SummaryPoint p -> "SummaryDataPoints #";
    };
    sb.append(kind).append(pointIndex).append('\n');
    attributes(sb, "Data point attributes", "", dp.attributes());
    sb.append("StartTimestamp: ");
    GoText.appendTimestamp(sb, dp.startTimeNanos());
    sb.append("\nTimestamp: ");
    GoText.appendTimestamp(sb, dp.timeNanos());
    sb.append('\n');
    if (dp.flags() != 0) {
      sb.append("Flags: ");
      if (dp.noRecordedValue()) {
        sb.append("NoRecordedValue");
        if ((dp.flags() & ~DataPoint.FLAG_NO_RECORDED_VALUE) != 0) {
          sb.append('|').append(dp.flags() & ~DataPoint.FLAG_NO_RECORDED_VALUE);
        }
      } else {
        sb.append(dp.flags());
      }
      sb.append('\n');
    }
    switch (dp) {
      case NumberPoint p -> {
        sb.append("Value: ");
        if (p.isDouble()) {
          GoText.appendFixed6(sb, p.doubleValue());
        } else {
          sb.append(p.longValue());
        }
        sb.append('\n');
      }
      case HistogramPoint p -> {
        sb.append("Count: ").append(p.count()).append('\n');
        sumMinMax(sb, p.hasSum(), p.sum(), p.hasMin(), p.min(), p.hasMax(), p.max());
        double[] bounds = p.bounds();
        for (int i = 0; i < bounds.length; i++) {
          sb.append("ExplicitBounds #").append(i).append(": ");
          GoText.appendFixed6(sb, bounds[i]);
          sb.append('\n');
        }
        long[] counts = p.bucketCounts();
        for (int i = 0; i < counts.length; i++) {
          sb.append("Buckets #").append(i).append(", Count: ").append(counts[i]).append('\n');
        }
      }
      case ExponentialHistogramPoint p -> {
        sb.append("Count: ").append(p.count()).append('\n');
        sumMinMax(sb, p.hasSum(), p.sum(), p.hasMin(), p.min(), p.hasMax(), p.max());
        double factor = Math.scalb(Math.log(2), -p.scale());
        long[] neg = p.negativeCounts();
        for (int i = 0; i < neg.length; i++) {
          int pos = neg.length - i - 1;
          double index = (double) p.negativeOffset() + pos;
          sb.append("Bucket [");
          GoText.appendFixed6(sb, -Math.exp((index + 1) * factor));
          sb.append(", ");
          GoText.appendFixed6(sb, -Math.exp(index * factor));
          sb.append("), Count: ").append(neg[pos]).append('\n');
        }
        if (p.zeroCount() != 0) {
          sb.append("Bucket [0, 0], Count: ").append(p.zeroCount()).append('\n');
        }
        long[] posCounts = p.positiveCounts();
        for (int pos = 0; pos < posCounts.length; pos++) {
          double index = (double) p.positiveOffset() + pos;
          sb.append("Bucket (");
          GoText.appendFixed6(sb, Math.exp(index * factor));
          sb.append(", ");
          GoText.appendFixed6(sb, Math.exp((index + 1) * factor));
          sb.append("], Count: ").append(posCounts[pos]).append('\n');
        }
      }
      case SummaryPoint p -> {
        sb.append("Count: ").append(p.count()).append('\n');
        sb.append("Sum: ");
        GoText.appendFixed6(sb, p.sum());
        sb.append('\n');
        double[] q = p.quantiles();
        double[] v = p.values();
        for (int i = 0; i < q.length; i++) {
          sb.append("QuantileValue #").append(i).append(": Quantile ");
          GoText.appendFixed6(sb, q[i]);
          sb.append(", Value ");
          GoText.appendFixed6(sb, v[i]);
          sb.append('\n');
        }
      }
    }
    // otelcol prints no exemplars for summaries (they have none in OTLP).
    if (!(dp instanceof SummaryPoint)) {
      exemplars(sb, dp);
    }
  }

  private static void sumMinMax(StringBuilder sb, boolean hasSum, double sum, boolean hasMin, double min,
      boolean hasMax, double max) {
    if (hasSum) {
      sb.append("Sum: ");
      GoText.appendFixed6(sb, sum);
      sb.append('\n');
    }
    if (hasMin) {
      sb.append("Min: ");
      GoText.appendFixed6(sb, min);
      sb.append('\n');
    }
    if (hasMax) {
      sb.append("Max: ");
      GoText.appendFixed6(sb, max);
      sb.append('\n');
    }
  }

  private static void exemplars(StringBuilder sb, DataPoint dp) {
    if (dp.exemplars().isEmpty()) {
      return;
    }
    sb.append("Exemplars:\n");
    int i = 0;
    for (Exemplar e : dp.exemplars()) {
      sb.append("Exemplar #").append(i++).append('\n');
      sb.append(ARROW).append("Trace ID: ").append(GoText.hexId(e.traceId())).append('\n');
      sb.append(ARROW).append("Span ID: ").append(GoText.hexId(e.spanId())).append('\n');
      sb.append(ARROW).append("Timestamp: ");
      GoText.appendTimestamp(sb, e.timeNanos());
      sb.append('\n');
      sb.append(ARROW).append("Value: ");
      if (e.isDouble()) {
        GoText.appendFixed6(sb, e.doubleValue());
      } else {
        sb.append(e.longValue());
      }
      sb.append('\n');
      attributes(sb, "     -> FilteredAttributes", "     ", e.filteredAttributes());
    }
  }

  /**
   * A header line and one {@code -> key: Type(value)} line per attribute; {@code indent} is what
   * precedes the header's own arrow, so nested lists line up under it.
   */
  private static void attributes(StringBuilder sb, String header, String indent, Attributes a) {
    if (a.isEmpty()) {
      return;
    }
    sb.append(header).append(":\n");
    for (int i = 0; i < a.size(); i++) {
      Object v = a.value(i);
      sb.append(indent).append("     -> ").append(a.key(i)).append(": ").append(GoText.typeName(v)).append('(');
      GoText.appendValue(sb, v);
      sb.append(")\n");
    }
  }
}
