package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class SnappyBlockWriterTest {
  /**
   * Series-like bytes: label text that repeats (snappy finds copies) mixed with random digits and
   * ids (it does not), so that fragments hold both literals and copies.
   */
  static byte[] input(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = new byte[n];
    byte[] text = "container_cpu_usage_seconds_total{container=\"tempo-ingester\",namespace=\"data-platform\",pod=\""
        .getBytes(StandardCharsets.UTF_8);
    int i = 0;
    while (i < n) {
      if (r.nextInt(3) == 0) {
        int k = Math.min(n - i, text.length);
        System.arraycopy(text, 0, b, i, k);
        i += k;
      } else {
        int k = Math.min(n - i, 1 + r.nextInt(80));
        for (int j = 0; j < k; j++) {
          b[i + j] = (byte) r.nextInt(256);
        }
        i += k;
      }
    }
    return b;
  }

  /** Writes {@code in} in pieces of 1..maxPiece bytes, as the shard writes series bodies. */
  static byte[] writeInPieces(SnappyBlockWriter w, byte[] in, byte[] out, int maxPiece, long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    w.start(out);
    int i = 0;
    while (i < in.length) {
      int k = Math.min(in.length - i, 1 + r.nextInt(maxPiece));
      w.write(in, i, k);
      i += k;
    }
    assertThat(w.written()).isEqualTo(in.length);
    int from = w.finish();
    return Arrays.copyOfRange(w.output(), from, w.end());
  }

  @Test
  void aBlockWrittenInPieces_isTheBlockSnappyGivesForTheWholeInput() throws Exception {
    SnappyBlockWriter w = new SnappyBlockWriter();
    int f = SnappyBlockWriter.FRAGMENT;
    int[] sizes = {1, 200, f - 1, f, f + 1, 2 * f, 3 * f + 123, 1_000_000, 3_000_000};
    for (int n : sizes) {
      byte[] in = input(n, n);
      for (int piece : new int[] {7, 700, 100_000}) {
        byte[] out = new byte[SnappyBlockWriter.maxOutput(n)];
        byte[] block = writeInPieces(w, in, out, piece, n + piece);
        assertThat(block).as("%d bytes in pieces of up to %d", n, piece).isEqualTo(Snappy.rawCompress(in, in.length));
        assertThat(Snappy.uncompress(block)).isEqualTo(in);
      }
    }
  }

  @Test
  void incompressibleInput_fitsTheBound_andTheWriterIsReusable() throws Exception {
    SnappyBlockWriter w = new SnappyBlockWriter();
    SplittableRandom r = new SplittableRandom(42);
    for (int n : new int[] {5 * SnappyBlockWriter.FRAGMENT + 9, 17, 300_000}) {
      byte[] in = new byte[n];
      r.nextBytes(in);
      byte[] out = new byte[SnappyBlockWriter.maxOutput(n)];
      byte[] block = writeInPieces(w, in, out, 5000, n);
      assertThat(w.output()).as("the output array was large enough").isSameAs(out);
      assertThat(Snappy.uncompress(block)).isEqualTo(in);
    }
  }

  @Test
  void anEmptyBlock_isSnappysEmptyBlock() throws Exception {
    SnappyBlockWriter w = new SnappyBlockWriter();
    w.start(new byte[SnappyBlockWriter.maxOutput(0)]);
    int from = w.finish();
    assertThat(Arrays.copyOfRange(w.output(), from, w.end())).isEqualTo(Snappy.rawCompress(new byte[0], 0));
  }

  @Test
  void anOutputTooSmall_isGrown_notWrittenPast() throws Exception {
    SnappyBlockWriter w = new SnappyBlockWriter();
    byte[] in = input(4 * SnappyBlockWriter.FRAGMENT + 1000, 7);
    byte[] small = new byte[64];
    byte[] block = writeInPieces(w, in, small, 3000, 7);
    assertThat(w.output()).isNotSameAs(small);
    assertThat(block).isEqualTo(Snappy.rawCompress(in, in.length));
  }

  @Test
  void smallStart_fitsSeriesThatCompress_andGrowsByHalfForThoseThatDoNot() throws Exception {
    SnappyBlockWriter w = new SnappyBlockWriter();
    int n = 760_000; // one shard's share of an ECS sidecar scrape
    assertThat(SnappyBlockWriter.smallStart(n)).isLessThan(SnappyBlockWriter.maxOutput(n) / 3);
    assertThat(SnappyBlockWriter.smallStart(100)).isEqualTo(SnappyBlockWriter.maxOutput(100));
    // label text repeated as in a batch's series: compresses well over 4 to 1, so the first array holds it
    byte[] series = new byte[n];
    byte[] text = "{__name__=\"container_cpu_usage_seconds_total\",container=\"tempo-ingester\",namespace=\"data-platform\",pod=\"tempo-"
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < n; i++) {
      series[i] = i % 200 < 190 ? text[i % 200 % text.length] : (byte) ('0' + i * 7 % 10);
    }
    byte[] first = new byte[SnappyBlockWriter.smallStart(n)];
    byte[] block = writeInPieces(w, series, first, 700, 3);
    assertThat(w.output()).isSameAs(first);
    assertThat(block).isEqualTo(Snappy.rawCompress(series, n));
    // random bytes do not compress: the output grows, in a few steps, to at most 1.5 times what they need
    byte[] random = new byte[n];
    new SplittableRandom(5).nextBytes(random);
    byte[] start = new byte[SnappyBlockWriter.smallStart(n)];
    block = writeInPieces(w, random, start, 700, 4);
    assertThat(block).isEqualTo(Snappy.rawCompress(random, n));
    assertThat(w.output().length).isGreaterThan(start.length).isLessThanOrEqualTo(SnappyBlockWriter.maxOutput(n) * 3 / 2);
  }

  @Test
  void release_dropsTheStagingArray_untilTheNextBlock() throws Exception {
    SnappyBlockWriter w = new SnappyBlockWriter();
    assertThat(w.retainedBytes()).isZero();
    writeInPieces(w, input(1000, 1), new byte[SnappyBlockWriter.maxOutput(1000)], 100, 1);
    assertThat(w.retainedBytes()).isEqualTo(SnappyBlockWriter.FRAGMENT);
    w.release();
    assertThat(w.retainedBytes()).isZero();
    byte[] in = input(1000, 2);
    assertThat(Snappy.uncompress(writeInPieces(w, in, new byte[SnappyBlockWriter.maxOutput(1000)], 100, 2))).isEqualTo(in);
  }
}
