package dev.otelcoljava.processor.batch;

import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.gauge;
import static dev.otelcoljava.processor.internal.TestSupport.lng;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.testing.MetricsSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/batch/";
  private final BatchProcessorFactory factory = new BatchProcessorFactory();
  private final TestSupport.Telemetry tel = new TestSupport.Telemetry();
  private final MetricsSink sink = new MetricsSink();

  @Test
  void createConfig_absent_isValidDefault() {
    TestSupport.Loaded<BatchConfig> l = TestSupport.loadTree(factory, null, "batch");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config()).isEqualTo(new BatchConfig(8192, Duration.ofMillis(200), 0, List.of(), 1000));
  }

  @Test
  void createConfig_fullTestdata_loadsEveryKey() throws Exception {
    TestSupport.Loaded<BatchConfig> l = TestSupport.load(factory, DIR + "config.yaml", "batch/full");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config()).isEqualTo(new BatchConfig(10000, Duration.ofSeconds(10), 11000, List.of("tenant_id"), 10));
    assertThat(TestSupport.load(factory, DIR + "config.yaml", "batch/metrics").config().timeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void createConfig_invalidFiles_failWithExactMessages() throws Exception {
    assertThat(TestSupport.load(factory, DIR + "invalid_max_size.yaml", "batch").problems().errors()).containsExactly(
        "processors::batch: send_batch_max_size must be greater or equal to send_batch_size (send_batch_max_size 100 < send_batch_size 1000)");
    assertThat(TestSupport.load(factory, DIR + "invalid_timeout.yaml", "batch").problems().errors()).containsExactly(
        "processors::batch::timeout: timeout must be greater or equal to 0, got PT-1S");
  }

  private static MetricsBatch points(int n) {
    NumberPoint[] ps = new NumberPoint[n];
    for (int i = 0; i < n; i++) {
      ps[i] = lng(i, "i", String.valueOf(i));
    }
    return batch(gauge("g", ps));
  }

  private Processor start(BatchConfig c) throws Exception {
    Processor p = factory.createProcessor(tel.settings("batch"), c, sink);
    p.start(null);
    return p;
  }

  @Test
  void sizeTrigger_sendsWhenEnoughPointsArePending() throws Exception {
    Processor p = start(new BatchConfig(3, Duration.ofHours(1), 0, List.of(), 1000));
    p.consume(points(2));
    p.consume(points(2));
    sink.awaitBatches(1, Duration.ofSeconds(10));
    assertThat(sink.batches().get(0).dataPointCount()).isEqualTo(4);
    p.shutdown(Duration.ofSeconds(5));
    assertThat(tel.sum("otelcol_processor_batch_batch_size_trigger_send")).isEqualTo(1);
    assertThat(tel.sum("otelcol_processor_batch_timeout_trigger_send")).isZero();
  }

  @Test
  void maxSize_splitsLargeBatches_restFlushedOnShutdown() throws Exception {
    Processor p = start(new BatchConfig(2, Duration.ofHours(1), 2, List.of(), 1000));
    p.consume(points(5));
    sink.awaitBatches(2, Duration.ofSeconds(10));
    p.shutdown(Duration.ofSeconds(5));
    List<Integer> sizes = new ArrayList<>();
    for (MetricsBatch b : sink.batches()) {
      sizes.add(b.dataPointCount());
    }
    assertThat(sizes).containsExactly(2, 2, 1);
    List<String> order = new ArrayList<>();
    for (var m : sink.allMetrics()) {
      for (var pt : m.points()) {
        order.add(pt.attributes().getString("i"));
      }
    }
    assertThat(order).containsExactly("0", "1", "2", "3", "4");
  }

  @Test
  void timeoutTrigger_sendsPartialBatch() throws Exception {
    Processor p = start(new BatchConfig(1000, Duration.ofMillis(20), 0, List.of(), 1000));
    p.consume(points(1));
    sink.awaitBatches(1, Duration.ofSeconds(10));
    assertThat(sink.dataPointCount()).isEqualTo(1);
    p.shutdown(Duration.ofSeconds(5));
    assertThat(tel.sum("otelcol_processor_batch_timeout_trigger_send")).isEqualTo(1);
  }

  @Test
  void zeroTimeout_sendsImmediately() throws Exception {
    Processor p = start(new BatchConfig(1000, Duration.ZERO, 0, List.of(), 1000));
    p.consume(points(1));
    sink.awaitBatches(1, Duration.ofSeconds(10));
    p.shutdown(Duration.ofSeconds(5));
    assertThat(sink.dataPointCount()).isEqualTo(1);
  }

  @Test
  void shutdown_flushesPending() throws Exception {
    Processor p = start(new BatchConfig(8192, Duration.ofHours(1), 0, List.of(), 1000));
    p.consume(points(3));
    p.shutdown(Duration.ofSeconds(5));
    assertThat(sink.dataPointCount()).isEqualTo(3);
    p.shutdown(Duration.ofSeconds(1)); // twice is harmless
  }

  @Test
  void concurrentConsumers_loseNothing_andRespectMaxSize() throws Exception {
    Processor p = start(new BatchConfig(100, Duration.ofMillis(50), 100, List.of(), 1000));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 500; i++) {
          p.consume(points(3));
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    p.shutdown(Duration.ofSeconds(10));
    assertThat(sink.dataPointCount()).isEqualTo(6000);
    for (MetricsBatch b : sink.batches()) {
      assertThat(b.dataPointCount()).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void sendFailure_isLoggedAndDoesNotStopTheWorker() throws Exception {
    sink.failWith(new dev.otelcoljava.runtime.api.ConsumerException("down", false, -1));
    Processor p = start(new BatchConfig(1, Duration.ofHours(1), 0, List.of(), 1000));
    p.consume(points(1));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (tel.logger.lines.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    sink.failWith(null);
    p.consume(points(1));
    sink.awaitBatches(1, Duration.ofSeconds(10));
    p.shutdown(Duration.ofSeconds(5));
    assertThat(tel.logger.lines).containsExactly("WARNING Sender failed: down");
  }
}
