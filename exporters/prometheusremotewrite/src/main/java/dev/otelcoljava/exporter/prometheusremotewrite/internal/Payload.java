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

  /**
   * Recomputes, in place, the shard hash of every series in {@code payload} from the labels in its
   * encoded bytes ({@link SeriesSet#labelsHash}); for payloads written with an earlier hash. A
   * payload whose series bytes cannot be parsed is left as it is.
   */
  static void rehash(byte[] payload) {
    java.util.ArrayList<String> names = new java.util.ArrayList<>();
    java.util.ArrayList<String> values = new java.util.ArrayList<>();
    int p = 0;
    while (p + 12 <= payload.length) {
      int len = getInt(payload, p + 8);
      int start = p + 12;
      int end = start + len;
      if (len < 0 || end > payload.length) {
        return;
      }
      names.clear();
      values.clear();
      // the bytes are a WriteRequest.timeseries field: its tag and length, then the TimeSeries
      int[] at = {start};
      if (varint(payload, at, end) != 0x0a) {
        return;
      }
      long inner = varint(payload, at, end);
      if (inner < 0 || at[0] + inner != end || !labelsOf(payload, at[0], end, names, values)) {
        return;
      }
      int h = SeriesSet.labelsHash(names.toArray(new String[0]), values.toArray(new String[0]));
      ByteBuf.putIntBE(payload, p, h);
      p = end;
    }
  }

  /** The labels (field 1 of a TimeSeries, in order) of the series in {@code b[from, to)}. */
  static boolean labelsOf(byte[] b, int from, int to, List<String> names, List<String> values) {
    int[] pos = {from};
    while (pos[0] < to) {
      long tag = varint(b, pos, to);
      if (tag < 0) {
        return false;
      }
      int wire = (int) (tag & 7);
      if (wire != 2) {
        if (wire == 0) {
          if (varint(b, pos, to) < 0) {
            return false;
          }
          continue;
        }
        if (wire == 1 || wire == 5) {
          pos[0] += wire == 1 ? 8 : 4;
          continue;
        }
        return false;
      }
      long l = varint(b, pos, to);
      if (l < 0 || pos[0] + l > to) {
        return false;
      }
      int fieldEnd = pos[0] + (int) l;
      if (tag >>> 3 == 1) {
        String name = "";
        String value = "";
        int[] q = {pos[0]};
        while (q[0] < fieldEnd) {
          long t = varint(b, q, fieldEnd);
          long sl = t < 0 || (t & 7) != 2 ? -1 : varint(b, q, fieldEnd);
          if (sl < 0 || q[0] + sl > fieldEnd) {
            return false;
          }
          String str = new String(b, q[0], (int) sl, java.nio.charset.StandardCharsets.UTF_8);
          if (t >>> 3 == 1) {
            name = str;
          } else if (t >>> 3 == 2) {
            value = str;
          }
          q[0] += (int) sl;
        }
        names.add(name);
        values.add(value);
      }
      pos[0] = fieldEnd;
    }
    return true;
  }

  private static long varint(byte[] b, int[] pos, int to) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= to) {
        return -1;
      }
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    return -1;
  }

  /** The bytes {@link #encode} appends for {@code series}, to size the buffer once. */
  public static long size(List<PromSeries> series) {
    long n = 0;
    for (int i = 0, k = series.size(); i < k; i++) {
      n += 12 + WireEncoder.fieldSize(series.get(i));
    }
    return n;
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
