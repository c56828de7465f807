package dev.otelcoljava.runtime.internal.config;

import java.util.Map;

/**
 * Where the config loader reads environment variables. Injectable so that tests need no real
 * environment. {@link #get} returns null for an unset variable and "" for a variable set to empty.
 */
@FunctionalInterface
public interface EnvLookup {
  String get(String name);

  /** The process environment. */
  static EnvLookup system() {
    return System::getenv;
  }

  /** A fixed map (a copy is not taken: the caller must not change it while loading). */
  static EnvLookup of(Map<String, String> env) {
    return env::get;
  }
}
