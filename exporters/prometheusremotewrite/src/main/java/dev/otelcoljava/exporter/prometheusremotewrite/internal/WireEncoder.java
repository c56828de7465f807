package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.List;

/**
 * Encodes series straight into remote write 1.0 {@code prometheus.WriteRequest} bytes: each series
 * is written as one {@code timeseries} field (tag 1), so a request body is the concatenation of the
 * encoded series, and requests can be split at series boundaries without re-encoding. The output
 * is byte-for-byte what the generated classes produce (checked by a test). Stateless.
 */
public final class WireEncoder {
  private WireEncoder() {}

  /** Appends {@code WriteRequest.timeseries} (field 1) for the series. */
  public static void writeSeries(PromSeries s, ByteBuf out) {
    String[] names = s.names;
    String[] values = s.values;
    // For labels not all ASCII, their UTF-8 lengths, in the buffer's reused scratch.
    int[] lens = s.asciiLabelsSize < 0 ? out.scratchInts(2 * names.length) : null;
    int size = contentSize(s, lens);
    List<PromSeries.PromExemplar> exemplars = s.exemplars();
    List<PromSeries.NativeHistogram> hs = s.histograms();
    // The labels and samples, the bulk of the bytes, are written with the array and position in
    // locals (the room is ensured once here, exactly: reserving more than is written made the
    // last series of an exactly sized payload buffer double it).
    out.ensure(1 + ByteBuf.varintSize(size) + size);
    byte[] b = out.buf;
    int p = out.len;
    b[p++] = 0x0A;
    p = ByteBuf.putVarint(b, p, size);
    if (lens == null) {
      p = writeAsciiLabels(b, p, names, values, out);
    } else {
      out.forgetLabels();
      for (int i = 0; i < names.length; i++) {
        int nl = lens[2 * i];
        int vl = lens[2 * i + 1];
        b[p++] = 0x0A;
        p = ByteBuf.putVarint(b, p, labelSize(nl, vl));
        if (nl > 0) {
          b[p++] = 0x0A;
          p = ByteBuf.putVarint(b, p, nl);
          p = ByteBuf.putUtf8(b, p, names[i], nl);
        }
        if (vl > 0) {
          b[p++] = 0x12;
          p = ByteBuf.putVarint(b, p, vl);
          p = ByteBuf.putUtf8(b, p, values[i], vl);
        }
      }
    }
    for (int i = 0; i < s.sampleCount; i++) {
      double v = s.value(i);
      long t = s.timestamp(i);
      b[p++] = 0x12;
      b[p++] = (byte) sampleSize(v, t); // at most 20
      if (Double.doubleToRawLongBits(v) != 0) {
        b[p++] = 0x09;
        ByteBuf.putDouble(b, p, v);
        p += 8;
      }
      if (t != 0) {
        b[p++] = 0x10;
        p = ByteBuf.putVarint(b, p, t);
      }
    }
    out.len = p;
    for (PromSeries.PromExemplar e : exemplars) {
      out.writeByte(0x1A);
      out.writeVarint(exemplarSize(e));
      for (int i = 0; i < e.names().length; i++) {
        writeLabel(out, 0x0A, e.names()[i], ByteBuf.utf8Length(e.names()[i]), e.values()[i], ByteBuf.utf8Length(e.values()[i]));
      }
      if (Double.doubleToRawLongBits(e.value()) != 0) {
        out.writeByte(0x11);
        out.writeDouble(e.value());
      }
      if (e.timestamp() != 0) {
        out.writeByte(0x18);
        out.writeVarint(e.timestamp());
      }
    }
    for (PromSeries.NativeHistogram h : hs) {
      out.writeByte(0x22);
      out.writeVarint(histogramSize(h));
      writeHistogram(out, h);
    }
  }

