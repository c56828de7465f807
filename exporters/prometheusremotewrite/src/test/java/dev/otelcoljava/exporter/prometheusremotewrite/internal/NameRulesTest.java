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
}
