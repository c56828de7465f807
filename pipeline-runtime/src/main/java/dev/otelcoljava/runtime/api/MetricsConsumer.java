package dev.otelcoljava.runtime.api;

import dev.otelcoljava.runtime.api.data.MetricsBatch;

/**
 * Receives batches of metrics: a processor, an exporter, or the runtime's fan-out.
 *
 * <p><b>Ownership.</b> {@link #consume} takes ownership of the batch: after it returns (normally or
 * by throwing) the caller neither reads nor changes the batch. A consumer that needs the data later
 * keeps the batch itself. A consumer that changes the batch it is given declares so with {@link
 * #mutatesData()}; the fan-out then hands it a deep copy unless it is the last consumer.
 *
 * <p><b>Errors.</b> A consumer refuses data by throwing {@link ConsumerException}; {@link
 * ConsumerException#permanent()} says whether retrying the same data can succeed. Implementations
 * must be thread-safe: receivers call from their own threads.
 */
public interface MetricsConsumer {
  void consume(MetricsBatch batch) throws ConsumerException;

  /** True if {@link #consume} changes the batch it is given. */
  default boolean mutatesData() {
    return false;
  }
}
