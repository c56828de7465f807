package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.Temporality;
import org.junit.jupiter.api.Test;

/** Metric names built with suffixes, as upstream's otlptranslator normalizeName builds them. */
class NameRulesTest {
  static Metric counter(String name) {
    return Metric.sum(name, Temporality.CUMULATIVE, true);
  }

  @Test
  void monotonicSum_everyTotalTokenMovesToTheEnd() {
    // node_exporter's mountstats counter: upstream drops both "total" tokens and appends one
    assertThat(NameRules.metricName(counter("node_mountstats_nfs_total_read_bytes_total"), "", true))
        .isEqualTo("node_mountstats_nfs_read_bytes_total");
    assertThat(NameRules.metricName(counter("total_requests"), "", true)).isEqualTo("requests_total");
    assertThat(NameRules.metricName(counter("requests_total"), "", true)).isEqualTo("requests_total");
    assertThat(NameRules.metricName(counter("container_memory_failcnt"), "", true))
        .isEqualTo("container_memory_failcnt_total");
  }

  @Test
  void nonMonotonicSumAndGauge_keepTheirTotalTokens() {
    assertThat(NameRules.metricName(Metric.sum("a_total_b_total", Temporality.CUMULATIVE, false), "", true))
        .isEqualTo("a_total_b_total");
    assertThat(NameRules.metricName(Metric.gauge("a_total_b_total"), "", true)).isEqualTo("a_total_b_total");
  }

  @Test
  void gaugeWithUnitOne_everyRatioTokenMovesToTheEnd() {
    Metric g = Metric.gauge("ratio_of_hits_ratio");
    g.setUnit("1");
    assertThat(NameRules.metricName(g, "", true)).isEqualTo("of_hits_ratio");
  }

  @Test
  void withoutSuffixes_nameIsOnlyCleaned() {
    assertThat(NameRules.metricName(counter("a_total_b_total"), "", false)).isEqualTo("a_total_b_total");
  }

  @Test
  void formatFloat_goFormsForBucketBoundsAndQuantiles() {
    assertThat(NameRules.formatFloat(0.005)).isEqualTo("0.005");
    assertThat(NameRules.formatFloat(2.5)).isEqualTo("2.5");
    assertThat(NameRules.formatFloat(10)).isEqualTo("10");
    assertThat(NameRules.formatFloat(1e-7)).isEqualTo("0.0000001");
    assertThat(NameRules.formatFloat(1e21)).isEqualTo("1000000000000000000000");
    assertThat(NameRules.formatFloat(-0.25)).isEqualTo("-0.25");
    assertThat(NameRules.formatFloat(1.5e300)).startsWith("15").hasSize(301);
    assertThat(NameRules.formatFloat(Double.MIN_VALUE)).startsWith("0.000").endsWith("49");
    assertThat(NameRules.formatFloat(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(NameRules.formatFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(NameRules.formatFloat(Double.NaN)).isEqualTo("NaN");
    assertThat(NameRules.formatFloat(-0.0)).isEqualTo("-0");
  }

  @Test
  void formatFloat_writesWhatBigDecimalWrites() {
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < 20_000; i++) {
      double v = switch (i % 4) {
        case 0 -> Double.longBitsToDouble(r.nextLong());
        case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
        case 2 -> Math.round(r.nextDouble() * 1e6) / Math.pow(10, r.nextInt(12));
        default -> -r.nextGaussian() * 1e16;
      };
      if (Double.isNaN(v) || Double.isInfinite(v) || v == 0 || v == Math.rint(v) && Math.abs(v) < 1e15) {
        continue;
      }
      assertThat(NameRules.formatFloat(v)).as(Double.toString(v))
          .isEqualTo(new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString());
    }
  }
}
