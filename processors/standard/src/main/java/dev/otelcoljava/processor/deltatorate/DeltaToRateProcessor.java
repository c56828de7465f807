package dev.otelcoljava.processor.deltatorate;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Turns the listed delta sums into per-second gauges. Stateless per batch; thread-safe. */
final class DeltaToRateProcessor implements Processor {
  private final Set<String> names;
  private final MetricsConsumer next;
  private final RateLimitedLogger logger;

  DeltaToRateProcessor(DeltaToRateConfig config, System.Logger logger, MetricsConsumer next) {
    this.names = new HashSet<>(config.metrics());
    this.next = next;
    this.logger = new RateLimitedLogger(logger, Duration.ofMinutes(5));
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
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      for (ScopeMetrics sm : rm.scopeMetrics()) {
        for (Metric m : sm.metrics()) {
          if (!names.contains(m.name())) {
            continue;
          }
          if (m.type() != MetricType.SUM || m.temporality() != Temporality.DELTA) {
            logger.log(System.Logger.Level.INFO, m.name(), "Configured metric for rate calculation " + m.name()
                + " is not a delta sum");
            continue;
          }
          for (NumberPoint p : m.numberPoints()) {
            long nanos = p.timeNanos() - p.startTimeNanos();
            double seconds = nanos / 1e9;
            p.setDoubleValue(nanos <= 0 ? 0 : p.value() / seconds);
          }
          m.setType(MetricType.GAUGE);
          m.setTemporality(Temporality.UNSPECIFIED);
          m.setMonotonic(false);
          if (!m.unit().isEmpty()) {
            m.setUnit(m.unit() + "/s");
          }
        }
      }
    }
  }
}
