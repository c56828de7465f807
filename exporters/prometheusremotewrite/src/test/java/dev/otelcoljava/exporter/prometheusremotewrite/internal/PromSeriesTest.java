package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A series keeps its first sample in fields and makes arrays only for a second one: both forms
 * answer the same and are sorted by time for remote write (WireEncoderTest checks the encoding of
 * zero to three samples against the generated protobuf classes).
 */
class PromSeriesTest {
  static PromSeries series() {
    return new PromSeries(new String[] {"__name__", "job"}, new String[] {"up", "node"}, 7, -1);
  }

  @Test
  void oneSample_isReadBackWithoutArrays_andAnIndexPastItFails() {
    PromSeries s = series();
    assertThatThrownBy(() -> s.timestamp(0)).isInstanceOf(IndexOutOfBoundsException.class);
    s.addSample(1.5, 1000);
    s.sortByTime();
    assertThat(s.sampleCount()).isEqualTo(1);
    assertThat(s.value(0)).isEqualTo(1.5);
    assertThat(s.timestamp(0)).isEqualTo(1000);
    assertThatThrownBy(() -> s.value(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> s.timestamp(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void moreSamples_keepTheFirst_growAndSortByTime() {
    PromSeries s = series();
    long[] ts = {5000, 1000, 3000, 2000, 9000, 4000};
    for (int i = 0; i < ts.length; i++) {
      s.addSample(i, ts[i]);
    }
    s.sortByTime();
    assertThat(s.sampleCount()).isEqualTo(6);
    long[] sortedTs = new long[6];
    double[] values = new double[6];
    for (int i = 0; i < 6; i++) {
      sortedTs[i] = s.timestamp(i);
      values[i] = s.value(i);
    }
    assertThat(sortedTs).containsExactly(1000, 2000, 3000, 4000, 5000, 9000);
    assertThat(values).containsExactly(1, 3, 2, 5, 0, 4);
  }
}
