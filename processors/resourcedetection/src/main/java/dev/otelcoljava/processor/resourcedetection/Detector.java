package dev.otelcoljava.processor.resourcedetection;

import dev.otelcoljava.runtime.api.data.Attributes;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Function;

/** One resource detector. Implementations are stateless apart from their settings. */
interface Detector {
  /**
   * Detects attributes. Not being on the detector's platform is not an error: it returns empty
   * attributes. Throws on a real failure (bad input, an endpoint that answers with errors).
   */
  Attributes detect(Context ctx) throws Exception;

  /** What a detection may use: the environment, an HTTP client, and the time left. */
  record Context(Function<String, String> env, HttpClient http, long deadlineNanos,
      System.Logger logger) {
    /** Time left before the detection deadline (at least 1 ms). */
    Duration remaining() {
      long left = deadlineNanos - System.nanoTime();
      return Duration.ofNanos(Math.max(1_000_000L, left));
    }

    /** The per-request timeout: the time left, capped. */
    Duration requestTimeout(Duration cap) {
      Duration r = remaining();
      return r.compareTo(cap) < 0 ? r : cap;
    }

    String getenv(String name) {
      String v = env.apply(name);
      return v == null ? "" : v;
    }
  }
}
