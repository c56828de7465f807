package dev.otelcoljava.processor.deltatorate;

import static dev.otelcoljava.processor.internal.TestSupport.at;
import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.dbl;
import static dev.otelcoljava.processor.internal.TestSupport.lng;
import static dev.otelcoljava.processor.internal.TestSupport.render;
import static dev.otelcoljava.processor.internal.TestSupport.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.Temporality;
import dev.otelcoljava.testing.MetricsSink;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaToRateProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/deltatorate/";
  private final DeltaToRateProcessorFactory factory = new DeltaToRateProcessorFactory();

  @Test
  void createConfig_absent_failsWithRequiredKeyError() {
    assertThat(TestSupport.loadTree(factory, null, "deltatorate").problems().errors())
        .containsExactly("processors::deltatorate: metric names are missing");
  }

  @Test
  void createConfig_fullTestdata_loads() throws Exception {
    TestSupport.Loaded<DeltaToRateConfig> l = TestSupport.load(factory, DIR + "config.yaml", "deltatorate");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config()).isEqualTo(new DeltaToRateConfig(List.of("system.network.io", "system.disk.operations")));
  }

  @Test
  void createConfig_emptyList_fails() throws Exception {
    assertThat(TestSupport.load(factory, DIR + "invalid_empty.yaml", "deltatorate").problems().errors())
        .containsExactly("processors::deltatorate: metric names are missing");
  }

  @Test
  void deltaSums_becomeRateGauges_othersUntouchedAndLogged() {
    TestSupport.Telemetry tel = new TestSupport.Telemetry();
    MetricsSink sink = new MetricsSink();
    Metric io = sum("system.network.io", Temporality.DELTA, true,
        at(lng(120, "dir", "rx"), 1_000_000_000L, 61_000_000_000L), at(dbl(3, "dir", "tx"), 0, 1_500_000_000L),
        at(lng(5, "dir", "x"), 7, 7));
    io.setUnit("By");
    Metric ops = sum("system.disk.operations", Temporality.CUMULATIVE, true, at(lng(9), 0, 1_000_000_000L));
    Metric other = sum("other", Temporality.DELTA, true, at(lng(9), 0, 1_000_000_000L));
    factory.createProcessor(tel.settings("deltatorate"), new DeltaToRateConfig(List.of("system.network.io",
        "system.disk.operations")), sink).consume(batch(io, ops, other));
    assertThat(render(sink.batches().get(0))).isEqualTo("""
        resource {}
          system.network.io GAUGE unit=By/s
            {dir=rx} 2.0 @1000000000..61000000000
            {dir=tx} 2.0 @0..1500000000
            {dir=x} 0.0 @7..7
          system.disk.operations SUM CUMULATIVE monotonic
            {} int 9 @0..1000000000
          other SUM DELTA monotonic
            {} int 9 @0..1000000000
        """);
    assertThat(tel.logger.lines).containsExactly(
        "INFO Configured metric for rate calculation system.disk.operations is not a delta sum");
  }
}