  /**
   * Writes all-ASCII labels at {@code b[p]}; returns the position after them. A run of labels that
   * are the same String objects, at the same places, as the previous series' in this buffer (the
   * metric name, resource and external labels of consecutive series usually are) is copied from
   * that series' bytes in one go: the same strings encode to the same bytes.
   */
  /**
   * The size of {@code s}'s TimeSeries message. For labels not all ASCII, {@code lens} (2 ints a
   * label, or null) receives the UTF-8 lengths of names (even slots) and values (odd slots).
   */
  private static int contentSize(PromSeries s, int[] lens) {
    String[] names = s.names;
    String[] values = s.values;
    // All-ASCII labels (the translation's pass over the chars found it, and their encoded size):
    // each string's UTF-8 length is its length, and the strings are read once, when copied.
    int size = s.asciiLabelsSize;
    if (size < 0) {
      size = 0;
      for (int i = 0; i < names.length; i++) {
        int nl = ByteBuf.utf8Length(names[i]);
        int vl = ByteBuf.utf8Length(values[i]);
        if (lens != null) {
          lens[2 * i] = nl;
          lens[2 * i + 1] = vl;
        }
        int l = labelSize(nl, vl);
        size += 1 + ByteBuf.varintSize(l) + l;
      }
    }
    for (int i = 0; i < s.sampleCount; i++) {
      int l = sampleSize(s.value(i), s.timestamp(i));
      size += 1 + ByteBuf.varintSize(l) + l;
    }
    for (PromSeries.PromExemplar e : s.exemplars()) {
      int l = exemplarSize(e);
      size += 1 + ByteBuf.varintSize(l) + l;
    }
    for (PromSeries.NativeHistogram h : s.histograms()) {
      int l = histogramSize(h);
      size += 1 + ByteBuf.varintSize(l) + l;
    }
    return size;
  }

  /** The bytes {@link #writeSeries} writes for {@code s}: its WriteRequest.timeseries field. */
  static int fieldSize(PromSeries s) {
    int size = contentSize(s, null);
    return 1 + ByteBuf.varintSize(size) + size;
  }

  private static int writeAsciiLabels(byte[] b, int p, String[] names, String[] values, ByteBuf out) {
    int n = names.length;
    String[] ln = out.lastNames;
    String[] lv = out.lastValues;
    int[] ls = out.lastStarts;
    int[] starts = out.nextStarts;
    if (starts.length < n + 1) {
      starts = new int[Math.max(n + 1, 2 * starts.length)];
    }
    int shared = ln == null ? 0 : Math.min(n, ln.length);
    int i = 0;
    while (i < n) {
      String name = names[i];
      String value = values[i];
      if (i < shared && name == ln[i] && value == lv[i]) {
        int j = i + 1;
        while (j < shared && names[j] == ln[j] && values[j] == lv[j]) {
          j++;
        }
        // ls[j]: where the previous series' label j starts, or its labels end.
        int from = ls[i];
        for (int k = i; k < j; k++) {
          starts[k] = p + ls[k] - from;
        }
        int len = ls[j] - from;
        System.arraycopy(b, from, b, p, len); // earlier bytes of this buffer: no overlap
        p += len;
        i = j;
        continue;
      }
      starts[i] = p;
      int nl = name.length();
      int vl = value.length();
      b[p++] = 0x0A;
      p = ByteBuf.putVarint(b, p, labelSize(nl, vl));
      if (nl > 0) {
        b[p++] = 0x0A;
        p = ByteBuf.putVarint(b, p, nl);
        p = ByteBuf.putAscii(b, p, name, nl);
      }
      if (vl > 0) {
        b[p++] = 0x12;
        p = ByteBuf.putVarint(b, p, vl);
        p = ByteBuf.putAscii(b, p, value, vl);
      }
      i++;
    }
    starts[n] = p;
    out.lastNames = names;
    out.lastValues = values;
    out.lastStarts = starts;
    out.nextStarts = ls;
    return p;
  }

  /** The size of a {@code Label} message with names and values of these UTF-8 lengths. */
  static int labelSize(int nameLen, int valueLen) {
    int s = 0;
    if (nameLen > 0) {
      s += 1 + ByteBuf.varintSize(nameLen) + nameLen;
    }
    if (valueLen > 0) {
      s += 1 + ByteBuf.varintSize(valueLen) + valueLen;
    }
    return s;
  }

  private static void writeLabel(ByteBuf out, int tag, String name, int nameLen, String value, int valueLen) {
    out.writeByte(tag);
    out.writeVarint(labelSize(nameLen, valueLen));
    if (nameLen > 0) {
      out.writeByte(0x0A);
      out.writeVarint(nameLen);
      out.writeUtf8(name, nameLen);
    }
    if (valueLen > 0) {
      out.writeByte(0x12);
      out.writeVarint(valueLen);
      out.writeUtf8(value, valueLen);
    }
  }

  private static int sampleSize(double v, long t) {
    int s = 0;
    if (Double.doubleToRawLongBits(v) != 0) {
      s += 9;
    }
    if (t != 0) {
      s += 1 + ByteBuf.varintSize(t);
    }
    return s;
  }

