package dev.otelcoljava.processor.memorylimiter;

import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.dbl;
import static dev.otelcoljava.processor.internal.TestSupport.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.testing.MetricsSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryLimiterProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/memorylimiter/";
  private static final long MIB = 1024 * 1024;
  private final MemoryLimiterProcessorFactory factory = new MemoryLimiterProcessorFactory();

  /** Scripted memory: each GC lowers usage to {@code afterGc}. */
  static final class FakeMemory implements MemoryLimiterProcessor.Memory {
    long used;
    long afterGc = -1;
    long total = 1000 * MIB;
    long now;
    final List<Long> gcs = new ArrayList<>();

    @Override
    public long usedBytes() {
      return used;
    }

    @Override
    public long totalBytes() {
      return total;
    }

    @Override
    public void gc() {
      gcs.add(now);
      if (afterGc >= 0) {
        used = afterGc;
      }
    }

    @Override
    public long nanoTime() {
      return now;
    }
  }

  @Test
  void createConfig_absent_failsLikeOtelcol() {
    assertThat(TestSupport.loadTree(factory, null, "memory_limiter").problems().errors()).containsExactly(
        "processors::memory_limiter: 'check_interval' must be greater than zero",
        "processors::memory_limiter: 'limit_mib' or 'limit_percentage' must be greater than zero");
  }

  @Test
  void createConfig_fullTestdata_loadsEveryKey() throws Exception {
    TestSupport.Loaded<MemoryLimiterConfig> a = TestSupport.load(factory, DIR + "config.yaml", "memory_limiter/mib");
    assertThat(a.problems().errors()).isEmpty();
    assertThat(a.config()).isEqualTo(new MemoryLimiterConfig(Duration.ofSeconds(1), 100, 30, 0, 0,
        Duration.ofSeconds(10), Duration.ZERO));
    TestSupport.Loaded<MemoryLimiterConfig> b = TestSupport.load(factory, DIR + "config.yaml", "memory_limiter/percent");
    assertThat(b.problems().errors()).isEmpty();
    assertThat(b.config()).isEqualTo(new MemoryLimiterConfig(Duration.ofSeconds(5), 0, 0, 80, 25,
        Duration.ofSeconds(20), Duration.ofSeconds(1)));
  }

  @Test
  void createConfig_invalidFiles_failWithExactMessages() throws Exception {
    assertThat(errors("invalid_check_interval.yaml")).containsExactly(
        "processors::memory_limiter: 'check_interval' must be greater than zero");
    assertThat(errors("invalid_no_limit.yaml")).containsExactly(
        "processors::memory_limiter: 'limit_mib' or 'limit_percentage' must be greater than zero");
    assertThat(errors("invalid_spike.yaml")).containsExactly(
        "processors::memory_limiter: 'spike_limit_mib' must be smaller than 'limit_mib'");
  }

  private List<String> errors(String file) throws Exception {
    return TestSupport.load(factory, DIR + file, "memory_limiter").problems().errors();
  }

  @Test
  void limits_fromMibAndPercentage_defaultSpikeIsTwentyPercent() {
    FakeMemory mem = new FakeMemory();
    TestSupport.Telemetry tel = new TestSupport.Telemetry();
    MemoryLimiterProcessor a = new MemoryLimiterProcessor(tel.settings("memory_limiter"),
        new MemoryLimiterConfig(Duration.ofSeconds(1), 100, 0, 0, 0, Duration.ofSeconds(10), Duration.ZERO), new MetricsSink(), mem);
    assertThat(a.hardLimitBytes()).isEqualTo(100 * MIB);
    assertThat(a.softLimitBytes()).isEqualTo(80 * MIB);
    MemoryLimiterProcessor b = new MemoryLimiterProcessor(tel.settings("memory_limiter"),
        new MemoryLimiterConfig(Duration.ofSeconds(1), 0, 0, 50, 10, Duration.ofSeconds(10), Duration.ZERO), new MetricsSink(), mem);
    assertThat(b.hardLimitBytes()).isEqualTo(500 * MIB);
    assertThat(b.softLimitBytes()).isEqualTo(400 * MIB);
  }

  @Test
  void aboveSoftLimit_refusesRetryably_countsAndRecovers() {
    FakeMemory mem = new FakeMemory();
    TestSupport.Telemetry tel = new TestSupport.Telemetry();
    MetricsSink sink = new MetricsSink();
    MemoryLimiterProcessor p = new MemoryLimiterProcessor(tel.settings("memory_limiter"),
        new MemoryLimiterConfig(Duration.ofSeconds(1), 100, 20, 0, 0, Duration.ofSeconds(10), Duration.ZERO), sink, mem);
    mem.used = 50 * MIB;
    p.check();
    p.consume(batch(gauge("g", dbl(1), dbl(2))));
    assertThat(sink.dataPointCount()).isEqualTo(2);

    mem.used = 90 * MIB; // above soft (80), GC does not help
    p.check();
    assertThat(mem.gcs).hasSize(1);
    assertThatThrownBy(() -> p.consume(batch(gauge("g", dbl(1), dbl(2), dbl(3)))))
        .isInstanceOfSatisfying(ConsumerException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("data refused due to high memory usage");
          assertThat(e.permanent()).isFalse();
          assertThat(e.rejectedPoints()).isEqualTo(3);
        });
    // within min_gc_interval_when_soft_limited: no second GC
    mem.now += Duration.ofSeconds(5).toNanos();
    p.check();
    assertThat(mem.gcs).hasSize(1);
    mem.now += Duration.ofSeconds(6).toNanos();
    mem.afterGc = 60 * MIB;
    p.check();
    assertThat(mem.gcs).hasSize(2);
    assertThat(p.refusing()).isFalse();
    p.consume(batch(gauge("g", dbl(4))));
    assertThat(sink.dataPointCount()).isEqualTo(3);
    assertThat(tel.sum("otelcol_processor_memory_limiter_accepted_metric_points")).isEqualTo(3);
    assertThat(tel.sum("otelcol_processor_memory_limiter_refused_metric_points")).isEqualTo(3);
  }

  @Test
  void softBand_gcThrottled_refusesOnlyIfTheLastGcLeftMemoryAboveSoft() {
    FakeMemory mem = new FakeMemory();
    MemoryLimiterProcessor p = new MemoryLimiterProcessor(new TestSupport.Telemetry().settings("memory_limiter"),
        new MemoryLimiterConfig(Duration.ofSeconds(1), 100, 20, 0, 0, Duration.ofSeconds(10), Duration.ZERO), new MetricsSink(), mem);
    mem.used = 90 * MIB; // above soft (80): the first GC shows it was garbage
    mem.afterGc = 30 * MIB;
    p.check();
    assertThat(mem.gcs).hasSize(1);
    assertThat(p.refusing()).isFalse();
    // garbage again within min_gc_interval_when_soft_limited: no GC, and no refusal on a reading the last GC disproved
    mem.now += Duration.ofSeconds(2).toNanos();
    mem.used = 95 * MIB;
    p.check();
    assertThat(mem.gcs).hasSize(1);
    assertThat(p.refusing()).isFalse();
    // above the hard limit the GC decides at once: still above soft after it, refused
    mem.now += Duration.ofSeconds(1).toNanos();
    mem.used = 120 * MIB;
    mem.afterGc = 85 * MIB;
    p.check();
    assertThat(mem.gcs).hasSize(2);
    assertThat(p.refusing()).isTrue();
    // now the last GC left memory above soft: a throttled reading in the soft band is trusted
    mem.now += Duration.ofSeconds(1).toNanos();
    mem.used = 90 * MIB;
    p.check();
    assertThat(mem.gcs).hasSize(2);
    assertThat(p.refusing()).isTrue();
    // the next allowed GC frees it: resumed
    mem.now += Duration.ofSeconds(10).toNanos();
    mem.afterGc = 40 * MIB;
    p.check();
    assertThat(mem.gcs).hasSize(3);
    assertThat(p.refusing()).isFalse();
  }

  @Test
  void aboveHardLimit_gcEveryCheck_whenHardIntervalIsZero() {
    FakeMemory mem = new FakeMemory();
    MemoryLimiterProcessor p = new MemoryLimiterProcessor(new TestSupport.Telemetry().settings("memory_limiter"),
        new MemoryLimiterConfig(Duration.ofSeconds(1), 100, 20, 0, 0, Duration.ofSeconds(10), Duration.ZERO), new MetricsSink(), mem);
    mem.used = 150 * MIB;
    p.check();
    p.check();
    p.check();
    assertThat(mem.gcs).hasSize(3);
    assertThat(p.refusing()).isTrue();
  }

  @Test
  void scheduler_startsAndStops() throws Exception {
    FakeMemory mem = new FakeMemory();
    mem.used = 99 * MIB;
    MemoryLimiterProcessor p = new MemoryLimiterProcessor(new TestSupport.Telemetry().settings("memory_limiter"),
        new MemoryLimiterConfig(Duration.ofMillis(10), 100, 20, 0, 0, Duration.ofSeconds(10), Duration.ZERO), new MetricsSink(), mem);
    p.start(null);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!p.refusing() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(p.refusing()).isTrue();
    p.shutdown(Duration.ofSeconds(5));
    p.shutdown(Duration.ofSeconds(1));
  }
}
