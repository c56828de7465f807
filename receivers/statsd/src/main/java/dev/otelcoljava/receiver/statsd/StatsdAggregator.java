package dev.otelcoljava.receiver.statsd;

import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.ExponentialHistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.SummaryPoint;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates StatsD lines per client address over one aggregation interval, as otelcol-contrib's
 * statsd receiver does: a gauge keeps its last value ({@code +n}/{@code -n} adjust it); a counter
 * sums its increments (delta sum, start = interval start); a timer or histogram observed as a
 * gauge yields one gauge point per line, as a summary yields count, sum and the configured
 * percentiles (default 0, 10, 50, 90, 95, 100, "empirical" quantiles weighted by sample rate), as
 * a histogram a delta base-2 exponential histogram ({@link ExpoHistogram}).
 * Every metric is emitted in its own scope named after the receiver. Not thread-safe: one
 * aggregator is confined to the receiver's lock.
 */
final class StatsdAggregator {
  static final String SCOPE = "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/statsdreceiver";
  static final List<Double> DEFAULT_PERCENTILES = List.of(0.0, 10.0, 50.0, 90.0, 95.0, 100.0);

  private record Key(String name, char type, Attributes attrs) {}

  private static final class Summary {
    double[] values = new double[8];
    double[] weights = new double[8];
    int n;

