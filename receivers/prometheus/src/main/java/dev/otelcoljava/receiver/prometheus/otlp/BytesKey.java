package dev.otelcoljava.receiver.prometheus.otlp;

import java.util.Arrays;

/**
 * A byte-range key for the series cache. A probe instance is re-pointed at the parser's buffer for
 * each lookup (no allocation); stored keys own a private copy. Equality compares the bytes only.
 */
final class BytesKey {
  private byte[] buf;
  private int off;
  private int len;
  private int hash;

  BytesKey() {}

  private BytesKey(byte[] buf, int off, int len, int hash) {
    this.buf = buf;
    this.off = off;
    this.len = len;
    this.hash = hash;
  }

  /** Points this probe at {@code buf[start, end)} and hashes it. */
  BytesKey set(byte[] buf, int start, int end) {
    this.buf = buf;
    this.off = start;
    this.len = end - start;
    int h = 1;
    for (int i = start; i < end; i++) {
      h = 31 * h + buf[i];
    }
    this.hash = h;
    return this;
  }

  /** An owning copy of the bytes this probe points at. */
  BytesKey copy() {
    return new BytesKey(Arrays.copyOfRange(buf, off, off + len), 0, len, hash);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BytesKey k && k.hash == hash && k.len == len
        && Arrays.equals(buf, off, off + len, k.buf, k.off, k.off + k.len);
  }
}
