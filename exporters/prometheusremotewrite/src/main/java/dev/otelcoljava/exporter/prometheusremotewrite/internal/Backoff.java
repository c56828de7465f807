package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * otelcol's configretry exponential backoff: interval grows by {@code multiplier} from {@code
 * initial} up to {@code max}, each wait randomized by ±{@code randomizationFactor}. Stateless
 * helpers; a caller keeps its attempt number.
 */
public record Backoff(Duration initial, double randomizationFactor, double multiplier, Duration max) {
  /** The wait before retry number {@code attempt} (0-based), jittered, never above max. */
  public long delayNanos(int attempt) {
    double base = initial.toNanos() * Math.pow(multiplier, Math.min(attempt, 200));
    base = Math.min(base, max.toNanos());
    double r = randomizationFactor;
    double jittered = base * (1 - r + 2 * r * ThreadLocalRandom.current().nextDouble());
    return (long) Math.min(jittered, max.toNanos());
  }

  /**
   * Parses Retry-After (delay-seconds or an HTTP-date) into nanoseconds capped at {@code cap}; -1
   * when absent or invalid (negative, garbage), so the caller falls back to the backoff.
   */
  public static long retryAfterNanos(String header, long nowMillis, Duration cap) {
    if (header == null) {
      return -1;
    }
    String h = header.trim();
    if (h.isEmpty()) {
      return -1;
    }
    long seconds;
    if (h.chars().allMatch(Character::isDigit)) {
      try {
        seconds = Long.parseLong(h);
      } catch (NumberFormatException e) {
        seconds = Long.MAX_VALUE / 1_000_000_000L;
      }
      return Math.min(Math.min(seconds, Long.MAX_VALUE / 1_000_000_000L) * 1_000_000_000L, cap.toNanos());
    }
    try {
      ZonedDateTime t = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
      long ms = t.toInstant().toEpochMilli() - nowMillis;
      return Math.min(Math.max(ms, 0) * 1_000_000L, cap.toNanos());
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
