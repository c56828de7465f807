package dev.otelcoljava.runtime.api;

/** Implemented by extensions that want to know when the pipelines are ready (health_check). */
public interface PipelineStatusListener {
  /** Called once every pipeline has started. */
  void pipelinesReady();

  /** Called when shutdown begins, before any component stops. */
  void pipelinesNotReady();
}
