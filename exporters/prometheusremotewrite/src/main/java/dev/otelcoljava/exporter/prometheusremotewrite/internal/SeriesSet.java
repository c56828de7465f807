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
    long hs = labelsHashAndSize(names, values);
    int h = (int) hs;
    Key k = new Key(names, values, h);
    PromSeries s = map.get(k);
    if (s == null) {
      s = new PromSeries(names, values, h, (int) (hs >> 32));
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
    return (int) labelsHashAndSize(names, values);
  }

  /**
   * {@link #labelsHash} in the low 32 bits and, in the high 32 bits, the size of the encoded labels
   * (the {@code TimeSeries.labels} fields) if every char of the names and values is ASCII, else -1.
   * One pass over the chars gives both, so the encoder neither measures each string's UTF-8 length
   * nor sums the label sizes again.
   */
  static long labelsHashAndSize(String[] names, String[] values) {
    int h = 0x811c9dc5;
    int any = 0;
    int size = 0;
    for (int i = 0; i < names.length; i++) {
      String n = names[i];
      int nl = n.length();
      for (int j = 0; j < nl; j++) {
        char c = n.charAt(j);
        any |= c;
        h = (h ^ c) * 0x01000193;
      }
      h = (h ^ 0xff) * 0x01000193;
      String v = values[i];
      int vl = v.length();
      for (int j = 0; j < vl; j++) {
        char c = v.charAt(j);
        any |= c;
        h = (h ^ c) * 0x01000193;
      }
      h = (h ^ 0xfe) * 0x01000193;
      int l = WireEncoder.labelSize(nl, vl);
      size += 1 + ByteBuf.varintSize(l) + l;
    }
    return (h & 0xFFFFFFFFL) | ((long) (any >= 0x80 ? -1 : size) << 32);
  }
}
