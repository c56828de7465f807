package dev.otelcoljava.receiver.prometheus;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;

/** A pull reader for asserting on the receiver's self-metrics. */
final class TestMetricReader implements MetricReader {
  private volatile CollectionRegistration registration;

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
    return CompletableResultCode.ofSuccess();
  }

  Collection<MetricData> collect() {
    return registration.collectAllMetrics();
  }

  /** The sum of a long counter's points whose attributes contain all the given key/value pairs. */
  long counter(String name, String... kv) {
    long total = 0;
    for (MetricData m : collect()) {
      if (!m.getName().equals(name)) {
        continue;
      }
      for (LongPointData p : m.getLongSumData().getPoints()) {
        boolean match = true;
        for (int i = 0; i < kv.length; i += 2) {
          if (!kv[i + 1].equals(attr(p, kv[i]))) {
            match = false;
          }
        }
        if (match) {
          total += p.getValue();
        }
      }
    }
    return total;
  }

  private static String attr(LongPointData p, String key) {
    return p.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(key));
  }
}
