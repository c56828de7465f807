package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array with protobuf primitives (varints, fixed64, length-delimited strings),
 * reused between requests. Not thread-safe.
 */
public final class ByteBuf {
  byte[] buf;
  int len;
  private int[] ints = new int[32];

  public ByteBuf(int capacity) {
    buf = new byte[Math.max(16, capacity)];
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
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
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
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  /** UTF-8 length without encoding. */
  static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2;
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  /** Writes the string's UTF-8 bytes (the caller has written the length). */
  void writeUtf8(String s, int utf8Len) {
    ensure(utf8Len);
    if (utf8Len == s.length()) {
      asciiBytes(s, utf8Len);
    } else {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }
  }

  /**
   * Copies an all-ASCII string's chars as bytes. String.getBytes(int, int, byte[], int) is the one
   * JDK method that does this without allocating (an array copy for Latin-1 strings); its
   * deprecation is about non-Latin-1 chars, which the caller has ruled out.
   */
  @SuppressWarnings("deprecation")
  private void asciiBytes(String s, int n) {
    s.getBytes(0, n, buf, len);
    len += n;
  }

  static long zigzag64(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static int zigzag32(int v) {
    return (v << 1) ^ (v >> 31);
  }
}
