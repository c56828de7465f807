/**
 * The {@code batch} processor: accumulates data points and sends them downstream when {@code
 * send_batch_size} (8192) points are pending or {@code timeout} (200ms) passed since the last send;
 * batches above {@code send_batch_max_size} (0 = no bound) are split. Sends happen on one worker
 * thread per instance, so {@code consume} returns at once and never propagates backpressure (as in
 * otelcol). Shutdown flushes everything pending within the deadline. Self-metrics: {@code
 * otelcol_processor_batch_batch_send_size}, {@code ..._batch_size_trigger_send}, {@code
 * ..._timeout_trigger_send}, {@code ..._metadata_cardinality} (attribute {@code processor});
 * {@code ..._batch_send_size_bytes} is not recorded. {@code metadata_keys} is accepted, but
 * otelcol-java receivers carry no client metadata, so all data shares one batcher.
 */
package dev.otelcoljava.processor.batch;
