package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The series of one translated batch, merged by identical label sets (as contrib's tsMap does) and
 * kept in first-seen order. Not thread-safe.
 */
public final class SeriesSet {
  private final HashMap<Key, PromSeries> map = new HashMap<>();
  private final List<PromSeries> order = new ArrayList<>();
  private int samples;

  private record Key(String[] names, String[] values, int hash) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.names, names) && Arrays.equals(k.values, values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Returns the series with these sorted labels, creating it if new. */
  PromSeries series(String[] names, String[] values) {
    int h = labelsHash(names, values);
    Key k = new Key(names, values, h);
    PromSeries s = map.get(k);
    if (s == null) {
      s = new PromSeries(names, values, h);
      map.put(k, s);
      order.add(s);
    }
    return s;
  }

  void countSample() {
    samples++;
  }

  /** Samples plus histograms added. */
  public int sampleCount() {
    return samples;
  }

  public List<PromSeries> series() {
    return order;
  }

  public int size() {
    return order.size();
  }

  void finish() {
    for (PromSeries s : order) {
      s.sortByTime();
    }
  }

  /** FNV-1a over the label names and values (stable across processes and JVMs). */
  static int labelsHash(String[] names, String[] values) {
    int h = 0x811c9dc5;
    for (int i = 0; i < names.length; i++) {
      h = fnv(h, names[i]);
      h = (h ^ 0xff) * 0x01000193;
      h = fnv(h, values[i]);
      h = (h ^ 0xfe) * 0x01000193;
    }
    return h;
  }

  private static int fnv(int h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x01000193;
    }
    return h;
  }
}
