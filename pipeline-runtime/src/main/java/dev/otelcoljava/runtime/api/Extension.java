package dev.otelcoljava.runtime.api;

/** An extension: a service beside the pipelines (health check, authenticator). */
public interface Extension extends Component {}
