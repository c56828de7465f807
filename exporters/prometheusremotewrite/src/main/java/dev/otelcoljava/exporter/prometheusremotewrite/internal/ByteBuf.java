package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array with protobuf primitives (varints, fixed64, length-delimited strings),
 * reused between requests. Not thread-safe.
 */
public final class ByteBuf {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  byte[] buf;
  int len;
  private int[] ints = new int[32];
  // The labels of the series WireEncoder wrote last into this buffer, and where each label's bytes
  // start in it (one more entry: where they end), so that labels shared with the next series (the
  // same String objects) are copied from there; cleared by reset() (the bytes are then gone).
  String[] lastNames;
  String[] lastValues;
  int[] lastStarts = new int[16];
  int[] nextStarts = new int[16];

  public ByteBuf(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private ByteBuf(byte[] array) {
    buf = array;
  }

  /** An empty buffer writing into {@code array} (grown, that is replaced, only if it is too small). */
  public static ByteBuf wrap(byte[] array) {
    return new ByteBuf(array);
  }

  public byte[] array() {
    return buf;
  }

  public int length() {
    return len;
  }

  /** The size of the backing array. */
  public int capacity() {
    return buf.length;
  }

  public void reset() {
    len = 0;
    forgetLabels();
  }

  /** Forgets the last series' labels (their bytes may be overwritten, or to hold no references). */
  void forgetLabels() {
    lastNames = null;
    lastValues = null;
  }

  public void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  public void write(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, buf, len, n);
    len += n;
  }

  /** A reused scratch array of at least {@code n} ints (contents undefined), owned by this buffer. */
  int[] scratchInts(int n) {
    if (ints.length < n) {
      ints = new int[Math.max(n, ints.length * 2)];
    }
    return ints;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  void writeByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  void writeVarint(long v) {
    ensure(varintSize(v)); // exactly: see WireEncoder.writeSeries

    while ((v & ~0x7FL) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }

  /** Writes the int big-endian at {@code b[p]} (the caller has ensured room). */
  static void putIntBE(byte[] b, int p, int v) {
    INT_BE.set(b, p, v);
  }

  void writeFixed64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  void writeDouble(double d) {
    writeFixed64(Double.doubleToRawLongBits(d));
  }

  static int varintSize(long v) {
    // 1 for 0, else ceil(significant bits / 7); 10 for negative values.
    return (64 - Long.numberOfLeadingZeros(v) + 6) / 7 + (v == 0 ? 1 : 0);
  }

  /** Writes the varint at {@code b[p]} (the caller has ensured room); returns the position after it. */
  static int putVarint(byte[] b, int p, long v) {
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    return p;
  }

  /** Writes the double little-endian at {@code b[p]} (the caller has ensured room). */
  static void putDouble(byte[] b, int p, double d) {
    LONG_LE.set(b, p, Double.doubleToRawLongBits(d));
  }

  /**
   * Writes the string's {@code utf8Len} UTF-8 bytes at {@code b[p]} (the caller has ensured room and
   * measured the length); returns the position after them. An all-ASCII string is copied without
   * allocating. (A UTF-8 length equal to the string's length is not enough: an unpaired surrogate
   * is one char and one byte, {@code ?}.)
   */
  static int putUtf8(byte[] b, int p, String s, int utf8Len) {
    if (utf8Len == s.length() && isAscii(s)) {
      return putAscii(b, p, s, utf8Len);
    }
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(u, 0, b, p, u.length);
    return p + u.length;
  }

  /** Writes the {@code n} chars of an all-ASCII string at {@code b[p]}; returns the position after them. */
  @SuppressWarnings("deprecation")
  static int putAscii(byte[] b, int p, String s, int n) {
    // The one JDK method that copies chars as bytes without allocating (an array copy for Latin-1
    // strings); its deprecation is about chars above 0xFF, which the caller has ruled out.
    s.getBytes(0, n, b, p);
    return p + n;
  }

  static boolean isAscii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * UTF-8 length without encoding, as {@code s.getBytes(UTF_8)} encodes it (and protobuf-java, which
   * falls back to it): a surrogate pair is 4 bytes, an unpaired surrogate becomes {@code ?} (1 byte).
   */
  static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (!Character.isSurrogate(c)) {
          bytes += 2;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2;
          i++;
        }
      }
    }
    return bytes;
  }

  /** Writes the string's UTF-8 bytes (the caller has measured them and written the length). */
  void writeUtf8(String s, int utf8Len) {
    ensure(utf8Len);
    len = putUtf8(buf, len, s, utf8Len);
  }

  static long zigzag64(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static int zigzag32(int v) {
    return (v << 1) ^ (v >> 31);
  }
}
