package dev.otelcoljava.benchmarks;

import dev.otelcoljava.exporter.prometheusremotewrite.internal.ByteBuf;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Payload;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.PromSeries;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Record;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Sharder;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.Translator;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.otlp.MapperSettings;
import dev.otelcoljava.receiver.prometheus.otlp.TargetMapper;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.Temporality;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prometheusremotewrite in-memory queue's cost per batch and what it holds: a batch is encoded
 * and queued as it is while the back end keeps up ({@link #enqueueAsEncoded}, the path unchanged),
 * or, when it will wait behind a retrying shard, split into per-shard snappy-compressed copies
 * ({@link #enqueueCompressed}), which the shards uncompress again when they pack requests from them
 * ({@link #uncompressWhenSent}). The difference between the first two plus the third is what a
 * waiting batch costs on top. Scores are microseconds per batch (divide by the samples per batch
 * printed at setup for the cost per sample); setup also prints the bytes held per queued sample
 * either way.
 *
 * <p>The data: {@code cadvisor2000}, 2,000 cAdvisor-like series (10 labels, ~400 bytes of labels,
 * one sample each) as the soak's ECS sidecar target; {@code kubeletCadvisor}, the real kubelet
 * cAdvisor exposition in shared/fixtures (via the receiver's mapper, histograms included).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RemoteWriteQueueBenchmark {
  static final int SHARDS = 5;
  static final String FIXTURE = "cadvisor/nri-kubernetes-1_35/kubelet-metrics-cadvisor.txt";

  @Param({"cadvisor2000", "kubeletCadvisor"})
  public String data;

  List<PromSeries> series;
  int samples;
  final ByteBuf payload = new ByteBuf(1 << 20);
  Sharder.Split compressed;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    MetricsBatch b = data.equals("cadvisor2000") ? synthetic() : fixture();
    Translator translator = new Translator(new Translator.Settings("", true, Map.of("cluster", "prod-us-west-2"), false, false,
        false, false));
    Translator.Result r = translator.translate(b);
    series = r.series().series();
    samples = r.series().sampleCount();
    payload.reset();
    Payload.encode(series, payload);
    byte[] p = payload.toByteArray();
    long plainHeld = Sharder.split(new Record(0, 0, p, 0, samples), p, p.length, false, SHARDS).heldBytes();
    compressed = Sharder.split(new Record(0, 0, null, 0, samples), payload.array(), payload.length(), true, SHARDS);
    System.err.printf("%n[%s: %d series, %d samples per batch; held while queued: %d bytes as encoded (%.1f per sample),"
        + " %d compressed (%.1f per sample, %.1fx less)]%n", data, series.size(), samples, plainHeld, (double) plainHeld / samples,
        compressed.heldBytes(), (double) compressed.heldBytes() / samples, (double) plainHeld / compressed.heldBytes());
  }

  static MetricsBatch synthetic() {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of("service.name", "kubernetes-cadvisor",
        "service.instance.id", "ip-10-0-12-34.us-west-2.compute.internal:10250")).addScope("", "");
    long t = System.currentTimeMillis() * 1_000_000L;
    String[] names = {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
        "container_network_receive_bytes_total", "container_fs_reads_bytes_total"};
    for (int m = 0; m < names.length; m++) {
      Metric metric = m % 2 == 0 ? Metric.sum(names[m], Temporality.CUMULATIVE, true) : Metric.gauge(names[m]);
      for (int i = 0; i < 2000 / names.length; i++) {
        String pod = "checkout-7d9f8b6c5-" + Integer.toString(100000 + i, 36);
        Attributes a = Attributes.of("container", "app-" + (i % 7), "cpu", "total",
            "id", "/kubepods/burstable/pod" + Integer.toHexString(0x5a3c0000 + i) + "-2b1e-4c1f-9d7e-3f5a0e1c2b4d/" + pod,
            "image", "123456789012.dkr.ecr.us-west-2.amazonaws.com/checkout:v1." + i % 13,
            "name", "k8s_app_" + pod, "namespace", "shop", "pod", pod);
        metric.addPoint(NumberPoint.ofDouble(a, 0, t, 1234.5 + i * 17.25));
      }
      s.metrics().add(metric);
    }
    return b;
  }

  static MetricsBatch fixture() throws Exception {
    byte[] body = Fixtures.read(FIXTURE);
    String addr = "10.0.12.34:10250";
    TargetMapper mapper = new TargetMapper(new MapperSettings(Labels.of("job", "kubernetes-cadvisor", "instance", addr),
        Labels.of("job", "kubernetes-cadvisor", "__address__", addr, "__scheme__", "https", "__metrics_path__", "/metrics/cadvisor"),
        false, true, false, List.of(), 0, 0, 0, 0, Labels.EMPTY, "text/plain; version=0.0.4", "0.1.0", false,
        Duration.ofSeconds(10)));
    mapper.beginScrape(System.currentTimeMillis());
    mapper.appendBody(body, body.length, "text/plain; version=0.0.4");
    return mapper.commit(new TargetMapper.Report(true, 0.1));
  }

  /** Encode, copy into the record and split by shard: the enqueue while the back end keeps up (unchanged). */
  @Benchmark
  public long enqueueAsEncoded() {
    payload.reset();
    Payload.encode(series, payload);
    byte[] p = payload.toByteArray();
    return Sharder.split(new Record(0, 0, p, 0, samples), p, p.length, false, SHARDS).heldBytes();
  }

  /** Encode and split into per-shard compressed copies: the enqueue of a batch that will wait. */
  @Benchmark
  public long enqueueCompressed() {
    payload.reset();
    Payload.encode(series, payload);
    return Sharder.split(new Record(0, 0, null, 0, samples), payload.array(), payload.length(), true, SHARDS).heldBytes();
  }

  /** Uncompress a waiting batch's copies, as the shards do before packing requests from them. */
  @Benchmark
  public long uncompressWhenSent() {
    return compressed.uncompressAll();
  }
}
