package dev.otelcoljava.runtime.internal.graph;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/** The self-metric wrappers the graph puts around receivers' and processors' consumers. */
final class Observed {
  private Observed() {}

  /**
   * What a receiver is given: counts {@code otelcol_receiver_accepted_metric_points} and {@code
   * otelcol_receiver_refused_metric_points} ({@code receiver}, {@code transport}) per batch.
   * Points are counted before handing on, since the batch then belongs to the next consumer.
   */
  static final class ReceiverConsumer implements MetricsConsumer {
    private final MetricsConsumer next;
    private final LongCounter accepted;
    private final LongCounter refused;
    private final LongCounter failed;
    private final Attributes attrs;

    ReceiverConsumer(MetricsConsumer next, Meter meter, String receiver, String transport) {
      this.next = next;
      this.attrs = Attributes.of(
          AttributeKey.stringKey("receiver"), receiver, AttributeKey.stringKey("transport"), transport);
      this.accepted = meter.counterBuilder("otelcol_receiver_accepted_metric_points").setUnit("{datapoints}")
          .setDescription("Number of metric points successfully pushed into the pipeline.").build();
      this.refused = meter.counterBuilder("otelcol_receiver_refused_metric_points").setUnit("{datapoints}")
          .setDescription("Number of metric points that could not be pushed into the pipeline.").build();
      this.failed = meter.counterBuilder("otelcol_receiver_failed_metric_points").setUnit("{datapoints}")
          .setDescription("The number of metric points that failed to be processed by the receiver due to internal errors.")
          .build();
    }

    @Override
    public void consume(MetricsBatch batch) {
      // All three are added every time, as otelcol does, so that every series exists from the
      // first batch on (a counter at 0 is information; a missing series is not).
      int n = batch.dataPointCount();
      try {
        next.consume(batch);
      } catch (ConsumerException e) {
        int r = e.rejectedPoints() < 0 ? n : Math.min(n, e.rejectedPoints());
        count(n - r, r, 0);
        throw e;
      } catch (RuntimeException e) {
        count(0, 0, n);
        throw e;
      }
      count(n, 0, 0);
    }

    private void count(long acc, long ref, long fail) {
      accepted.add(acc, attrs);
      refused.add(ref, attrs);
      failed.add(fail, attrs);
    }

    @Override
    public boolean mutatesData() {
      return next.mutatesData();
    }
  }

  /** Counts {@code otelcol_processor_incoming_items} in front of a processor. */
  static final class Incoming implements MetricsConsumer {
    private final MetricsConsumer processor;
    private final LongCounter counter;
    private final Attributes attrs;
    private final boolean mutates;

    Incoming(MetricsConsumer processor, boolean mutates, Meter meter, Attributes attrs) {
      this.processor = processor;
      this.mutates = mutates;
      this.attrs = attrs;
      this.counter = meter.counterBuilder("otelcol_processor_incoming_items").setUnit("{items}")
          .setDescription("Number of items passed to the processor.").build();
    }

    @Override
    public void consume(MetricsBatch batch) {
      counter.add(batch.dataPointCount(), attrs);
      processor.consume(batch);
    }

    @Override
    public boolean mutatesData() {
      return mutates;
    }
  }

  /** Counts {@code otelcol_processor_outgoing_items} behind a processor (what it hands on). */
  static final class Outgoing implements MetricsConsumer {
    private final MetricsConsumer next;
    private final LongCounter counter;
    private final Attributes attrs;

    Outgoing(MetricsConsumer next, Meter meter, Attributes attrs) {
      this.next = next;
      this.attrs = attrs;
      this.counter = meter.counterBuilder("otelcol_processor_outgoing_items").setUnit("{items}")
          .setDescription("Number of items emitted from the processor.").build();
    }

    @Override
    public void consume(MetricsBatch batch) {
      counter.add(batch.dataPointCount(), attrs);
      next.consume(batch);
    }

    @Override
    public boolean mutatesData() {
      return next.mutatesData();
    }
  }

  static Attributes processorAttrs(String processor) {
    return Attributes.of(
        AttributeKey.stringKey("processor"), processor, AttributeKey.stringKey("otel_signal"), "metrics");
  }

  /** A consumer with a declared mutation flag (a pipeline's entry: true if any processor mutates). */
  record Declared(MetricsConsumer consumer, boolean mutates) implements MetricsConsumer {
    @Override
    public void consume(MetricsBatch batch) {
      consumer.consume(batch);
    }

    @Override
    public boolean mutatesData() {
      return mutates;
    }
  }
}
