package dev.otelcoljava.runtime.api;

import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.time.Duration;
import java.util.Map;

/**
 * Optional capability of a {@link ReceiverFactory}: turning recorded input (an exposition file, a
 * captured response) into exactly the batch the configured receiver would emit for it, offline,
 * with no network. The {@code explain} command and whole-chain tests use it; a factory without it
 * cannot be explained.
 *
 * @param <C> the factory's config type
 */
public interface ReceiverReplay<C> {
  /**
   * Opens a replay of one source of the configured receiver (for a scraping receiver: one target of
   * its first job). The replayer keeps the receiver's per-source state (start times, staleness)
   * across {@link Replayer#replay} calls.
   *
   * @param source what describes the source before the receiver's own processing (for a scrape
   *     job: discovered labels such as {@code __address__} or {@code __meta_kubernetes_node_name},
   *     to which the job's relabel_configs apply); may be empty
   * @throws Exception naming the problem when the config has nothing to replay or the source is
   *     dropped by the receiver's own rules
   */
  Replayer replayer(CreateSettings settings, C config, Map<String, String> source) throws Exception;

  /** The replay of one source. Not thread-safe. */
  interface Replayer {
    /** One line saying what is replayed, e.g. the job and the target URL. */
    String describe();

    /** The time between two recorded inputs in normal operation (e.g. the scrape interval). */
    Duration interval();

    /**
     * The batch the receiver emits for one recorded input received at {@code timeMillis}.
     *
     * @throws Exception when the receiver would reject the input (the message says why)
     */
    MetricsBatch replay(byte[] content, long timeMillis) throws Exception;
  }
}
