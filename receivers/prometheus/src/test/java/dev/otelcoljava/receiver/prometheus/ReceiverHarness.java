package dev.otelcoljava.receiver.prometheus;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.testing.MetricsSink;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Starts the receiver in-process exactly as the runtime would: factory, config node, create
 * settings with a real SDK meter, and a {@link MetricsSink} as the next consumer.
 */
final class ReceiverHarness implements AutoCloseable {
  final MetricsSink sink = new MetricsSink();
  final TestMetricReader reader = new TestMetricReader();
  final SdkMeterProvider meterProvider = SdkMeterProvider.builder().registerMetricReader(reader).build();
  final Receiver receiver;

  ReceiverHarness(String receiverYaml) throws Exception {
    ConfigTestSupport.Loaded l = ConfigTestSupport.loadYaml(receiverYaml);
    if (l.problems().hasErrors()) {
      throw new AssertionError("config errors: " + l.problems().errors());
    }
    PrometheusReceiverFactory f = new PrometheusReceiverFactory();
    CreateSettings settings = new CreateSettings(ComponentId.of("prometheus"), ComponentKind.RECEIVER,
        meterProvider.get("otelcol-java"), System.getLogger("receiver.prometheus"), MetricsLevel.NORMAL,
        new BuildInfo("otelcol-java", "otelcol-java", "0.1.0-test"));
    receiver = f.createReceiver(settings, l.config(), sink);
    receiver.start(new Host() {
      @Override
      public Optional<Extension> extension(ComponentId id) {
        return Optional.empty();
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of();
      }
    });
  }

  /** Points of a metric from batches whose resource has this service.instance.id, in arrival order. */
  List<NumberPoint> points(String instance, String metric) {
    List<NumberPoint> out = new ArrayList<>();
    for (MetricsBatch b : sink.batches()) {
      for (ResourceMetrics r : b.resourceMetrics()) {
        if (!instance.equals(r.resource().getString("service.instance.id"))) {
          continue;
        }
        for (ScopeMetrics s : r.scopeMetrics()) {
          for (Metric m : s.metrics()) {
            if (m.name().equals(metric)) {
              out.addAll(m.numberPoints());
            }
          }
        }
      }
    }
    return out;
  }

  long count(String instance, String metric, double value) {
    return points(instance, metric).stream().filter(p -> !p.noRecordedValue() && p.value() == value).count();
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() throws Exception {
    receiver.shutdown(Duration.ofSeconds(10));
    meterProvider.close();
  }
}
