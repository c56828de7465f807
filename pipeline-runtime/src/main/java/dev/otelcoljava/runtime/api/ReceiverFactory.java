package dev.otelcoljava.runtime.api;

/** Creates receivers of one type. */
public interface ReceiverFactory<C> extends ComponentFactory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.RECEIVER;
  }

  /** The transport label of this receiver's self-metrics (e.g. {@code http}); empty if none. */
  default String transport() {
    return "";
  }

  /**
   * Creates a receiver that sends what it receives to {@code next}. Creation must not start work;
   * an error thrown here names the problem and the runtime prefixes the component id.
   */
  Receiver createReceiver(CreateSettings settings, C config, MetricsConsumer next) throws Exception;
}
