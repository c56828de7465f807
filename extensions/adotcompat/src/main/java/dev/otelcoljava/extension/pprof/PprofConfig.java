package dev.otelcoljava.extension.pprof;

import dev.otelcoljava.runtime.api.config.ConfigNode;

/**
 * {@code pprof}'s config: {@code endpoint} (default localhost:1777, not served), {@code
 * block_profile_fraction} and {@code mutex_profile_fraction} (Go runtime knobs, accepted), {@code
 * save_to_file} (a JFR recording is written there at shutdown). Immutable.
 */
public record PprofConfig(String endpoint, int blockProfileFraction, int mutexProfileFraction, String saveToFile) {
  static PprofConfig read(ConfigNode n) {
    n.accept("transport");
    PprofConfig c = new PprofConfig(n.string("endpoint", "localhost:1777"), n.integer("block_profile_fraction", 0),
        n.integer("mutex_profile_fraction", 0), n.string("save_to_file", ""));
    if (c.blockProfileFraction < 0) {
      n.error("block_profile_fraction", "(" + c.blockProfileFraction + ") must be >= 0");
    }
    if (c.mutexProfileFraction < 0) {
      n.error("mutex_profile_fraction", "(" + c.mutexProfileFraction + ") must be >= 0");
    }
    return c;
  }
}
