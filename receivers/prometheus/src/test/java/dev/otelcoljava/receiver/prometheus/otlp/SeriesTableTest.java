package dev.otelcoljava.receiver.prometheus.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesTableTest {
  static final class E extends SeriesTable.Entry {
    final String line;
    boolean drop;

    E(String line) {
      this.line = line;
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static E get(SeriesTable t, String key) {
    byte[] k = b("xx" + key + "yy"); // the key is a range inside a larger buffer, as in a body
    return t.hash(k, 2, k.length - 2).get();
  }

  private static void put(SeriesTable t, E e) {
    byte[] k = b(e.line);
    t.hash(k, 0, k.length).put(e);
  }

  @Test
  void findsEveryKeyItWasGivenAndNoOther() {
    SeriesTable t = new SeriesTable();
    List<E> all = new ArrayList<>();
    // near-identical keys, as in an exposition: histogram buckets differing in one character, all
    // lengths around the 8-byte word boundary, prefixes of one another
    for (int i = 0; i < 20_000; i++) {
      E e = new E("http_request_duration_seconds_bucket{code=\"" + (200 + i % 7) + "\",handler=\"/api/" + i / 7
          + "\",le=\"" + (i % 12) + "\"}");
      all.add(e);
      put(t, e);
    }
    for (int n = 0; n < 24; n++) {
      E e = new E("a".repeat(n));
      all.add(e);
      put(t, e);
    }
    assertThat(t.size()).isEqualTo(all.size());
    for (E e : all) {
      assertThat(get(t, e.line)).isSameAs(e);
    }
    assertThat(get(t, "a".repeat(24))).isNull();
    assertThat(get(t, "http_request_duration_seconds_bucket{code=\"200\",handler=\"/api/0\",le=\"1\"}")).isNull();
    // every entry has distinct lanes (what identifies it)
    Set<String> lanes = new HashSet<>();
    for (E e : all) {
      lanes.add(e.h1 + "/" + e.h2 + "/" + e.keyLen);
    }
    assertThat(lanes).hasSize(all.size());
  }

  @Test
  void removeIfKeepsTheRestFindableAndShrinks() {
    SeriesTable t = new SeriesTable();
    List<E> all = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      E e = new E("m{i=\"" + i + "\"}");
      e.drop = i % 100 != 0;
      all.add(e);
      put(t, e);
    }
    int before = t.capacity();
    t.<E>removeIf(e -> e.drop);
    assertThat(t.size()).isEqualTo(100);
    assertThat(t.capacity()).isLessThan(before).isGreaterThanOrEqualTo(200);
    for (E e : all) {
      assertThat(get(t, e.line)).isSameAs(e.drop ? null : e);
    }
    t.<E>removeIf(e -> false);
    assertThat(t.size()).isEqualTo(100);
    t.clear();
    assertThat(t.size()).isZero();
    assertThat(get(t, all.get(0).line)).isNull();
  }

  @Test
  void seedsDifferPerTableSoLanesDoToo() {
    byte[] k = b("up{job=\"a\"}");
    E x = new E("up");
    E y = new E("up");
    new SeriesTable(1, 2).hash(k, 0, k.length).put(x);
    new SeriesTable(3, 4).hash(k, 0, k.length).put(y);
    assertThat(x.h1).isNotEqualTo(y.h1);
    assertThat(x.h2).isNotEqualTo(y.h2);
    assertThat(x.keyLen).isEqualTo(y.keyLen).isEqualTo(k.length);
  }
}
