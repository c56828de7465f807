package dev.otelcoljava.runtime.api;

/** Creates exporters of one type; one instance per id, shared by the pipelines that list it. */
public interface ExporterFactory<C> extends ComponentFactory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.EXPORTER;
  }

  Exporter createExporter(CreateSettings settings, C config) throws Exception;
}
