package dev.otelcoljava.receiver.otlp;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/**
 * The {@code otlp} receiver (metrics): OTLP over gRPC ({@code protocols::grpc}, default
 * 0.0.0.0:4317) and over HTTP ({@code protocols::http}, default 0.0.0.0:4318, {@code /v1/metrics},
 * protobuf or JSON, gzip). Stateless.
 */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {
  @Override
  public String type() {
    return "otlp";
  }

  @Override
  public Stability stability() {
    return Stability.STABLE;
  }

  @Override
  public OtlpReceiverConfig createConfig(ConfigNode node, String typeUsed) {
    return OtlpReceiverConfig.read(node);
  }

  @Override
  public Receiver createReceiver(CreateSettings settings, OtlpReceiverConfig config, MetricsConsumer next) {
    return new OtlpReceiver(settings, config, next);
  }
}
