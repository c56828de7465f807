package dev.otelcoljava.receiver.statsd;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code statsd} receiver's config. Defaults as otelcol-contrib's: endpoint localhost:8125,
 * transport udp, aggregation_interval 60s, every timer/histogram/distribution observed as a gauge,
 * counters as delta int sums that are not monotonic. A histogram observer yields delta exponential
 * histograms ({@code histogram::max_size}, default 160 buckets); {@code explicit_buckets} is refused. Immutable.
 */
public record StatsdReceiverConfig(String endpoint, String transport, Duration aggregationInterval, boolean enableMetricType,
    boolean enableSimpleTags, boolean isMonotonicCounter, boolean enableIpOnlyAggregation, boolean floatCounters,
    Observer timer, Observer histogram) {

  /** How timers ({@code ms}) or histograms/distributions ({@code h}, {@code d}) are aggregated. */
  public record Observer(String type, List<Double> percentiles, int maxSize) {
    static final Observer GAUGE = new Observer("gauge", List.of(), 0);
  }

  static StatsdReceiverConfig read(ConfigNode n) {
    n.accept("socket_permissions", "ignore_host");
    String endpoint = n.string("endpoint", "localhost:8125");
    String transport = n.string("transport", "udp");
    if (!transport.equals("udp") && !transport.equals("tcp")) {
      n.error("transport", "\"" + transport + "\" is not supported; use udp or tcp");
    }
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0) {
      n.error("endpoint", "\"" + endpoint + "\" must be host:port, e.g. localhost:8125");
    } else {
      try {
        Integer.parseInt(endpoint.substring(colon + 1));
      } catch (NumberFormatException e) {
        n.error("endpoint", "\"" + endpoint + "\" has no valid port; use host:port, e.g. localhost:8125");
      }
    }
    Duration interval = n.duration("aggregation_interval", Duration.ofSeconds(60));
    if (interval.isZero() || interval.isNegative()) {
      n.error("aggregation_interval", "must be a positive duration");
    }
    String counterType = n.oneOf("counter_type", "int", "int", "float");
    Observer timer = Observer.GAUGE;
    Observer histogram = Observer.GAUGE;
    boolean missing = false;
    for (ConfigNode m : n.list("timer_histogram_mapping")) {
      String statsdType = m.string("statsd_type", "");
      String observerType = m.string("observer_type", "");
      ConfigNode h = m.get("histogram");
      int maxSize = h.integer("max_size", 0);
      h.accept("explicit_buckets");
      List<Double> percentiles = new ArrayList<>();
      for (ConfigNode p : m.get("summary").list("percentiles")) {
        String s = p.asString();
        try {
          double v = Double.parseDouble(s);
          if (v < 0 || v > 100) {
            m.error("summary", "summary percentiles out of [0, 100] range: " + s);
          }
          percentiles.add(v);
        } catch (NumberFormatException | NullPointerException e) {
          p.error("expected a number, got \"" + s + "\"");
        }
      }
      if (statsdType.isEmpty() || observerType.isEmpty()) {
        missing = true;
        continue;
      }
      if (!List.of("timing", "timer", "histogram", "distribution").contains(statsdType)) {
        m.error("statsd_type", "statsd_type is not a supported mapping for histogram and timing metrics: " + statsdType);
      }
      switch (observerType) {
        case "gauge", "summary" -> { }
        case "histogram" -> {
          if (maxSize != 0 && (maxSize < 2 || maxSize > 16384)) {
            m.error("histogram", "histogram max_size out of range: " + maxSize);
          }
          if (h.has("explicit_buckets") && h.get("explicit_buckets").present()) {
            m.error("histogram", "explicit_buckets are not supported by this collector yet; remove them to get exponential histograms");
          }
        }
        default -> m.error("observer_type", "observer_type is not supported for histogram and timing metrics: " + observerType);
      }
      if (!observerType.equals("histogram") && (maxSize != 0 || h.has("explicit_buckets") && h.get("explicit_buckets").present())) {
        m.error("histogram", "histogram configuration requires observer_type: histogram");
      }
      if (!percentiles.isEmpty() && !observerType.equals("summary")) {
        m.error("summary", "summary configuration requires observer_type: summary");
      }
      Observer o = new Observer(observerType, List.copyOf(percentiles), maxSize);
      if (statsdType.equals("timing") || statsdType.equals("timer")) {
        timer = o;
      } else {
        histogram = o;
      }
    }
    if (missing) {
      n.error("timer_histogram_mapping", "must specify object id for all TimerHistogramMappings");
    }
    return new StatsdReceiverConfig(endpoint, transport, interval, n.bool("enable_metric_type", false), n.bool("enable_simple_tags", false),
        n.bool("is_monotonic_counter", false), n.bool("enable_ip_only_aggregation", false), "float".equals(counterType), timer, histogram);
  }
}
