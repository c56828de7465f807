package dev.otelcoljava.runtime.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParseDurationTest {
  @Test
  void goAndPrometheusForms() {
    assertThat(ConfigNode.parseDuration("0")).isEqualTo(Duration.ZERO);
    assertThat(ConfigNode.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ConfigNode.parseDuration(" 1m ")).isEqualTo(Duration.ofMinutes(1));
    assertThat(ConfigNode.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigNode.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ConfigNode.parseDuration("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ConfigNode.parseDuration(".5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigNode.parseDuration("5.s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(ConfigNode.parseDuration("-1.5s")).isEqualTo(Duration.ofMillis(-1500));
    assertThat(ConfigNode.parseDuration("+2d")).isEqualTo(Duration.ofDays(2));
    assertThat(ConfigNode.parseDuration("1w")).isEqualTo(Duration.ofDays(7));
    assertThat(ConfigNode.parseDuration("1y")).isEqualTo(Duration.ofDays(365));
    assertThat(ConfigNode.parseDuration("3us")).isEqualTo(Duration.ofNanos(3000));
    assertThat(ConfigNode.parseDuration("3\u00b5s")).isEqualTo(Duration.ofNanos(3000));
    assertThat(ConfigNode.parseDuration("3\u03bcs")).isEqualTo(Duration.ofNanos(3000));
    // a fraction of a nanosecond is rounded down
    assertThat(ConfigNode.parseDuration("1.9ns")).isEqualTo(Duration.ofNanos(1));
    assertThat(ConfigNode.parseDuration("0.333333333333333333333s")).isEqualTo(Duration.ofNanos(333_333_333));
  }

  @Test
  void notDurations() {
    for (String s : new String[] {"", " ", "-", "s", "5", "1.2.3s", ".", ".s", "1h-5m", "5 s", "5S", "1x", "1h5",
        "\u0661s", "1..5s"}) {
      assertThat(ConfigNode.parseDuration(s)).as("\"%s\"", s).isNull();
    }
  }

  @Test
  void tooLongForALongOfNanosecondsIsNoDuration() {
    assertThat(ConfigNode.parseDuration("292y")).isNotNull();
    assertThat(ConfigNode.parseDuration("293y")).isNull();
    assertThat(ConfigNode.parseDuration("9223372036854775807ns")).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    assertThat(ConfigNode.parseDuration("9223372036854775808ns")).isNull();
    assertThat(ConfigNode.parseDuration("99999999999999999999999s")).isNull();
    assertThat(ConfigNode.parseDuration("200y200y")).isNull();
  }

  /** The exact value (BigDecimal) rounded down per number, as the reference for random input. */
  static Duration reference(String s) {
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    Map<String, Long> units = Map.of("ns", 1L, "us", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
        "m", 60_000_000_000L, "h", 3_600_000_000_000L, "d", 86_400_000_000_000L, "w", 7 * 86_400_000_000_000L,
        "y", 365 * 86_400_000_000_000L);
    BigInteger total = BigInteger.ZERO;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]*\\.?[0-9]*)(ns|us|ms|s|m|h|d|w|y)").matcher(s);
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
        return null;
      }
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(units.get(m.group(2))))
          .toBigInteger());
      at = m.end();
    }
    if (total.bitLength() > 63) {
      return null;
    }
    Duration d = Duration.ofNanos(total.longValue());
    return negative ? d.negated() : d;
  }

  @Test
  void randomDurationsMatchTheExactValue() {
    Random r = new Random(7);
    String[] units = {"ns", "us", "ms", "s", "m", "h", "d", "w", "y"};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(r.nextInt(4) == 0 ? "-" : "");
      int parts = 1 + r.nextInt(3);
      for (int p = 0; p < parts; p++) {
        if (r.nextInt(5) > 0) {
          sb.append(Long.toString(Math.abs(r.nextLong()) >>> r.nextInt(64)));
        }
        if (r.nextInt(3) == 0) {
          sb.append('.');
          for (int k = r.nextInt(25); k > 0; k--) {
            sb.append((char) ('0' + r.nextInt(10)));
          }
        }
        sb.append(units[r.nextInt(units.length)]);
      }
      String s = sb.toString();
      assertThat(ConfigNode.parseDuration(s)).as(s).isEqualTo(reference(s));
    }
  }
}
