package dev.otelcoljava.benchmarks;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.ExporterPreview;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.explain.OfflinePipeline;
import dev.otelcoljava.runtime.internal.config.ServiceConfig;
import dev.otelcoljava.runtime.internal.service.Service;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * EMF encoding cost per metric point: the awsemf exporter's translation (grouping by dimensions
 * and time, metric declarations with the three Container Insights dimension sets, the Fargate
 * kubernetes object, the exporter's own delta cache, JSON writing) of the real Container Insights
 * batch: the chain's output over two cAdvisor scrapes (2513 points, 43 metrics, 18 pods), with
 * the scenario's awsemf config. Goes through the exporter's preview ({@link ExporterPreview}),
 * which also builds one "group / stream: message" line per event; nothing is sent. Scores are per
 * point; with {@code -prof gc}, gc.alloc.rate.norm is bytes per point.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EmfEncodeBenchmark {
  static final int POINTS = 2513;
  MetricsBatch batch;
  ExporterPreview.Previewer previewer;

  @Setup(Level.Trial)
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void setup() throws Exception {
    ServiceConfig config = ContainerInsightsChain.service().config();
    try (OfflinePipeline p = OfflinePipeline.open(config, null, ContainerInsightsChain.nodeTarget(), false, true,
        Service.defaultBuildInfo())) {
      long t = 1_782_468_880_000L;
      p.feed(ContainerInsightsChain.scrape(0, true, 0), t);
      p.feed(ContainerInsightsChain.scrape(1, true, 60_000), t + 60_000);
      p.finish(Duration.ofSeconds(10));
      List<MetricsBatch> out = p.exported();
      if (out.size() != 1 || out.get(0).dataPointCount() != POINTS) {
        throw new IllegalStateException("expected one batch of " + POINTS + " points, got " + out.size() + " batches, "
            + (out.isEmpty() ? 0 : out.get(0).dataPointCount()) + " points");
      }
      batch = out.get(0);
    }
    ComponentId id = ComponentId.of("awsemf");
    ServiceConfig.ComponentSpec spec = config.component(ComponentKind.EXPORTER, id);
    previewer = ((ExporterPreview) spec.factory()).previewer(new CreateSettings(id, ComponentKind.EXPORTER,
        MeterProvider.noop().get("bench"), System.getLogger("awsemf"), MetricsLevel.NORMAL,
        Service.defaultBuildInfo()), spec.config());
  }

  @Benchmark
  @OperationsPerInvocation(POINTS)
  public List<String> encodeBatch() throws Exception {
    return previewer.preview(batch);
  }
}