  private static int exemplarSize(PromSeries.PromExemplar e) {
    int s = 0;
    for (int i = 0; i < e.names().length; i++) {
      int l = labelSize(ByteBuf.utf8Length(e.names()[i]), ByteBuf.utf8Length(e.values()[i]));
      s += 1 + ByteBuf.varintSize(l) + l;
    }
    if (Double.doubleToRawLongBits(e.value()) != 0) {
      s += 9;
    }
    if (e.timestamp() != 0) {
      s += 1 + ByteBuf.varintSize(e.timestamp());
    }
    return s;
  }

  private static int spanSize(int offset, int length) {
    int s = 0;
    if (offset != 0) {
      s += 1 + ByteBuf.varintSize(ByteBuf.zigzag32(offset) & 0xFFFFFFFFL);
    }
    if (length != 0) {
      s += 1 + ByteBuf.varintSize(length & 0xFFFFFFFFL);
    }
    return s;
  }

  private static int spansAndDeltasSize(int[] offs, int[] lens, long[] deltas) {
    int s = 0;
    for (int i = 0; i < offs.length; i++) {
      int l = spanSize(offs[i], lens[i]);
      s += 1 + ByteBuf.varintSize(l) + l;
    }
    if (deltas.length > 0) {
      int p = 0;
      for (long d : deltas) {
        p += ByteBuf.varintSize(ByteBuf.zigzag64(d));
      }
      s += 1 + ByteBuf.varintSize(p) + p;
    }
    return s;
  }

  private static int histogramSize(PromSeries.NativeHistogram h) {
    // count_int (1) and zero_count_int (6) are oneof members: always written, even when zero.
    int s = 1 + ByteBuf.varintSize(h.countBits);
    if (Double.doubleToRawLongBits(h.sum) != 0) {
      s += 9;
    }
    if (h.schema != 0) {
      s += 1 + ByteBuf.varintSize(ByteBuf.zigzag32(h.schema) & 0xFFFFFFFFL);
    }
    if (Double.doubleToRawLongBits(h.zeroThreshold) != 0) {
      s += 9;
    }
    s += 1 + ByteBuf.varintSize(h.zeroCount);
    s += spansAndDeltasSize(h.negSpanOffsets, h.negSpanLengths, h.negDeltas);
    s += spansAndDeltasSize(h.posSpanOffsets, h.posSpanLengths, h.posDeltas);
    if (h.timestamp != 0) {
      s += 1 + ByteBuf.varintSize(h.timestamp);
    }
    return s;
  }

  private static void writeSpansAndDeltas(ByteBuf out, int spanTag, int deltaTag, int[] offs, int[] lens, long[] deltas) {
    for (int i = 0; i < offs.length; i++) {
      out.writeByte(spanTag);
      out.writeVarint(spanSize(offs[i], lens[i]));
      if (offs[i] != 0) {
        out.writeByte(0x08);
        out.writeVarint(ByteBuf.zigzag32(offs[i]) & 0xFFFFFFFFL);
      }
      if (lens[i] != 0) {
        out.writeByte(0x10);
        out.writeVarint(lens[i] & 0xFFFFFFFFL);
      }
    }
    if (deltas.length > 0) {
      int p = 0;
      for (long d : deltas) {
        p += ByteBuf.varintSize(ByteBuf.zigzag64(d));
      }
      out.writeByte(deltaTag);
      out.writeVarint(p);
      for (long d : deltas) {
        out.writeVarint(ByteBuf.zigzag64(d));
      }
    }
  }

  private static void writeHistogram(ByteBuf out, PromSeries.NativeHistogram h) {
    out.writeByte(0x08);
    out.writeVarint(h.countBits);
    if (Double.doubleToRawLongBits(h.sum) != 0) {
      out.writeByte(0x19);
      out.writeDouble(h.sum);
    }
    if (h.schema != 0) {
      out.writeByte(0x20);
      out.writeVarint(ByteBuf.zigzag32(h.schema) & 0xFFFFFFFFL);
    }
    if (Double.doubleToRawLongBits(h.zeroThreshold) != 0) {
      out.writeByte(0x29);
      out.writeDouble(h.zeroThreshold);
    }
    out.writeByte(0x30);
    out.writeVarint(h.zeroCount);
    writeSpansAndDeltas(out, 0x42, 0x4A, h.negSpanOffsets, h.negSpanLengths, h.negDeltas);
    writeSpansAndDeltas(out, 0x5A, 0x62, h.posSpanOffsets, h.posSpanLengths, h.posDeltas);
    if (h.timestamp != 0) {
      out.writeByte(0x78);
      out.writeVarint(h.timestamp);
    }
  }
}
