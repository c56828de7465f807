package dev.otelcoljava.receiver.statsd;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/** The {@code statsd} receiver: StatsD/DogStatsD lines over UDP or TCP, aggregated per interval. Stateless. */
public final class StatsdReceiverFactory implements ReceiverFactory<StatsdReceiverConfig> {
  @Override
  public String type() {
    return "statsd";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public String transport() {
    return "udp";
  }

  @Override
  public StatsdReceiverConfig createConfig(ConfigNode node, String typeUsed) {
    return StatsdReceiverConfig.read(node);
  }

  @Override
  public Receiver createReceiver(CreateSettings settings, StatsdReceiverConfig config, MetricsConsumer next) {
    return new StatsdReceiver(settings, config, next);
  }
}
