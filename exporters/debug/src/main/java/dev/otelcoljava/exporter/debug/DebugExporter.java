package dev.otelcoljava.exporter.debug;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterMetrics;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Prints each batch: a summary line ({@code Metrics {"resource metrics": 1, "metrics": 3, "data
 * points": 7}}), and for normal/detailed the text dump as a second record, like otelcol. Sampled per
 * batch. Never prints config. Synchronous and thread-safe: records from concurrent batches never
 * interleave.
 */
final class DebugExporter implements Exporter {
  private final DebugExporterConfig config;
  private final System.Logger logger;
  private final ExporterMetrics metrics;
  private final Sampler sampler;
  private final List<PrintStream> outputs = new ArrayList<>();
  private final List<OutputStream> opened = new ArrayList<>();

  DebugExporter(DebugExporterConfig config, System.Logger logger, ExporterMetrics metrics, LongSupplier nanoTime) {
    this.config = config;
    this.logger = logger;
    this.metrics = metrics;
    this.sampler = new Sampler(config.samplingInitial(), config.samplingThereafter(), nanoTime);
  }

  @Override
  public synchronized void start(Host host) throws IOException {
    if (config.useInternalLogger()) {
      return;
    }
    for (String p : config.outputPaths()) {
      switch (p) {
        case "stdout" -> outputs.add(System.out);
        case "stderr" -> outputs.add(System.err);
        default -> {
          FileOutputStream f = new FileOutputStream(p, true);
          opened.add(f);
          outputs.add(new PrintStream(f, true, StandardCharsets.UTF_8));
        }
      }
    }
  }

  @Override
  public void consume(MetricsBatch batch) throws ConsumerException {
    int points = batch.dataPointCount();
    if (sampler.allow()) {
      String summary = "Metrics {\"resource metrics\": " + batch.resourceMetrics().size()
          + ", \"metrics\": " + batch.metricCount() + ", \"data points\": " + points + "}";
      String dump = switch (config.verbosity()) {
        case BASIC -> null;
        case NORMAL -> NormalText.format(batch);
        case DETAILED -> DetailedText.format(batch);
      };
      write(summary, dump);
    }
    if (metrics != null) {
      metrics.sent(points);
    }
  }

  private synchronized void write(String summary, String dump) {
    // otelcol logs the dump as its own message; its trailing newline is left to the log encoder.
    String text = dump == null || dump.isEmpty() ? null
        : dump.endsWith("\n") ? dump.substring(0, dump.length() - 1) : dump;
    if (config.useInternalLogger()) {
      logger.log(System.Logger.Level.INFO, summary, (Throwable) null);
      if (text != null) {
        logger.log(System.Logger.Level.INFO, text, (Throwable) null);
      }
      return;
    }
    String ts = Instant.now().toString();
    for (PrintStream out : outputs) {
      out.print(ts + "\tinfo\t" + summary + "\n" + (text == null ? "" : ts + "\tinfo\t" + text + "\n"));
      out.flush();
    }
  }

  @Override
  public synchronized void shutdown(Duration timeout) throws IOException {
    IOException first = null;
    for (OutputStream o : opened) {
      try {
        o.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    opened.clear();
    outputs.clear();
    if (first != null) {
      throw first;
    }
  }
}
