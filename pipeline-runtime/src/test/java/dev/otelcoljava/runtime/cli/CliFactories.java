package dev.otelcoljava.runtime.cli;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.List;

/** Factories found through ServiceLoader in this module's tests (the CLI runs in a child JVM). */
final class CliFactories {
  private CliFactories() {}

  /**
   * {@code cli_receiver}: does nothing between start and shutdown. Registers the gate {@code
   * cli.receiver.TestGate} when its class is initialised, as a component may.
   */
  public static final class Recv implements ReceiverFactory<Object> {
    static {
      dev.otelcoljava.runtime.api.FeatureGates.global().register(new dev.otelcoljava.runtime.api.FeatureGates.Gate(
          "cli.receiver.TestGate", true, "alpha", "A gate the test receiver registers itself."));
    }

    @Override
    public String type() {
      return "cli_receiver";
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public Object createConfig(ConfigNode node, String typeUsed) {
      return node.duration("interval", Duration.ofSeconds(1));
    }

    @Override
    public Receiver createReceiver(CreateSettings settings, Object config, MetricsConsumer next) {
      return new Receiver() {};
    }
  }

  /** {@code cli_exporter} (alias {@code cliexporter}): logs "flushed" on shutdown. */
  public static final class Exp implements ExporterFactory<Object> {
    @Override
    public String type() {
      return "cli_exporter";
    }

    @Override
    public List<String> deprecatedTypes() {
      return List.of("cliexporter");
    }

    @Override
    public Stability stability() {
      return Stability.ALPHA;
    }

    @Override
    public Object createConfig(ConfigNode node, String typeUsed) {
      return node.string("endpoint", "");
    }

    @Override
    public Exporter createExporter(CreateSettings settings, Object config) {
      return new Exporter() {
        @Override
        public void consume(dev.otelcoljava.runtime.api.data.MetricsBatch batch) {}

        @Override
        public void shutdown(Duration timeout) {
          settings.logger().log(System.Logger.Level.INFO, "flushed");
        }
      };
    }
  }
}
