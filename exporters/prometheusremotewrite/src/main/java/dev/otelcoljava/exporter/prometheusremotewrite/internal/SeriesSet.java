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

  /**
   * A hash of the label names and values, stable across processes and JVMs: it combines each
   * string's {@link String#hashCode} (specified by the language, and cached in the string, which for
   * the receiver's interned label strings is computed once per process, not once per batch), then
   * mixes the result so that shard indexes taken modulo a small count spread well.
   */
  static int labelsHash(String[] names, String[] values) {
    return (int) labelsHashAndSize(names, values);
  }

  /**
   * {@link #labelsHash} in the low 32 bits and, in the high 32 bits, the size of the encoded labels
   * (the {@code TimeSeries.labels} fields) if every char of the names and values is ASCII, else -1.
   * One pass gives both, so the encoder neither measures each string's UTF-8 length nor sums the
   * label sizes again.
   */
  static long labelsHashAndSize(String[] names, String[] values) {
    int h = names.length;
    int any = 0;
    int size = 0;
    for (int i = 0; i < names.length; i++) {
      String n = names[i];
      String v = values[i];
      h = (h * 31 + n.hashCode()) * 31 + v.hashCode();
      int nl = n.length();
      for (int j = 0; j < nl; j++) {
        any |= n.charAt(j);
      }
      int vl = v.length();
      for (int j = 0; j < vl; j++) {
        any |= v.charAt(j);
      }
      int l = WireEncoder.labelSize(nl, vl);
      size += 1 + ByteBuf.varintSize(l) + l;
    }
    // murmur3's 32-bit finalizer
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return (h & 0xFFFFFFFFL) | ((long) (any >= 0x80 ? -1 : size) << 32);
  }
}
