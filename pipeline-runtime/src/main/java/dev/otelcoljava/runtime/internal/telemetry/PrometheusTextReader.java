package dev.otelcoljava.runtime.internal.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pull {@link MetricReader} that renders the collector's self-metrics in the Prometheus text
 * format (0.0.4) as otelcol's Prometheus reader does with {@code without_type_suffix}, {@code
 * without_units} and {@code without_scope_info}: names as registered (no {@code _total}, no unit
 * suffix), attribute names sanitized to label names, and the resource attributes {@code
 * service.instance.id}, {@code service.name} and {@code service.version} added to every series as
 * constant labels. Instruments of one name registered by several meters are merged into one family.
 * Cumulative temporality. Thread-safe.
 */
final class PrometheusTextReader implements MetricReader {
  private static final List<String> RESOURCE_LABELS =
      List.of("service.instance.id", "service.name", "service.version");

  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }

  /** Collects and renders every metric now. */
  String scrape() {
    Collection<MetricData> all = registration.collectAllMetrics();
    Map<String, List<MetricData>> families = new TreeMap<>();
    for (MetricData m : all) {
      families.computeIfAbsent(sanitizeName(m.getName()), k -> new ArrayList<>()).add(m);
    }
    StringBuilder sb = new StringBuilder(4096);
    for (Map.Entry<String, List<MetricData>> e : families.entrySet()) {
      String name = e.getKey();
      MetricData first = e.getValue().get(0);
      String type = typeOf(first);
      if (type == null) {
        continue;
      }
      if (!first.getDescription().isEmpty()) {
        sb.append("# HELP ").append(name).append(' ');
        escapeHelp(sb, first.getDescription());
        sb.append('\n');
      }
      sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      for (MetricData m : e.getValue()) {
        if (!type.equals(typeOf(m))) {
          continue;
        }
        Map<String, String> resource = resourceLabels(m);
        for (PointData p : points(m)) {
          Map<String, String> labels = labels(p.getAttributes(), resource);
          if (p instanceof HistogramPointData h) {
            long cum = 0;
            List<Double> bounds = h.getBoundaries();
            List<Long> counts = h.getCounts();
            for (int i = 0; i < counts.size(); i++) {
              cum += counts.get(i);
              String le = i < bounds.size() ? formatDouble(bounds.get(i)) : "+Inf";
              Map<String, String> withLe = new TreeMap<>(labels);
              withLe.put("le", le);
              series(sb, name + "_bucket", withLe);
              sb.append(cum).append('\n');
            }
            series(sb, name + "_sum", labels);
            sb.append(formatDouble(h.getSum())).append('\n');
            series(sb, name + "_count", labels);
            sb.append(h.getCount()).append('\n');
          } else if (p instanceof LongPointData l) {
            series(sb, name, labels);
            sb.append(l.getValue()).append('\n');
          } else if (p instanceof DoublePointData d) {
            series(sb, name, labels);
            sb.append(formatDouble(d.getValue())).append('\n');
          }
        }
      }
    }
    return sb.toString();
  }

  private static String typeOf(MetricData m) {
    return switch (m.getType()) {
      case LONG_GAUGE, DOUBLE_GAUGE -> "gauge";
      case LONG_SUM -> m.getLongSumData().isMonotonic() ? "counter" : "gauge";
      case DOUBLE_SUM -> m.getDoubleSumData().isMonotonic() ? "counter" : "gauge";
      case HISTOGRAM -> "histogram";
      default -> null;
    };
  }

  private static Collection<? extends PointData> points(MetricData m) {
    return switch (m.getType()) {
      case LONG_GAUGE -> m.getLongGaugeData().getPoints();
      case DOUBLE_GAUGE -> m.getDoubleGaugeData().getPoints();
      case LONG_SUM -> m.getLongSumData().getPoints();
      case DOUBLE_SUM -> m.getDoubleSumData().getPoints();
      case HISTOGRAM -> m.getHistogramData().getPoints();
      default -> List.of();
    };
  }

  private static Map<String, String> resourceLabels(MetricData m) {
    Map<String, String> out = new TreeMap<>();
    Attributes ra = m.getResource().getAttributes();
    for (String key : RESOURCE_LABELS) {
      String v = ra.get(AttributeKey.stringKey(key));
      if (v != null) {
        out.put(sanitizeLabel(key), v);
      }
    }
    return out;
  }

  private static Map<String, String> labels(Attributes attrs, Map<String, String> resource) {
    Map<String, String> out = new TreeMap<>();
    attrs.forEach((k, v) -> out.put(sanitizeLabel(k.getKey()), String.valueOf(v)));
    out.putAll(resource);
    return out;
  }

  private static void series(StringBuilder sb, String name, Map<String, String> labels) {
    sb.append(name);
    if (!labels.isEmpty()) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(e.getKey()).append("=\"");
        String v = e.getValue();
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          switch (c) {
            case '\\' -> sb.append("\\\\");
            case '"' -> sb.append("\\\"");
            case '\n' -> sb.append("\\n");
            default -> sb.append(c);
          }
        }
        sb.append('"');
      }
      sb.append('}');
    }
    sb.append(' ');
  }

  private static void escapeHelp(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }

  static String formatDouble(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  /** Metric names: characters outside {@code [a-zA-Z0-9_:]} become {@code _}. */
  static String sanitizeName(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (c >= '0' && c <= '9' && i > 0);
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }

  /** Label names: characters outside {@code [a-zA-Z0-9_]} become {@code _}; a leading digit gets {@code _}. */
  static String sanitizeLabel(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 1);
    if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
      sb.append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }
}
