package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Retry-After parsing (RELIABILITY case 3) and the jittered exponential backoff bounds (case 1). */
class BackoffTest {
  static final Duration CAP = Duration.ofSeconds(30);
  static final long NOW = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();

  @Test
  void retryAfter_validValuesHonouredAndCapped() {
    assertThat(Backoff.retryAfterNanos("1", NOW, CAP)).isEqualTo(1_000_000_000L);
    assertThat(Backoff.retryAfterNanos(" 2 ", NOW, CAP)).isEqualTo(2_000_000_000L);
    assertThat(Backoff.retryAfterNanos("86400", NOW, CAP)).isEqualTo(CAP.toNanos());
    assertThat(Backoff.retryAfterNanos("99999999999999999999999", NOW, CAP)).isEqualTo(CAP.toNanos());
    String inFive = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(NOW + 5_000).atZone(ZoneOffset.UTC));
    assertThat(Backoff.retryAfterNanos(inFive, NOW, CAP)).isEqualTo(5_000_000_000L);
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(NOW - 5_000).atZone(ZoneOffset.UTC));
    assertThat(Backoff.retryAfterNanos(past, NOW, CAP)).isZero();
    String farFuture = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(NOW + 86_400_000).atZone(ZoneOffset.UTC));
    assertThat(Backoff.retryAfterNanos(farFuture, NOW, CAP)).isEqualTo(CAP.toNanos());
  }

  @Test
  void retryAfter_invalidValuesFallBackToBackoff() {
    assertThat(Backoff.retryAfterNanos(null, NOW, CAP)).isEqualTo(-1);
    assertThat(Backoff.retryAfterNanos("", NOW, CAP)).isEqualTo(-1);
    assertThat(Backoff.retryAfterNanos("-5", NOW, CAP)).isEqualTo(-1);
    assertThat(Backoff.retryAfterNanos("garbage", NOW, CAP)).isEqualTo(-1);
    assertThat(Backoff.retryAfterNanos("1.5", NOW, CAP)).isEqualTo(-1);
  }

  @Test
  void delay_growsJitteredWithinMinAndMax() {
    Backoff b = new Backoff(Duration.ofMillis(100), 0.5, 2.0, Duration.ofSeconds(1));
    for (int i = 0; i < 200; i++) {
      assertThat(b.delayNanos(0)).isBetween(50_000_000L, 150_000_000L);
      assertThat(b.delayNanos(2)).isBetween(200_000_000L, 600_000_000L);
      assertThat(b.delayNanos(30)).isBetween(500_000_000L, 1_000_000_000L);
    }
  }
}
