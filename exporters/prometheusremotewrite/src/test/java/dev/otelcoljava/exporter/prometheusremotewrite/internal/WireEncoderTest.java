package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.exporter.prometheusremotewrite.internal.proto.Remote;
import dev.otelcoljava.exporter.prometheusremotewrite.internal.proto.Types;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The encoder's bytes against protobuf-java's generated classes for random series: ASCII labels
 * (the fast path: lengths and label sizes found by the translation's hash pass) and labels with
 * Latin-1, multi-byte, surrogate-pair, unpaired-surrogate and NUL chars (the measuring path), long
 * values (two-byte length varints), empty names and values, labels that are the previous series'
 * String objects (copied from its bytes), exemplars, and special sample values.
 */
class WireEncoderTest {
  // Chars picked to cover every UTF-8 length and the edges of each: ASCII (NUL, DEL), Latin-1,
  // 2-byte (U+07FF), 3-byte (CJK, U+FFFF), surrogate pairs (emoji) and unpaired surrogates.
  private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:/.-;=\"\\ \n\t\u0000\u007f";
  private static final String[] NON_ASCII = {"\u0080", "\u00e9", "\u00ff", "\u07ff", "\u0800", "\u4e2d", "\uffff",
      "\ud83d\ude00", "\ud800", "\udfff", "\u0100", "\u012d"};
  private static final double[] VALUES = {0.0, -0.0, 1.5, -3.25, Double.NaN, Translator.STALE_NAN,
      Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1e300};
  private static final long[] TIMES = {0, 1, 127, 128, 1_700_000_000_123L, -1, Long.MAX_VALUE, Long.MIN_VALUE};

  // protobuf-java warns for each string with an unpaired surrogate (it writes '?', as we do); held
  // here so that the level set on it stays.
  private static final Logger PROTOBUF_LOG = Logger.getLogger("com.google.protobuf");

  @Test
  void randomSeries_encodeAsTheGeneratedClassesDo() throws Exception {
    PROTOBUF_LOG.setLevel(Level.SEVERE);
    SplittableRandom rnd = new SplittableRandom(20261206);
    int asciiSeries = 0;
    for (int round = 0; round < 300; round++) {
      boolean asciiOnly = round % 2 == 0;
      SeriesSet set = new SeriesSet();
      List<PromSeries> slow = new ArrayList<>();
      int n = 1 + rnd.nextInt(8);
      String[] prevNames = new String[0];
      String[] prevValues = new String[0];
      for (int k = 0; k < n; k++) {
        int labels = 1 + rnd.nextInt(12);
        String[] names = new String[labels];
        String[] values = new String[labels];
        for (int i = 0; i < labels; i++) {
          // Empty names and values too; the first name differs per series (no two series merge).
          names[i] = (i == 0 ? "s" + k : "") + randomString(rnd, rnd.nextInt(20), asciiOnly);
          values[i] = randomString(rnd, rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 40), asciiOnly);
          // Often the previous series' String objects, at the same place (copied from its bytes)
          // or one place off (not the same label there: encoded again).
          int from = rnd.nextInt(5) == 0 ? i + 1 : i;
          if (i > 0 && from < prevNames.length && rnd.nextInt(3) > 0) {
            names[i] = prevNames[from];
            values[i] = rnd.nextInt(4) > 0 ? prevValues[from] : values[i];
          }
        }
        prevNames = names;
        prevValues = values;
        PromSeries s = set.series(names, values);
        // The same labels without the translation's ASCII result: every string measured.
        PromSeries m = new PromSeries(names, values, s.hash, -1);
        int samples = rnd.nextInt(4);
        for (int i = 0; i < samples; i++) {
          double v = VALUES[rnd.nextInt(VALUES.length)];
          long t = TIMES[rnd.nextInt(TIMES.length)];
          s.addSample(v, t);
          m.addSample(v, t);
        }
        if (rnd.nextInt(4) == 0) {
          String[] en = {randomString(rnd, 8, false), "trace_id"};
          String[] ev = {randomString(rnd, 30, false), randomString(rnd, 32, true)};
          PromSeries.PromExemplar e = new PromSeries.PromExemplar(en, ev, VALUES[rnd.nextInt(VALUES.length)],
              TIMES[rnd.nextInt(TIMES.length)]);
          s.addExemplar(e);
          m.addExemplar(e);
        }
        slow.add(m);
        if (s.asciiLabelsSize >= 0) {
          asciiSeries++;
        }
      }
      byte[] expected = generated(set.series());
      assertThat(body(set.series())).as("round %d, fast path", round).isEqualTo(expected);
      assertThat(body(slow)).as("round %d, measured", round).isEqualTo(expected);
    }
    assertThat(asciiSeries).as("series on the ASCII path").isGreaterThan(300);
  }

  @Test
  void labelsHashAndSize_hashIsTheStringHashCombinationAndSizeIsTheEncodedLabels() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int round = 0; round < 2000; round++) {
      boolean asciiOnly = rnd.nextBoolean();
      int labels = rnd.nextInt(12);
      String[] names = new String[labels];
      String[] values = new String[labels];
      for (int i = 0; i < labels; i++) {
        names[i] = randomString(rnd, rnd.nextInt(20), asciiOnly);
        values[i] = randomString(rnd, rnd.nextInt(rnd.nextBoolean() ? 300 : 30), asciiOnly);
      }
      long hs = SeriesSet.labelsHashAndSize(names, values);
      assertThat((int) hs).isEqualTo(referenceHash(names, values)).isEqualTo(SeriesSet.labelsHash(names, values));
      boolean ascii = true;
      for (int i = 0; i < labels; i++) {
        ascii &= names[i].chars().allMatch(c -> c < 0x80) && values[i].chars().allMatch(c -> c < 0x80);
      }
      int size = (int) (hs >> 32);
      if (ascii) {
        Types.TimeSeries.Builder ts = Types.TimeSeries.newBuilder();
        for (int i = 0; i < labels; i++) {
          ts.addLabels(Types.Label.newBuilder().setName(names[i]).setValue(values[i]));
        }
        assertThat(size).isEqualTo(ts.build().getSerializedSize());
      } else {
        assertThat(size).isEqualTo(-1);
      }
    }
  }

  @Test
  void utf8Length_isWhatStringGetBytesWrites() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int round = 0; round < 2000; round++) {
      String s = randomString(rnd, rnd.nextInt(30), false);
      assertThat(ByteBuf.utf8Length(s)).as("%s", s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
    assertThat(ByteBuf.utf8Length("a\ud800")).isEqualTo(2);
    assertThat(ByteBuf.utf8Length("\udfff\ud800")).isEqualTo(2);
    assertThat(ByteBuf.utf8Length("\ud83d\ude00")).isEqualTo(4);
  }

  @Test
  void varintSize_matchesTheEncoding() {
    long[] vs = {0, 1, 127, 128, 16383, 16384, (1L << 21) - 1, 1L << 21, Integer.MAX_VALUE, 1L << 35, 1L << 56,
        (1L << 63) - 1, -1, Long.MIN_VALUE, 1_700_000_000_123L};
    for (long v : vs) {
      byte[] b = new byte[10];
      assertThat(ByteBuf.varintSize(v)).as("%d", v).isEqualTo(ByteBuf.putVarint(b, 0, v));
      ByteBuf out = new ByteBuf(16);
      out.writeVarint(v);
      assertThat(out.toByteArray()).isEqualTo(java.util.Arrays.copyOf(b, out.length()));
    }
  }

  /** The request body as the shards build it: the series bytes of the payload, concatenated. */
  private static byte[] body(List<PromSeries> series) {
    ByteBuf payload = new ByteBuf(16);
    Payload.encode(series, payload);
    assertThat(Payload.valid(payload.array(), 0, payload.length())).isTrue();
    assertThat(Payload.size(series)).as("the size computed before encoding").isEqualTo(payload.length());
    // Sized exactly beforehand (as the exporter does), the buffer is filled to the byte and never
    // grows: a reservation of more room than a write takes doubled a full scrape's buffer.
    ByteBuf exact = new ByteBuf(16);
    exact.ensure((int) Payload.size(series));
    int capacity = exact.capacity();
    Payload.encode(series, exact);
    assertThat(exact.capacity()).as("capacity after encoding into an exactly sized buffer").isEqualTo(capacity);
    assertThat(exact.length()).isEqualTo(payload.length());
    ByteBuf body = new ByteBuf(16);
    int i = 0;
    for (int pos = 0; pos < payload.length(); i++) {
      PromSeries s = series.get(i);
      assertThat(Payload.getInt(payload.array(), pos)).isEqualTo(s.hash());
      assertThat(Payload.getInt(payload.array(), pos + 4)).isEqualTo(s.sampleCount());
      int len = Payload.getInt(payload.array(), pos + 8);
      body.write(payload.array(), pos + 12, len);
      pos += 12 + len;
    }
    assertThat(i).isEqualTo(series.size());
    return body.toByteArray();
  }

  private static byte[] generated(List<PromSeries> series) {
    Remote.WriteRequest.Builder req = Remote.WriteRequest.newBuilder();
    for (PromSeries s : series) {
      Types.TimeSeries.Builder ts = Types.TimeSeries.newBuilder();
      for (int i = 0; i < s.labelNames().length; i++) {
        ts.addLabels(Types.Label.newBuilder().setName(s.labelNames()[i]).setValue(s.labelValues()[i]));
      }
      for (int i = 0; i < s.sampleCount(); i++) {
        ts.addSamples(Types.Sample.newBuilder().setValue(s.value(i)).setTimestamp(s.timestamp(i)));
      }
      for (PromSeries.PromExemplar e : s.exemplars()) {
        Types.Exemplar.Builder eb = Types.Exemplar.newBuilder().setValue(e.value()).setTimestamp(e.timestamp());
        for (int i = 0; i < e.names().length; i++) {
          eb.addLabels(Types.Label.newBuilder().setName(e.names()[i]).setValue(e.values()[i]));
        }
        ts.addExemplars(eb);
      }
      req.addTimeseries(ts);
    }
    return req.build().toByteArray();
  }

  private static String randomString(SplittableRandom rnd, int len, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder(len);
    while (sb.length() < len) {
      if (!asciiOnly && rnd.nextInt(6) == 0) {
        sb.append(NON_ASCII[rnd.nextInt(NON_ASCII.length)]);
      } else {
        sb.append(ASCII.charAt(rnd.nextInt(ASCII.length())));
      }
    }
    return sb.toString();
  }

  /**
   * The label hash as defined: String.hashCode of each name and value, combined by 31s from the
   * label count, then murmur3's 32-bit finalizer (stable across JVMs: it decides a series' shard,
   * also for WAL records replayed by another process).
   */
  private static int referenceHash(String[] names, String[] values) {
    int h = names.length;
    for (int i = 0; i < names.length; i++) {
      h = 31 * h + names[i].hashCode();
      h = 31 * h + values[i].hashCode();
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
