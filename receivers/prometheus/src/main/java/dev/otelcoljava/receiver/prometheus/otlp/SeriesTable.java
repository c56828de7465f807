package dev.otelcoljava.receiver.prometheus.otlp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The series cache of one target, keyed by the raw {@code name{labels}} bytes of a sample line.
 *
 * <p>The bytes themselves are not kept: an entry is identified by a 128-bit hash of them (two
 * independent 64-bit lanes, seeded per table) plus their length. Keeping a copy of every line's
 * bytes cost ~230 B per sample line and a {@code HashMap} node plus key object another ~50 B: with
 * 20 targets of 41,500 lines, about 230 MiB of the receiver's 550 MiB. Two different lines of one
 * target are taken for one series only if both lanes and the length collide, about 2^-128 per pair
 * for lines a target did not craft to collide (and a target that did can only mislabel its own
 * samples, which it can do by exposing other labels anyway).
 *
 * <p>Open addressing with linear probing over an array of the entries themselves; entries are
 * removed in bulk ({@link #removeIf}) by rebuilding. Not thread-safe.
 */
final class SeriesTable {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long K1 = 0x9E3779B97F4A7C15L;
  private static final long K2 = 0xC2B2AE3D27D4EB4FL;
  private static final long K3 = 0x165667B19E3779F9L;
  private static final long K4 = 0x87C37B91114253D5L;

  /** An entry: the key's hash lanes and length. */
  abstract static class Entry {
    long h1;
    long h2;
    int keyLen;
  }

  private final long seed1;
  private final long seed2;
  private Entry[] slots = new Entry[16];
  private int size;
  // the last hashed key (see hash)
  private long h1;
  private long h2;
  private int len;

  SeriesTable() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    this.seed1 = r.nextLong();
    this.seed2 = r.nextLong();
  }

  /** For tests: fixed seeds. */
  SeriesTable(long seed1, long seed2) {
    this.seed1 = seed1;
    this.seed2 = seed2;
  }

  int size() {
    return size;
  }

  /** Hashes {@code b[start, end)}; the next {@link #get} and {@link #put} use that key. */
  SeriesTable hash(byte[] b, int start, int end) {
    int n = end - start;
    long a = seed1 ^ (n * K1);
    long c = seed2 ^ (n * K2);
    int i = start;
    for (; i + 8 <= end; i += 8) {
      long w = (long) LONGS.get(b, i);
      a = Long.rotateLeft(a ^ w * K1, 31) * K2;
      c = Long.rotateLeft(c ^ w * K3, 29) * K4 + w;
    }
    if (i < end) {
      long w = 0;
      for (int s = 0; i < end; i++, s += 8) {
        w |= (b[i] & 0xFFL) << s;
      }
      a = Long.rotateLeft(a ^ w * K1, 31) * K2;
      c = Long.rotateLeft(c ^ w * K3, 29) * K4 + w;
    }
    a = fmix(a);
    c = fmix(c + a);
    this.h1 = a;
    this.h2 = c;
    this.len = n;
    return this;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }

  /** The entry of the last hashed key, or null. */
  @SuppressWarnings("unchecked")
  <E extends Entry> E get() {
    Entry[] t = slots;
    int mask = t.length - 1;
    for (int i = (int) h1 & mask; ; i = (i + 1) & mask) {
      Entry e = t[i];
      if (e == null) {
        return null;
      }
      if (e.h1 == h1 && e.h2 == h2 && e.keyLen == len) {
        return (E) e;
      }
    }
  }

  /** Adds {@code e} under the last hashed key (which must not be present). */
  void put(Entry e) {
    e.h1 = h1;
    e.h2 = h2;
    e.keyLen = len;
    if ((size + 1) * 4L > slots.length * 3L) {
      resize(slots.length * 2);
    }
    insert(slots, e);
    size++;
  }

  private static void insert(Entry[] t, Entry e) {
    int mask = t.length - 1;
    int i = (int) e.h1 & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = e;
  }

  private void resize(int capacity) {
    Entry[] old = slots;
    Entry[] t = new Entry[capacity];
    for (Entry e : old) {
      if (e != null) {
        insert(t, e);
      }
    }
    slots = t;
  }

  /** Removes the entries matching {@code remove}; shrinks the table when it became mostly empty. */
  @SuppressWarnings("unchecked")
  <E extends Entry> void removeIf(Predicate<E> remove) {
    int removed = 0;
    Entry[] t = slots;
    for (int i = 0; i < t.length; i++) {
      if (t[i] != null && remove.test((E) t[i])) {
        removed++;
      }
    }
    if (removed == 0) {
      return;
    }
    int left = size - removed;
    int capacity = t.length;
    while (capacity > 16 && left * 8L < capacity) {
      capacity >>>= 1; // at most 25% full after shrinking
    }
    Entry[] n = new Entry[capacity];
    for (Entry e : t) {
      if (e != null && !remove.test((E) e)) {
        insert(n, e);
      }
    }
    slots = n;
    size = left;
  }

  void clear() {
    slots = new Entry[16];
    size = 0;
  }

  /** The number of slots (for tests). */
  int capacity() {
    return slots.length;
  }
}
