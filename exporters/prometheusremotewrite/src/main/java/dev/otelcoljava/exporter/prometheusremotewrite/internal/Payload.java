package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.List;

/**
 * The unit queued and written to the WAL: the encoded series of one consumed batch, each as
 * {@code [hash i32][samples i32][length i32][WriteRequest.timeseries field bytes]} (big-endian), so
 * that a reader can shard series by label hash and build requests by copying bytes. Stateless.
 */
public final class Payload {
  private Payload() {}

  /**
   * Encodes the translated series into {@code out} (appending), each written in place after its
   * header. Returns the number of series. Allocates nothing once {@code out} has grown.
   */
  public static int encode(List<PromSeries> series, ByteBuf out) {
    for (int i = 0, n = series.size(); i < n; i++) {
      PromSeries s = series.get(i);
      // The series is written straight after its 12-byte header; the length is patched in after.
      out.ensure(12);
      int lengthAt = out.len + 8;
      ByteBuf.putIntBE(out.buf, out.len, s.hash);
      ByteBuf.putIntBE(out.buf, out.len + 4, s.sampleCount + (s.histograms == null ? 0 : s.histograms.size()));
      out.len += 12;
      int start = out.len;
      WireEncoder.writeSeries(s, out);
      ByteBuf.putIntBE(out.buf, lengthAt, out.len - start);
    }
    out.forgetLabels(); // no references to the batch's strings kept in the (reused) buffer
    return series.size();
  }

  static void putInt(ByteBuf out, int v) {
    out.ensure(4);
    out.buf[out.len++] = (byte) (v >>> 24);
    out.buf[out.len++] = (byte) (v >>> 16);
    out.buf[out.len++] = (byte) (v >>> 8);
    out.buf[out.len++] = (byte) v;
  }

  static int getInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  /** Checks the framing; false if the payload is malformed. */
  static boolean valid(byte[] b, int off, int len) {
    int end = off + len;
    int p = off;
    while (p < end) {
      if (end - p < 12) {
        return false;
      }
      int l = getInt(b, p + 8);
      if (l < 0 || l > end - p - 12) {
        return false;
      }
      p += 12 + l;
    }
    return true;
  }
}
