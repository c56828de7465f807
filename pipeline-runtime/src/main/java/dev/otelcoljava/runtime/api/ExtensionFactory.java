package dev.otelcoljava.runtime.api;

/** Creates extensions of one type. */
public interface ExtensionFactory<C> extends ComponentFactory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.EXTENSION;
  }

  Extension createExtension(CreateSettings settings, C config) throws Exception;
}
