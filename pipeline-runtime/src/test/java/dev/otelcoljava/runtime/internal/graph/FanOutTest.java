package dev.otelcoljava.runtime.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.internal.TestComponents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanOutTest {
  /** Records what it was given; may declare that it mutates, may fail. */
  private static final class Recorder implements MetricsConsumer {
    final List<MetricsBatch> got = new ArrayList<>();
    final boolean mutates;
    final RuntimeException failure;

    Recorder(boolean mutates, RuntimeException failure) {
      this.mutates = mutates;
      this.failure = failure;
    }

    @Override
    public void consume(MetricsBatch batch) {
      got.add(batch);
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public boolean mutatesData() {
      return mutates;
    }
  }

  @Test
  void consume_onlyMutating_copiesAllButTheLast() {
    Recorder a = new Recorder(true, null);
    Recorder b = new Recorder(true, null);
    MetricsBatch batch = TestComponents.batch(2);
    MetricsConsumer f = FanOut.of(List.of(a, b));
    f.consume(batch);
    assertThat(a.got.get(0)).isNotSameAs(batch);
    assertThat(a.got.get(0).dataPointCount()).isEqualTo(2);
    assertThat(b.got.get(0)).isSameAs(batch);
    assertThat(f.mutatesData()).isTrue();
  }

  @Test
  void consume_mutatingBesideReadOnly_neverSharesTheOriginalWithAMutator() {
    Recorder ro1 = new Recorder(false, null);
    Recorder mut = new Recorder(true, null);
    Recorder ro2 = new Recorder(false, null);
    MetricsBatch batch = TestComponents.batch(1);
    MetricsConsumer f = FanOut.of(List.of(ro1, mut, ro2));
    f.consume(batch);
    assertThat(mut.got.get(0)).isNotSameAs(batch);
    assertThat(ro1.got.get(0)).isSameAs(batch);
    assertThat(ro2.got.get(0)).isSameAs(batch);
    assertThat(f.mutatesData()).isFalse();
  }

  @Test
  void consume_single_isTheConsumerItself() {
    Recorder a = new Recorder(true, null);
    assertThat(FanOut.of(List.of(a))).isSameAs(a);
  }

  @Test
  void consume_failures_collectedAfterEveryConsumerRan() {
    Recorder bad1 = new Recorder(false, new ConsumerException("queue full", false, 3));
    Recorder good = new Recorder(false, null);
    Recorder bad2 = new Recorder(false, new ConsumerException("rejected", true, 3));
    MetricsConsumer f = FanOut.of(List.of(bad1, good, bad2));
    assertThatThrownBy(() -> f.consume(TestComponents.batch(3)))
        .isInstanceOfSatisfying(ConsumerException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("queue full; rejected");
          assertThat(e.permanent()).isFalse();
          assertThat(e.getSuppressed()).hasSize(1);
        });
    assertThat(good.got).hasSize(1);
    assertThat(bad2.got).hasSize(1);
  }
}
