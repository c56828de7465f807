package dev.otelcoljava.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import org.junit.jupiter.api.Test;

class FactoryContractTest {
  record Cfg(String rename) {}

  /** Renames every metric; {@code honest} decides whether it admits to mutating. */
  static final class Renamer implements ProcessorFactory<Cfg> {
    private final boolean honest;

    Renamer(boolean honest) {
      this.honest = honest;
    }

    @Override
    public String type() {
      return "renamer";
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public Cfg createConfig(ConfigNode node, String typeUsed) {
      return new Cfg(node.string("rename", "renamed"));
    }

    @Override
    public Processor createProcessor(CreateSettings settings, Cfg config, MetricsConsumer next) {
      return new Processor() {
        @Override
        public void consume(MetricsBatch batch) {
          batch.resourceMetrics().forEach(r -> r.scopeMetrics().forEach(s -> s.metrics().forEach(m -> m.setName(config.rename()))));
          next.consume(batch);
        }

        @Override
        public boolean mutatesData() {
          return honest;
        }
      };
    }
  }

  @Test
  void verify_honestFactory_passes() throws Exception {
    FactoryContract.verify(new Renamer(true), "rename: x");
  }

  @Test
  void verify_dishonestMutation_fails() {
    assertThatThrownBy(() -> FactoryContract.verify(new Renamer(false), ""))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("renamer: mutatesData() is false but consume changed its input");
  }

  @Test
  void verify_unknownKey_fails() {
    assertThatThrownBy(() -> FactoryContract.verify(new Renamer(true), "renam: x"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("processors::renamer: config has problems: [processors::renamer: unknown key \"renam\"");
  }
}
