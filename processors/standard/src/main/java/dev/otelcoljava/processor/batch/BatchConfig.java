package dev.otelcoljava.processor.batch;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.List;

/**
 * The {@code batch} processor config.
 *
 * @param sendBatchSize items (data points) that trigger a send; 8192 by default; not a cap
 * @param timeout longest wait before a non-empty batch is sent; 200ms by default; 0 sends at once
 * @param sendBatchMaxSize upper bound of a sent batch (larger ones are split); 0 = no bound
 * @param metadataKeys client metadata keys to batch by (accepted; see package docs)
 * @param metadataCardinalityLimit maximum metadata combinations, 1000 by default
 */
public record BatchConfig(int sendBatchSize, Duration timeout, int sendBatchMaxSize, List<String> metadataKeys,
    int metadataCardinalityLimit) {
  static BatchConfig defaults() {
    return new BatchConfig(8192, Duration.ofMillis(200), 0, List.of(), 1000);
  }

  static BatchConfig read(ConfigNode node) {
    BatchConfig d = defaults();
    int size = node.integer("send_batch_size", d.sendBatchSize());
    Duration timeout = node.duration("timeout", d.timeout());
    int max = node.integer("send_batch_max_size", d.sendBatchMaxSize());
    List<String> keys = node.stringList("metadata_keys");
    int limit = node.integer("metadata_cardinality_limit", d.metadataCardinalityLimit());
    if (size < 0) {
      node.error("send_batch_size", "must not be negative, got " + size);
    }
    if (max < 0) {
      node.error("send_batch_max_size", "must not be negative, got " + max);
    }
    if (max > 0 && max < size) {
      node.error("send_batch_max_size must be greater or equal to send_batch_size (send_batch_max_size " + max
          + " < send_batch_size " + size + ")");
    }
    if (timeout.isNegative()) {
      node.error("timeout", "timeout must be greater or equal to 0, got " + timeout);
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String k : keys) {
      if (!seen.add(k.toLowerCase(java.util.Locale.ROOT))) {
        node.error("metadata_keys", "duplicate entry in metadata_keys: \"" + k + "\" (case-insensitive)");
      }
    }
    return new BatchConfig(size, timeout, max, keys, limit);
  }
}
