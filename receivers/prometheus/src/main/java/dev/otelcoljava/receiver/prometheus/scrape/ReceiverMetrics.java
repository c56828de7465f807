package dev.otelcoljava.receiver.prometheus.scrape;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * The receiver's self-metrics, per target ({@code receiver}, {@code job}, {@code instance}) and per
 * job. Names (the Prometheus exporter of the collector's own telemetry appends {@code _total} to
 * counters):
 *
 * <ul>
 *   <li>{@code otelcol_receiver_prometheus_scrapes}: scrapes attempted
 *   <li>{@code otelcol_receiver_prometheus_scrape_failures}: failed scrapes, by {@code reason}
 *       (connection, timeout, http_status, redirect, body_size_limit, gzip, parse, sample_limit,
 *       label_limit, label_name_length_limit, label_value_length_limit, target_limit, auth)
 *   <li>{@code otelcol_receiver_prometheus_samples}: samples scraped (before metric relabeling)
 *   <li>{@code otelcol_receiver_prometheus_samples_post_relabeling}: samples kept
 *   <li>{@code otelcol_receiver_prometheus_body_bytes}: uncompressed body bytes read
 *   <li>{@code otelcol_receiver_prometheus_wire_bytes}: body bytes as received (compressed)
 *   <li>{@code otelcol_receiver_prometheus_scrape_duration}: seconds per scrape (histogram)
 *   <li>{@code otelcol_receiver_prometheus_refused_metric_points}: points the next consumer refused
 *   <li>{@code otelcol_receiver_prometheus_targets}: active targets per job
 *   <li>{@code otelcol_receiver_prometheus_targets_dropped}: targets dropped per job, by {@code reason}
 * </ul>
 *
 * Thread-safe.
 */
public final class ReceiverMetrics {
  static final AttributeKey<String> RECEIVER = AttributeKey.stringKey("receiver");
  static final AttributeKey<String> JOB = AttributeKey.stringKey("job");
  static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("instance");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  final String receiver;
  final LongCounter scrapes;
  final LongCounter failures;
  final LongCounter samples;
  final LongCounter samplesPost;
  final LongCounter bodyBytes;
  final LongCounter wireBytes;
  final DoubleHistogram duration;
  final LongCounter refused;
  final LongUpDownCounter targets;
  final LongCounter targetsDropped;

  public ReceiverMetrics(Meter meter, String receiver) {
    this.receiver = receiver;
    String p = "otelcol_receiver_prometheus_";
    scrapes = meter.counterBuilder(p + "scrapes").setDescription("Scrapes attempted").setUnit("{scrape}").build();
    failures = meter.counterBuilder(p + "scrape_failures").setDescription("Failed scrapes by reason")
        .setUnit("{scrape}").build();
    samples = meter.counterBuilder(p + "samples").setDescription("Samples scraped before metric relabeling")
        .setUnit("{sample}").build();
    samplesPost = meter.counterBuilder(p + "samples_post_relabeling")
        .setDescription("Samples kept after metric relabeling").setUnit("{sample}").build();
    bodyBytes = meter.counterBuilder(p + "body_bytes").setDescription("Uncompressed scrape body bytes read")
        .setUnit("By").build();
    wireBytes = meter.counterBuilder(p + "wire_bytes").setDescription("Scrape body bytes as received")
        .setUnit("By").build();
    duration = meter.histogramBuilder(p + "scrape_duration").setDescription("Duration of scrapes").setUnit("s")
        .setExplicitBucketBoundariesAdvice(List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
        .build();
    refused = meter.counterBuilder(p + "refused_metric_points")
        .setDescription("Points the next consumer refused").setUnit("{datapoint}").build();
    targets = meter.upDownCounterBuilder(p + "targets").setDescription("Active scrape targets")
        .setUnit("{target}").build();
    targetsDropped = meter.counterBuilder(p + "targets_dropped")
        .setDescription("Discovered targets dropped by relabeling or invalid").setUnit("{target}").build();
  }

  Attributes target(String job, String instance) {
    return Attributes.of(RECEIVER, receiver, JOB, job, INSTANCE, instance);
  }

  Attributes job(String job) {
    return Attributes.of(RECEIVER, receiver, JOB, job);
  }

  Attributes withReason(Attributes base, String reason) {
    return base.toBuilder().put(REASON, reason).build();
  }
}
