package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.io.IOException;
import org.xerial.snappy.Snappy;

/**
 * Writes one snappy block (the raw format remote write uses) from bytes given piece by piece,
 * through a 64 KiB staging array instead of an uncompressed copy of the whole request.
 *
 * <p>Snappy compresses its input in independent fragments of 64 KiB (no back reference crosses a
 * fragment), after a varint of the total uncompressed length. So each full fragment is compressed
 * on its own as soon as it is staged, and the varint it is given is dropped: the fragment is
 * written over the last bytes of the output so far, which are saved and put back. The result is
 * the bytes {@code Snappy.rawCompress} gives for the whole input. The total's varint goes into
 * {@link #HEAD} bytes kept free at the start, right-aligned; {@link #finish} returns where it
 * starts. Not thread-safe.
 */
final class SnappyBlockWriter {
  /** Snappy's fragment size. */
  static final int FRAGMENT = 1 << 16;
  /** Room at the start for the varint of the total length (an int's takes at most 5 bytes). */
  static final int HEAD = 5;

  private byte[] staging;
  private int staged;
  private byte[] out;
  private int outPos;
  private long total;
  private IOException failure;

  /**
   * The output size that {@code raw} bytes need at most: the head and each fragment's own bound
   * (which is what snappy asks of the space after each fragment's start).
   */
  static int maxOutput(int raw) {
    long full = raw / FRAGMENT;
    int rest = raw % FRAGMENT;
    long n = HEAD + full * Snappy.maxCompressedLength(FRAGMENT) + (rest > 0 ? Snappy.maxCompressedLength(rest) : 0);
    return (int) Math.min(Integer.MAX_VALUE - 16, n);
  }

  /**
   * A first output size for {@code raw} bytes of remote-write series, for heaps where every byte
   * counts: room for a quarter of them compressed (series compress several times over, as their
   * labels repeat) and one whole fragment, at most {@link #maxOutput}. The writer grows the output
   * if the block needs more.
   */
  static int smallStart(int raw) {
    return (int) Math.min(maxOutput(raw), HEAD + (long) Snappy.maxCompressedLength(FRAGMENT) + raw / 4);
  }

  /**
   * Starts a block written into {@code out}; an output smaller than {@link #maxOutput} of what is
   * written is replaced by a larger one as needed (see {@link #output}).
   */
  void start(byte[] out) {
    if (staging == null) {
      staging = new byte[FRAGMENT];
    }
    this.out = out;
    outPos = HEAD;
    staged = 0;
    total = 0;
    failure = null;
  }

  /** Bytes written since {@link #start}. */
  long written() {
    return total;
  }

  void write(byte[] src, int off, int len) {
    while (len > 0) {
      int n = Math.min(len, FRAGMENT - staged);
      System.arraycopy(src, off, staging, staged, n);
      staged += n;
      off += n;
      len -= n;
      total += n;
      if (staged == FRAGMENT) {
        flush();
      }
    }
  }

  private void flush() {
    if (failure != null) {
      staged = 0;
      return;
    }
    int k = ByteBuf.varintSize(staged);
    int at = outPos - k;
    int need = at + Snappy.maxCompressedLength(staged);
    if (out.length < need) {
      // An output started smaller than maxOutput (see smallStart): grown by half, so that a block
      // compressing worse than expected costs a few copies, not one a fragment.
      out = java.util.Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, out.length + (long) out.length / 2)));
    }
    // k <= 3 (a fragment is at most 64 KiB): the bytes the fragment's own varint overwrites.
    byte s0 = out[at];
    byte s1 = k > 1 ? out[at + 1] : 0;
    byte s2 = k > 2 ? out[at + 2] : 0;
    try {
      outPos = at + Snappy.rawCompress(staging, 0, staged, out, at);
    } catch (IOException e) {
      failure = e;
    }
    out[at] = s0;
    if (k > 1) {
      out[at + 1] = s1;
    }
    if (k > 2) {
      out[at + 2] = s2;
    }
    staged = 0;
  }

  /**
   * Compresses what is staged and writes the total length's varint: the block is {@link #output}
   * from the returned offset to {@link #end}.
   *
   * @throws IOException if snappy failed (a broken native library)
   */
  int finish() throws IOException {
    if (staged > 0) {
      flush();
    }
    if (failure != null) {
      throw failure;
    }
    if (total > Integer.MAX_VALUE) {
      throw new IOException("request of " + total + " bytes is too large for snappy");
    }
    int start = HEAD - ByteBuf.varintSize((int) total);
    ByteBuf.putVarint(out, start, (int) total);
    return start;
  }

  /** The output array (a larger one if {@link #start}'s was too small). */
  byte[] output() {
    return out;
  }

  /** End of the block in {@link #output}. */
  int end() {
    return outPos;
  }

  /** The staging array and the output are let go; the next {@link #start} makes a new staging array. */
  void release() {
    staging = null;
    out = null;
  }

  /** Heap held between blocks. */
  long retainedBytes() {
    return staging == null ? 0 : staging.length;
  }
}
