package dev.otelcoljava.runtime.api;

/** Creates processors of one type; one instance per pipeline that lists it. */
public interface ProcessorFactory<C> extends ComponentFactory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.PROCESSOR;
  }

  Processor createProcessor(CreateSettings settings, C config, MetricsConsumer next) throws Exception;
}