    void add(double v, double w) {
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
        weights = Arrays.copyOf(weights, n * 2);
      }
      values[n] = v;
      weights[n] = w;
      n++;
    }
  }

  private static final class Instruments {
    final Map<Key, NumberPoint> gauges = new LinkedHashMap<>();
    final Map<Key, double[]> counters = new LinkedHashMap<>();
    final Map<Key, Long> counterTimes = new LinkedHashMap<>();
    final List<Metric> observedGauges = new ArrayList<>();
    final Map<Key, Summary> summaries = new LinkedHashMap<>();
    final Map<Key, ExpoHistogram> histograms = new LinkedHashMap<>();
  }

  private final StatsdReceiverConfig cfg;
  private final String version;
  private Map<String, Instruments> byAddress = new LinkedHashMap<>();
  private long intervalStart;

  StatsdAggregator(StatsdReceiverConfig cfg, String version, long nowNanos) {
    this.cfg = cfg;
    this.version = version;
    this.intervalStart = nowNanos;
  }

  /** Adds one parsed line from a client (address key: ip:port, or ip only when enable_ip_only_aggregation). */
  void add(StatsdLine line, String addressKey, long nowNanos) {
    Instruments in = byAddress.computeIfAbsent(addressKey, k -> new Instruments());
    Key key = new Key(line.name(), line.type(), line.attributes());
    switch (line.type()) {
      case StatsdLine.GAUGE -> {
        NumberPoint p = in.gauges.get(key);
        if (p != null && line.addition()) {
          p.setDoubleValue(p.doubleValue() + line.value());
        } else {
          in.gauges.put(key, NumberPoint.ofDouble(line.attributes().copy(), 0, nowNanos, line.value()));
        }
      }
      case StatsdLine.COUNTER -> {
        double inc = line.counterIncrement();
        if (!cfg.floatCounters()) {
          inc = (long) inc;
        }
        double[] sum = in.counters.computeIfAbsent(key, k -> new double[1]);
        sum[0] += inc;
        if (line.timestampNanos() != 0 && !in.counterTimes.containsKey(key)) {
          in.counterTimes.put(key, line.timestampNanos());
        }
      }
      default -> {
        StatsdReceiverConfig.Observer o = line.type() == StatsdLine.TIMING ? cfg.timer() : cfg.histogram();
        switch (o.type()) {
          case "gauge" -> {
            Metric m = Metric.gauge(line.name());
            m.addPoint(NumberPoint.ofDouble(line.attributes().copy(), 0, nowNanos, line.value()));
            in.observedGauges.add(m);
          }
          case "summary" -> in.summaries.computeIfAbsent(key, k -> new Summary()).add(line.value(), line.sampleCount());
          // The weight is truncated to an integer count, as upstream does.
          case "histogram" -> in.histograms.computeIfAbsent(key, k -> new ExpoHistogram(o.maxSize()))
              .update(line.value(), (long) line.sampleCount());
          default -> {
            // disabled: dropped, as upstream does
          }
        }
      }
    }
  }

  /** Emits one batch per client address and starts a new interval; empty if nothing arrived. */
  List<MetricsBatch> flush(long nowNanos) {
    List<MetricsBatch> out = new ArrayList<>(byAddress.size());
    for (Instruments in : byAddress.values()) {
      ResourceMetrics rm = new ResourceMetrics(new Attributes());
      for (Map.Entry<Key, NumberPoint> e : in.gauges.entrySet()) {
        Metric m = Metric.gauge(e.getKey().name());
        m.addPoint(e.getValue());
        scope(rm).metrics().add(m);
      }
      for (Metric m : in.observedGauges) {
        scope(rm).metrics().add(m);
      }
      for (Map.Entry<Key, double[]> e : in.counters.entrySet()) {
        Metric m = Metric.sum(e.getKey().name(), Temporality.DELTA, cfg.isMonotonicCounter());
        Long ts = in.counterTimes.get(e.getKey());
        long time = ts != null ? ts : nowNanos;
        double v = e.getValue()[0];
        m.addPoint(cfg.floatCounters()
            ? NumberPoint.ofDouble(e.getKey().attrs().copy(), intervalStart, time, v)
            : NumberPoint.ofLong(e.getKey().attrs().copy(), intervalStart, time, (long) v));
        scope(rm).metrics().add(m);
      }
      for (Map.Entry<Key, Summary> e : in.summaries.entrySet()) {
        StatsdReceiverConfig.Observer o = e.getKey().type() == StatsdLine.TIMING ? cfg.timer() : cfg.histogram();
        scope(rm).metrics().add(summary(e.getKey(), e.getValue(), o.percentiles().isEmpty() ? DEFAULT_PERCENTILES : o.percentiles(), nowNanos));
      }
      for (Map.Entry<Key, ExpoHistogram> e : in.histograms.entrySet()) {
        Metric m = new Metric(e.getKey().name(), dev.otelcoljava.runtime.api.data.MetricType.EXPONENTIAL_HISTOGRAM);
        m.setTemporality(Temporality.DELTA);
        ExponentialHistogramPoint p = new ExponentialHistogramPoint();
        p.setAttributes(e.getKey().attrs().copy());
        p.setStartTimeNanos(intervalStart);
        p.setTimeNanos(nowNanos);
        e.getValue().writeTo(p);
        m.addPoint(p);
        scope(rm).metrics().add(m);
      }
      out.add(new MetricsBatch(new ArrayList<>(List.of(rm))));
    }
    byAddress = new LinkedHashMap<>();
    intervalStart = nowNanos;
    return out;
  }

  private ScopeMetrics scope(ResourceMetrics rm) {
    return rm.addScope(SCOPE, version);
  }

  private Metric summary(Key key, Summary s, List<Double> percentiles, long nowNanos) {
    double count = 0;
    double sum = 0;
    for (int i = 0; i < s.n; i++) {
      count += s.weights[i];
      sum += s.values[i] * s.weights[i];
    }
    // Sort values with their weights.
    Integer[] idx = new Integer[s.n];
    for (int i = 0; i < s.n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(s.values[a], s.values[b]));
    double[] quantiles = new double[percentiles.size()];
    double[] values = new double[percentiles.size()];
    for (int q = 0; q < quantiles.length; q++) {
      double p = percentiles.get(q) / 100;
      quantiles[q] = p;
      values[q] = empirical(p, idx, s, count);
    }
    SummaryPoint sp = new SummaryPoint();
    sp.setAttributes(key.attrs().copy());
    sp.setStartTimeNanos(intervalStart);
    sp.setTimeNanos(nowNanos);
    sp.setCount((long) count);
    sp.setSum(sum);
    sp.setQuantiles(quantiles, values);
    Metric m = new Metric(key.name(), dev.otelcoljava.runtime.api.data.MetricType.SUMMARY);
    m.addPoint(sp);
    return m;
  }

  /** The smallest value whose cumulative weight reaches p of the total (gonum's Empirical quantile). */
  private static double empirical(double p, Integer[] idx, Summary s, double total) {
    double target = p * total;
    double cum = 0;
    for (Integer i : idx) {
      cum += s.weights[i];
      if (cum >= target) {
        return s.values[i];
      }
    }
    return s.values[idx[idx.length - 1]];
  }
}
