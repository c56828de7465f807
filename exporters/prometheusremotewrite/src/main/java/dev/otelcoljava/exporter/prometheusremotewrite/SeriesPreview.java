package dev.otelcoljava.exporter.prometheusremotewrite;

import dev.otelcoljava.exporter.prometheusremotewrite.internal.PromSeries;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Translator;
import dev.otelcoljava.runtime.api.ExporterPreview;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * What the prometheusremotewrite exporter would send for a batch, without sending: the same
 * translation, then one line per series with its labels and samples ({@code value @ms}). Not
 * thread-safe.
 */
final class SeriesPreview implements ExporterPreview.Previewer {
  private final PrometheusRemoteWriteConfig config;
  private final Translator translator;

  SeriesPreview(PrometheusRemoteWriteConfig config) {
    this.config = config;
    this.translator = new Translator(new Translator.Settings(config.namespace(), config.addMetricSuffixes(),
        config.externalLabels(), config.resourceToTelemetry(), config.excludeServiceAttributes(), config.targetInfo(),
        config.disableScopeInfo()));
  }

  @Override
  public List<String> preview(MetricsBatch batch) {
    Translator.Result r = translator.translate(batch);
    List<String> out = new ArrayList<>();
    out.add(r.series().size() + " series, " + r.series().sampleCount() + " samples to " + config.endpoint()
        + (r.errors().isEmpty() ? "" : "; not translatable: " + r.errors()));
    for (PromSeries s : r.series().series()) {
      StringBuilder sb = new StringBuilder(s.labelsText());
      for (int i = 0; i < s.sampleCount(); i++) {
        sb.append(' ').append(s.value(i)).append(" @").append(s.timestamp(i));
      }
      if (!s.histograms().isEmpty()) {
        sb.append(" (").append(s.histograms().size()).append(" native histogram samples)");
      }
      out.add(sb.toString());
    }
    return out;
  }
}
