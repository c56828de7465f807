package dev.otelcoljava.exporter.awsemf;

import dev.otelcoljava.runtime.api.ExporterPreview;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the awsemf exporter would write for a batch, without writing: the same translation (with
 * its own delta cache, so cumulative sums become deltas from the second batch on, as in the
 * exporter) and the EMF events one per line, prefixed with log group and stream. Not thread-safe.
 */
final class EmfPreview implements ExporterPreview.Previewer {
  private final AwsEmfConfig config;
  private final EmfTranslator translator;
  private final Map<String, Long> dropped = new TreeMap<>();

  EmfPreview(AwsEmfConfig config) {
    this.config = config;
    this.translator = new EmfTranslator(config, "otel-stream-<uuid>", new DeltaCache(), new EmfTranslator.Listener() {
      @Override
      public void droppedPoints(String reason, long points) {
        dropped.merge(reason, points, Long::sum);
      }

      @Override
      public void droppedDimensionSet(List<String> set) {
        dropped.merge("dimension_set_over_30", 1L, Long::sum);
      }

      @Override
      public void warn(String key, String message) {
        // the preview's summary line counts what matters; warnings are the running exporter's business
      }
    });
  }

  /** The events for a batch as the exporter would send them (tests and benchmarks). */
  List<EmfEvent> events(MetricsBatch batch) {
    return translator.translate(batch, System.currentTimeMillis(), System.nanoTime());
  }

  @Override
  public List<String> preview(MetricsBatch batch) {
    dropped.clear();
    List<EmfEvent> events = events(batch);
    Map<String, Integer> streams = new LinkedHashMap<>();
    int points = 0;
    for (EmfEvent e : events) {
      streams.merge(e.logGroup() + " / " + e.logStream(), 1, Integer::sum);
      points += e.points();
    }
    StringBuilder head = new StringBuilder();
    head.append(events.size()).append(" EMF log events (").append(points).append(" points) ")
        .append(config.outputDestination().equals("stdout") ? "to stdout" : "to CloudWatch Logs")
        .append(", ").append(streams.size()).append(streams.size() == 1 ? " stream" : " streams");
    if (!dropped.isEmpty()) {
      head.append("; points left out: ").append(dropped);
    }
    List<String> out = new ArrayList<>();
    out.add(head.toString());
    for (EmfEvent e : events) {
      out.add(e.logGroup() + " / " + e.logStream() + ": " + e.message());
    }
    return out;
  }
}
