package dev.otelcoljava.receiver.prometheus.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void build_sortsByNameWhateverTheOrderSet() {
    Labels l = new Labels.Builder().set("pod", "p").set("__name__", "m").set("a", "1").set("job", "j").build();
    assertThat(l.toString()).isEqualTo("{__name__=\"m\", a=\"1\", job=\"j\", pod=\"p\"}");
    assertThat(l.metricName()).isEqualTo("m");
    assertThat(l.get("job")).isEqualTo("j");
    assertThat(l.get("absent")).isEmpty();
  }

  @Test
  void set_replacesAValueInPlace_andAnEmptyValueDeletes() {
    Labels.Builder b = new Labels.Builder().set("a", "1").set("b", "2").set("c", "3");
    b.set("b", "20");
    assertThat(b.size()).isEqualTo(3);
    assertThat(b.get("b")).isEqualTo("20");
    b.set("a", "");
    b.set("never", "");
    assertThat(b.has("a")).isFalse();
    assertThat(b.size()).isEqualTo(2);
    // what is left keeps the order it was set in
    assertThat(b.name(0)).isEqualTo("b");
    assertThat(b.value(0)).isEqualTo("20");
    assertThat(b.name(1)).isEqualTo("c");
    assertThat(b.build()).isEqualTo(Labels.of("b", "20", "c", "3"));
  }

  @Test
  void delete_andIndexesOutOfRange() {
    Labels.Builder b = Labels.of("x", "1", "y", "2").toBuilder();
    b.delete("x").delete("absent");
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.get("x")).isEmpty();
    assertThatThrownBy(() -> b.name(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> b.value(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    b.delete("y");
    assertThat(b.build()).isSameAs(Labels.EMPTY);
  }

  @Test
  void reset_replacesEverything_andTheBuilderGrowsPastItsFirstArray() {
    Labels.Builder b = new Labels.Builder();
    for (int i = 0; i < 40; i++) {
      b.set("l" + (char) ('z' - i % 26) + i, "v" + i);
    }
    assertThat(b.size()).isEqualTo(40);
    Labels big = b.build();
    assertThat(big.size()).isEqualTo(40);
    b.reset(Labels.of("only", "one"));
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.has("lz0")).isFalse();
    assertThat(b.build()).isEqualTo(Labels.of("only", "one"));
    b.reset(big).set("lz0", "");
    assertThat(b.size()).isEqualTo(39);
    assertThat(b.build().has("lz0")).isFalse();
  }

  @Test
  void build_givesTheSortedSetOfRandomInput() {
    Random r = new Random(42);
    for (int round = 0; round < 500; round++) {
      TreeMap<String, String> want = new TreeMap<>();
      Labels.Builder b = new Labels.Builder();
      List<String> names = new ArrayList<>();
      int n = r.nextInt(30);
      for (int i = 0; i < n; i++) {
        names.add("n" + r.nextInt(50));
      }
      if (r.nextBoolean()) {
        Collections.sort(names); // the usual, already sorted input
      }
      for (String name : names) {
        String v = r.nextInt(5) == 0 ? "" : "v" + r.nextInt(1000);
        b.set(name, v);
        if (v.isEmpty()) {
          want.remove(name);
        } else {
          want.put(name, v);
        }
      }
      Labels got = b.build();
      assertThat(got.toMap()).containsExactlyEntriesOf(want);
      assertThat(got).isEqualTo(Labels.fromMap(want));
      assertThat(got.hashCode()).isEqualTo(Labels.fromMap(want).hashCode());
    }
  }
}
