package dev.otelcoljava.benchmarks;

import dev.otelcoljava.exporter.prometheusremotewrite.internal.ByteBuf;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Payload;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.PromSeries;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Translator;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.HistogramPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.io.IOException;
import java.util.List;
import java.util.Map;
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
import org.xerial.snappy.Snappy;

/**
 * Remote write encode + snappy compress, the prometheusremotewrite exporter's per-sample hot path
 * after translation: the series of one batch are encoded into the WAL/queue payload (what {@code
 * consume} does), then packed into a {@code WriteRequest} body and snappy-compressed (what a shard
 * does before the POST). The same translated series every time (steady state).
 *
 * <p>One op = one sample ({@link OperationsPerInvocation}), so the score is samples/s on one
 * thread (one core) and, with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per
 * sample; after each iteration it prints samples per CPU-second of the benchmark thread, the
 * per-core figure when other processes share the cores. The data: {@value #SERIES} series with one
 * sample each, cAdvisor-like (10 labels, ~300 bytes of labels, as a scrape of one node produces
 * them) or small (4 labels).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RemoteWriteEncodeBenchmark {
  static final int SERIES = 1000;

  /** {@code cadvisor}: 10 labels, ~300 bytes; {@code small}: 4 labels (name, job, instance, pod), ~110 bytes. */
  @org.openjdk.jmh.annotations.Param({"cadvisor", "small"})
  public String labels;

  List<PromSeries> series;
  MetricsBatch batch;
  Translator translator;
  final ByteBuf payload = new ByteBuf(1 << 20);
  final ByteBuf body = new ByteBuf(1 << 20);
  byte[] compressed = new byte[Snappy.maxCompressedLength(1 << 20)];
  int samples;

  @Setup(Level.Trial)
  public void setup() {
    boolean cadvisor = labels.equals("cadvisor");
    MetricsBatch b = cadvisorBatch(SERIES, cadvisor);
    Map<String, String> external = cadvisor ? Map.of("cluster", "prod-us-west-2") : Map.of();
    translator = new Translator(new Translator.Settings("", true, external, false, false,
        false, false));
    batch = b;
    Translator.Result r = translator.translate(b);
    series = r.series().series();
    samples = r.series().sampleCount();
    if (series.size() != SERIES || samples != SERIES) {
      throw new IllegalStateException("expected " + SERIES + " series, got " + series.size() + "/" + samples);
    }
  }

  /** {@code series} points over four metrics, with 10 cAdvisor-like labels or only a pod label. */
  static MetricsBatch cadvisorBatch(int series, boolean cadvisor) {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of("service.name", "kubernetes-cadvisor",
        "service.instance.id", "ip-10-0-12-34.us-west-2.compute.internal:10250")).addScope("", "");
    long t = System.currentTimeMillis() * 1_000_000L;
    String[] names = {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
        "container_network_receive_bytes_total", "container_fs_reads_bytes_total"};
    for (int m = 0; m < names.length; m++) {
      Metric metric = m % 2 == 0 ? Metric.sum(names[m], Temporality.CUMULATIVE, true) : Metric.gauge(names[m]);
      for (int i = 0; i < series / names.length; i++) {
        String pod = "checkout-7d9f8b6c5-" + Integer.toString(100000 + i, 36);
        Attributes a = cadvisor
            ? Attributes.of("container", "app-" + (i % 7), "cpu", "total",
                "id", "/kubepods/burstable/pod" + Integer.toHexString(0x5a3c0000 + i) + "-2b1e-4c1f-9d7e-3f5a0e1c2b4d/" + pod,
                "image", "123456789012.dkr.ecr.us-west-2.amazonaws.com/checkout:v1." + i % 13,
                "name", "k8s_app_" + pod, "namespace", "shop", "pod", pod)
            : Attributes.of("pod", pod);
        metric.addPoint(NumberPoint.ofDouble(a, 0, t, 1234.5 + i));
      }
      s.metrics().add(metric);
    }
    return b;
  }

  /**
   * Samples per CPU-second of the benchmark thread, printed after each iteration: on a shared
   * machine the ops/s score is diluted by other processes, this figure is not.
   */
  @State(Scope.Thread)
  public static class CpuTime {
    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    long startCpu;
    long samples;

    @Setup(Level.Iteration)
    public void start() {
      samples = 0;
      startCpu = THREADS.getCurrentThreadCpuTime();
    }

    @org.openjdk.jmh.annotations.TearDown(Level.Iteration)
    public void stop() {
      double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - startCpu) / 1e9;
      System.err.printf(" [%.0f samples per CPU-second] ", samples / cpuSeconds);
    }
  }

  static int getInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  /**
   * Translation alone (OTel points to series: labels, the label hash, merging), the step before
   * {@link #encodeOnly}, so that work moved between the two shows.
   */
  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int translate(CpuTime cpu) {
    cpu.samples += SERIES;
    return translator.translate(batch).series().size();
  }

  /**
   * {@link #translate} of one batch of {@value #LARGE_SERIES} series (a peer-bench cluster target
   * holds 41,500 samples): the batch's index of label sets no longer fits the core's caches, as it
   * does at {@value #SERIES}.
   */
  @Benchmark
  @OperationsPerInvocation(LARGE_SERIES)
  public int translateLarge(Large large, CpuTime cpu) {
    cpu.samples += LARGE_SERIES;
    return large.translator.translate(large.batch).series().size();
  }

  static final int LARGE_SERIES = 40_000;

  /** A batch of {@value #LARGE_SERIES} cAdvisor-like series (the {@code labels} parameter does not apply). */
  @State(Scope.Thread)
  public static class Large {
    MetricsBatch batch;
    Translator translator;

    @Setup(Level.Trial)
    public void setup() {
      batch = cadvisorBatch(LARGE_SERIES, true);
      translator = new Translator(new Translator.Settings("", true, Map.of("cluster", "prod-us-west-2"), false, false,
          false, false));
      int n = translator.translate(batch).series().size();
      if (n != LARGE_SERIES) {
        throw new IllegalStateException("expected " + LARGE_SERIES + " series, got " + n);
      }
    }
  }

  /**
   * {@link #translate} of one batch of {@value #HISTOGRAM_POINTS} classic histogram points with 9
   * bounds ({@value #HISTOGRAM_SERIES} series: 10 buckets, sum and count each), shaped like a
   * peer-bench cluster target, whose samples are mostly bucket series: consecutive series differ
   * only in the name and {@code le}.
   */
  @Benchmark
  @OperationsPerInvocation(HISTOGRAM_SERIES)
  public int translateHistograms(Histograms h, CpuTime cpu) {
    cpu.samples += HISTOGRAM_SERIES;
    return h.translator.translate(h.batch).series().size();
  }

  static final int HISTOGRAM_POINTS = 3_500;
  static final int HISTOGRAM_SERIES = HISTOGRAM_POINTS * 12;

  /** {@value #HISTOGRAM_POINTS} histogram points over five metrics, with four labels each. */
  @State(Scope.Thread)
  public static class Histograms {
    MetricsBatch batch;
    Translator translator;

    @Setup(Level.Trial)
    public void setup() {
      batch = new MetricsBatch();
      ScopeMetrics s = batch.addResource(Attributes.of("service.name", "peer-bench",
          "service.instance.id", "10.0.3.17:9100", "server.address", "10.0.3.17", "server.port", "9100"))
          .addScope("", "");
      double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
      long t = System.currentTimeMillis() * 1_000_000L;
      String[] methods = {"GET", "POST", "PUT", "DELETE"};
      String[] codes = {"200", "201", "204", "400", "404", "500", "503"};
      for (int m = 0; m < 5; m++) {
        Metric metric = new Metric("http_server_request_duration_seconds_" + m, MetricType.HISTOGRAM);
        for (int i = 0; i < HISTOGRAM_POINTS / 5; i++) {
          HistogramPoint p = new HistogramPoint();
          p.setAttributes(Attributes.of("code", codes[i % codes.length], "handler", "/api/v1/resource/" + (i / 28),
              "method", methods[(i / 7) % methods.length], "shard", Integer.toString(i % 3)));
          p.setTimeNanos(t);
          p.setBounds(bounds);
          long[] counts = new long[bounds.length + 1];
          long total = 0;
          for (int b = 0; b < counts.length; b++) {
            counts[b] = 1000L * (b + 1) + i;
            total += counts[b];
          }
          p.setBucketCounts(counts);
          p.setCount(total);
          p.setSum(total * 0.137);
          metric.addPoint(p);
        }
        s.metrics().add(metric);
      }
      translator = new Translator(new Translator.Settings("", true, Map.of(), false, false, false, false));
      int n = translator.translate(batch).series().size();
      if (n != HISTOGRAM_SERIES) {
        throw new IllegalStateException("expected " + HISTOGRAM_SERIES + " series, got " + n);
      }
    }
  }

  /** Encoding alone (no packing or compression), to split the cost. */
  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int encodeOnly(CpuTime cpu) {
    cpu.samples += SERIES;
    payload.reset();
    Payload.encode(series, payload);
    return payload.length();
  }

  /** Encodes the batch, packs a WriteRequest body from it, compresses; returns the compressed size. */
  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int encodeAndCompress(CpuTime cpu) throws IOException {
    cpu.samples += SERIES;
    payload.reset();
    Payload.encode(series, payload);
    body.reset();
    byte[] p = payload.array();
    int end = payload.length();
    for (int pos = 0; pos < end; ) {
      int len = getInt(p, pos + 8);
      body.write(p, pos + 12, len);
      pos += 12 + len;
    }
    return Snappy.rawCompress(body.array(), 0, body.length(), compressed, 0);
  }
}
