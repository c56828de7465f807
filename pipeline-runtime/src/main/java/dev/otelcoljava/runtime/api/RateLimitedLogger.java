package dev.otelcoljava.runtime.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs at most one message per key per interval, counting what it suppressed, so that a bad target
 * or payload cannot flood the log. The suppressed count is appended to the next message logged for
 * that key. Thread-safe.
 */
public final class RateLimitedLogger {
  private final System.Logger logger;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, long[]> state = new ConcurrentHashMap<>();

  public RateLimitedLogger(System.Logger logger, java.time.Duration interval) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs the message under the key unless one was logged for the key within the interval. */
  public void log(System.Logger.Level level, String key, String message, Throwable t) {
    long now = System.nanoTime();
    long[] s = state.computeIfAbsent(key, k -> new long[] {now - intervalNanos - 1, 0});
    long suppressed;
    synchronized (s) {
      if (now - s[0] < intervalNanos) {
        s[1]++;
        return;
      }
      s[0] = now;
      suppressed = s[1];
      s[1] = 0;
    }
    String text = suppressed > 0 ? message + " (" + suppressed + " similar messages suppressed)" : message;
    if (t != null) {
      logger.log(level, text, t);
    } else {
      logger.log(level, text);
    }
  }

  public void log(System.Logger.Level level, String key, String message) {
    log(level, key, message, null);
  }

  /** Forgets the state of a key (e.g. a target that left discovery). */
  public void forget(String key) {
    state.remove(key);
  }
}
