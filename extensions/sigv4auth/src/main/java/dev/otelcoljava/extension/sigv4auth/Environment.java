package dev.otelcoljava.extension.sigv4auth;

/** Reads environment variables; tests substitute their own map. */
@FunctionalInterface
interface Environment {
  Environment SYSTEM = System::getenv;

  /** The variable's value, or null when unset. */
  String get(String name);
}
