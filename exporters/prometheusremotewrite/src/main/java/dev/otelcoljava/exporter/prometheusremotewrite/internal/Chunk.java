package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.io.IOException;
import org.xerial.snappy.Snappy;

/**
 * The series of one {@link Record} that belong to one shard, in one of two forms: offsets into the
 * record's payload (the usual case: nothing is copied), or, when the chunk was queued behind a
 * backlog, its own snappy-compressed copy of those series, framed as in {@link Payload} and walked
 * in order. A chunk of the first kind is turned into the second when its shard starts retrying
 * ({@link #compressRest}). A compressed chunk is uncompressed only while its series are packed into
 * a request, and both forms are released as soon as every series is in a request body. Owned by the
 * shard worker once queued.
 */
final class Chunk {
  final Record record;
  /** Offsets of the series in the record's payload, or null once the chunk does not index it. */
  private int[] offsets;
  final int count;
  final int samples;
  /** The chunk's framed series, snappy-compressed; null for a chunk that indexes the record's payload. */
  private byte[] packed;
  /** {@link #packed} uncompressed, while the worker packs requests from it. */
  private byte[] unpacked;
  /** Bytes of series in {@link #unpacked}, which may be a longer (reused) array. */
  private int unpackedLength;
  /** Position of the next series in {@link #unpacked} (compressed chunks). */
  private int pos;
  /** Bytes of the series not yet packed (their bodies, without the framing). */
  private long rawLeft;
  int cursor;
  long ok;
  long failed;
  int credited;

  /** A chunk indexing {@code count} series of the record's payload, {@code framed} bytes with their framing. */
  Chunk(Record record, int[] offsets, int count, int samples, long framed) {
    this.record = record;
    this.offsets = offsets;
    this.count = count;
    this.samples = samples;
    this.rawLeft = framed - 12L * count;
  }

  /**
   * A chunk holding its own copy of {@code count} framed series ({@code framed} bytes):
   * snappy-compressed if {@code compressed}, else as they are.
   */
  Chunk(Record record, byte[] copy, int count, int samples, long framed, boolean compressed) {
    this.record = record;
    this.offsets = null;
    if (compressed) {
      this.packed = copy;
    } else {
      this.unpacked = copy;
      this.unpackedLength = copy.length;
    }
    this.rawLeft = framed - 12L * count;
    this.count = count;
    this.samples = samples;
  }

  /**
   * The bytes {@link #offset} indexes: the record's payload, or the chunk's copy uncompressed into
   * an array of its own.
   */
  byte[] bytes() {
    return bytes(byte[]::new);
  }

  /**
   * The bytes {@link #offset} indexes: the record's payload, or the chunk's copy uncompressed into
   * {@code scratch.apply(n)} (an array of at least the n bytes it needs), which the chunk then uses
   * until every series is packed or {@link #dropUncompressed}. The shard worker gives its own
   * reused array: it uncompresses one chunk at a time.
   */
  byte[] bytes(java.util.function.IntFunction<byte[]> scratch) {
    if (offsets != null) {
      return record.payload;
    }
    if (unpacked == null) {
      if (packed == null) {
        throw new IllegalStateException("chunk already released");
      }
      try {
        int n = Snappy.uncompressedLength(packed);
        byte[] into = scratch.apply(n);
        Snappy.rawUncompress(packed, 0, packed.length, into, 0);
        unpacked = into;
        unpackedLength = n;
      } catch (IOException e) {
        // Our own output, held in the heap: cannot be corrupt short of a JVM fault.
        throw new IllegalStateException("cannot uncompress a queued chunk: " + e.getMessage(), e);
      }
    }
    return unpacked;
  }

  /** Bytes of series in {@link #bytes}: the chunk's uncompressed copy's length (the array may be longer). */
  int bytesLength() {
    bytes();
    return unpackedLength;
  }

  /** The offsets into the record's payload, or null if the chunk does not index it. */
  int[] offsets() {
    return offsets;
  }

  /** Forgets the uncompressed form of a compressed copy (it is made again when needed). */
  void dropUncompressed() {
    if (packed != null) {
      unpacked = null;
    }
  }

  /** Bytes of the series not yet packed (their bodies, without the framing): what a request needs for the rest of this chunk. */
  long rawRemaining() {
    return rawLeft;
  }

  /** Offset of the series at {@link #cursor} in {@link #bytes}. */
  int offset() {
    return offsets != null ? offsets[cursor] : pos;
  }

  /**
   * Moves past the series at {@link #cursor}, whose framed body is {@code len} bytes. Returns true
   * if that was the last series of a chunk indexing the record's payload: it no longer does.
   */
  boolean advance(int len) {
    cursor++;
    rawLeft -= len;
    pos += 12 + len;
    if (cursor < count) {
      return false;
    }
    // every series is in a request body now, which keeps what a retry needs
    packed = null;
    unpacked = null;
    if (offsets != null) {
      offsets = null;
      return true;
    }
    return false;
  }

  /**
   * For a chunk indexing the record's payload with series left to pack: replaces the index by a
   * snappy-compressed copy of those series and returns the copy's size; otherwise returns -1.
   */
  int compressRest() throws IOException {
    if (offsets == null || cursor >= count) {
      return -1;
    }
    byte[] p = record.payload;
    int n = 0;
    for (int k = cursor; k < count; k++) {
      n += 12 + Payload.getInt(p, offsets[k] + 8);
    }
    SnappyBlockWriter w = new SnappyBlockWriter();
    w.start(new byte[SnappyBlockWriter.smallStart(n)]);
    packed = compress(p, offsets, cursor, count, w);
    int clen = packed.length;
    unpacked = null;
    offsets = null;
    pos = 0; // the copy starts at the series at cursor
    return clen;
  }

  /**
   * The framed series at {@code offsets[from..to)} of {@code p}, as one snappy block in an array of
   * its own, compressed 64 KiB at a time by {@code w} (started on its output array by the caller):
   * no contiguous copy of the series is made.
   */
  static byte[] compress(byte[] p, int[] offsets, int from, int to, SnappyBlockWriter w) throws IOException {
    for (int k = from; k < to; k++) {
      int off = offsets[k];
      w.write(p, off, 12 + Payload.getInt(p, off + 8));
    }
    int start = w.finish();
    return java.util.Arrays.copyOfRange(w.output(), start, w.end());
  }
}
