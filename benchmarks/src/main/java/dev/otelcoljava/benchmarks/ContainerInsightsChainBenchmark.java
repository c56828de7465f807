package dev.otelcoljava.benchmarks;

import dev.otelcoljava.runtime.explain.OfflinePipeline;
import dev.otelcoljava.runtime.internal.service.Service;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole Container Insights chain's cost per input series: one invocation replays one scrape of
 * the real kubelet cAdvisor fixture (4621 series) through the eks-fargate-container-insights
 * scenario's pipeline, as the collector runs it: the prometheus receiver's relabeling and OTel
 * mapping of the body (parse included), then metricstransform x3, resourcedetection, filter,
 * cumulativetodelta, deltatorate, metricsgeneration x2 and batch (which hands full batches to a
 * no-op end; the exporter is not included: see {@link EmfEncodeBenchmark}). Scores are per input
 * series ({@code @OperationsPerInvocation}); with {@code -prof gc}, gc.alloc.rate.norm is bytes
 * per input series.
 *
 * <p>Bodies: 16 pre-built scrapes with counters advancing and no sample timestamps (so the
 * increasing scrape time applies); after the 16th the counters go back, which the chain sees as a
 * counter reset once every 16 scrapes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ContainerInsightsChainBenchmark {
  private static final int BODIES = 16;
  byte[][] bodies = new byte[BODIES][];
  OfflinePipeline pipeline;
  long timeMs = 1_782_468_880_000L;
  int next;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    for (int i = 0; i < BODIES; i++) {
      bodies[i] = ContainerInsightsChain.scrape(i, false, 0);
    }
    pipeline = OfflinePipeline.open(ContainerInsightsChain.service().config(), null,
        ContainerInsightsChain.nodeTarget(), false, false, Service.defaultBuildInfo());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    pipeline.finish(Duration.ofSeconds(10));
  }

  @Benchmark
  @OperationsPerInvocation(ContainerInsightsChain.SERIES)
  public int scrapeThroughChain() throws Exception {
    timeMs += 60_000;
    return pipeline.feed(bodies[next++ & (BODIES - 1)], timeMs);
  }
}
