package dev.otelcoljava.runtime.api;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import java.util.function.LongSupplier;

/**
 * otelcol's standard exporter self-metrics for one exporter id: {@code
 * otelcol_exporter_sent_metric_points}, {@code otelcol_exporter_send_failed_metric_points}, {@code
 * otelcol_exporter_enqueue_failed_metric_points}, {@code otelcol_exporter_queue_size} and {@code
 * otelcol_exporter_queue_capacity}, each with the attribute {@code exporter=<id>}. Thread-safe.
 */
public final class ExporterMetrics {
  private final LongCounter sent;
  private final LongCounter sendFailed;
  private final LongCounter enqueueFailed;
  private final Attributes attrs;
  private final CreateSettings settings;

  private ExporterMetrics(CreateSettings settings) {
    this.settings = settings;
    this.attrs = Attributes.of(AttributeKey.stringKey("exporter"), settings.id().toString());
    this.sent = settings.meter().counterBuilder("otelcol_exporter_sent_metric_points")
        .setDescription("Number of metric points successfully sent to destination.").setUnit("{datapoints}").build();
    this.sendFailed = settings.meter().counterBuilder("otelcol_exporter_send_failed_metric_points")
        .setDescription("Number of metric points in failed attempts to send to destination.").setUnit("{datapoints}").build();
    this.enqueueFailed = settings.meter().counterBuilder("otelcol_exporter_enqueue_failed_metric_points")
        .setDescription("Number of metric points failed to be added to the sending queue.").setUnit("{datapoints}").build();
  }

  public static ExporterMetrics create(CreateSettings settings) {
    return new ExporterMetrics(settings);
  }

  /** The {@code exporter=<id>} attribute set, for the exporter's own extra instruments. */
  public Attributes attributes() {
    return attrs;
  }

  public void sent(long points) {
    sent.add(points, attrs);
  }

  public void sendFailed(long points) {
    sendFailed.add(points, attrs);
  }

  public void enqueueFailed(long points) {
    enqueueFailed.add(points, attrs);
  }

  /** Registers the queue size and capacity gauges, read at each collection. */
  public void registerQueue(LongSupplier size, LongSupplier capacity) {
    settings.meter().gaugeBuilder("otelcol_exporter_queue_size").ofLongs()
        .setDescription("Current size of the retry queue (in batches).").setUnit("{batches}")
        .buildWithCallback(m -> m.record(size.getAsLong(), attrs));
    settings.meter().gaugeBuilder("otelcol_exporter_queue_capacity").ofLongs()
        .setDescription("Fixed capacity of the retry queue (in batches).").setUnit("{batches}")
        .buildWithCallback(m -> m.record(capacity.getAsLong(), attrs));
  }
}
