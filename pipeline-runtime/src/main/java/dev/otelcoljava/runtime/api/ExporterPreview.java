package dev.otelcoljava.runtime.api;

import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.util.List;

/**
 * Optional capability of an {@link ExporterFactory}: showing what the configured exporter would
 * send for a batch (its wire payload in readable form) without sending anything, opening no
 * connection and starting nothing. Used by the {@code explain} command.
 *
 * @param <C> the factory's config type
 */
public interface ExporterPreview<C> {
  /** A previewer for one exporter; it keeps the exporter's state (delta caches) across batches. */
  Previewer previewer(CreateSettings settings, C config) throws Exception;

  /** Renders batches as the exporter would send them. Not thread-safe. */
  interface Previewer {
    /**
     * What would be sent for this batch: a one-line summary first, then one entry per item sent
     * (an EMF event, a time series), each a single line. The batch is not changed.
     */
    List<String> preview(MetricsBatch batch) throws Exception;
  }
}
