package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The series of one translated batch, merged by identical label sets (as contrib's tsMap does) and
 * kept in first-seen order. Not thread-safe.
 *
 * <p>The index is an open-addressing table of {@code [label hash, position in order + 1]} int pairs
 * (linear probing, at most half full), so a lookup reads one cache line of the table and touches a
 * series' label arrays only when the 32-bit hash matches. (A {@code HashMap} with a key record cost
 * two objects per series and a pointer chase per probe: in peer-bench's cluster preset, every
 * 41,500-series batch is all new series, and {@code HashMap.getNode} was 23 % of the process's
 * execution samples.)
 */
public final class SeriesSet {
  private final ArrayList<PromSeries> order;
  /** {@code table[2i]} the hash, {@code table[2i + 1]} the series' index in {@link #order} plus 1 (0: empty). */
  private int[] table;
  private int mask;
  private int samples;
  /**
   * A names array known to be all ASCII: the translator shares one sorted names array among the
   * series that have the same label names, so their chars are checked once.
   */
  private String[] asciiNames;

  public SeriesSet() {
    this(0);
  }

  /** A set sized for {@code expected} series without growing. */
  public SeriesSet(int expected) {
    int cap = 16;
    while (cap < 2L * expected && cap < 1 << 29) {
      cap <<= 1;
    }
    table = new int[2 * cap];
    mask = cap - 1;
    order = new ArrayList<>(Math.max(10, expected));
  }

  /** Returns the series with these sorted labels, creating it if new. */
  PromSeries series(String[] names, String[] values) {
    boolean namesAscii = names == asciiNames;
    long hs = labelsHashAndSize(names, values, namesAscii);
    if (!namesAscii && (int) (hs >> 32) >= 0) {
      asciiNames = names; // the size is given only if every char was ASCII
    }
    int h = (int) hs;
    int[] t = table;
    int i = h & mask;
    int at;
    while ((at = t[2 * i + 1]) != 0) {
      if (t[2 * i] == h) {
        PromSeries s = order.get(at - 1);
        if (Arrays.equals(s.names, names) && Arrays.equals(s.values, values)) {
          return s;
        }
      }
      i = (i + 1) & mask;
    }
    PromSeries s = new PromSeries(names, values, h, (int) (hs >> 32));
    order.add(s);
    t[2 * i] = h;
    t[2 * i + 1] = order.size();
    if (order.size() * 2 > mask + 1) {
      grow();
    }
    return s;
  }

  /** Doubles the table, reinserting every series by its hash. */
  private void grow() {
    int cap = (mask + 1) * 2;
    int m = cap - 1;
    int[] t = new int[2 * cap];
    for (int k = 0, n = order.size(); k < n; k++) {
      int h = order.get(k).hash;
      int i = h & m;
      while (t[2 * i + 1] != 0) {
        i = (i + 1) & m;
      }
      t[2 * i] = h;
      t[2 * i + 1] = k + 1;
    }
    table = t;
    mask = m;
  }

  void countSample() {
    samples++;
  }

  /** Samples plus histograms added. */
  public int sampleCount() {
    return samples;
  }

  /**
   * The series in first-seen order, read-only: the index holds positions in this list, so a caller
   * that reordered or removed series would make later lookups find the wrong one.
   */
  public List<PromSeries> series() {
    return java.util.Collections.unmodifiableList(order);
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
    return labelsHashAndSize(names, values, false);
  }

  /** {@link #labelsHashAndSize(String[], String[])}, not looking at the names' chars if {@code namesAscii}. */
  static long labelsHashAndSize(String[] names, String[] values, boolean namesAscii) {
    int h = names.length;
    int any = 0;
    int size = 0;
    for (int i = 0; i < names.length; i++) {
      String n = names[i];
      String v = values[i];
      h = (h * 31 + n.hashCode()) * 31 + v.hashCode();
      int nl = n.length();
      if (!namesAscii) {
        for (int j = 0; j < nl; j++) {
          any |= n.charAt(j);
        }
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
