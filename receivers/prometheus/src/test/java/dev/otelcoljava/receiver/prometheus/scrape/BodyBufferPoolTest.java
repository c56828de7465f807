package dev.otelcoljava.receiver.prometheus.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.receiver.prometheus.otlp.ScrapeException;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class BodyBufferPoolTest {
  @Test
  void keepsAtMostMaxBuffersAndReusesThem() {
    HttpScraper.BufferPool pool = new HttpScraper.BufferPool(2);
    byte[] a = pool.take();
    byte[] b = pool.take();
    byte[] c = pool.take();
    assertThat(a).isNotSameAs(b).isNotSameAs(c).hasSize(HttpScraper.BufferPool.INITIAL);
    pool.give(a, 10);
    pool.give(b, 10);
    pool.give(c, 10); // a third is not kept
    assertThat(pool.kept()).containsExactly(2, 2L * HttpScraper.BufferPool.INITIAL);
    byte[] again = pool.take();
    assertThat(again == a || again == b).isTrue();
  }

  @Test
  void dropsABufferFarLargerThanTheBodyItHeld() {
    HttpScraper.BufferPool pool = new HttpScraper.BufferPool(4);
    pool.give(new byte[8 << 20], 1 << 20); // 8 MiB for a 1 MiB body: dropped
    assertThat(pool.kept()[0]).isZero();
    pool.give(new byte[8 << 20], 5 << 20); // for a 5 MiB body: kept
    assertThat(pool.kept()).containsExactly(1, 8L << 20);
  }

  @Test
  void aBodyHoldsNoBufferOutsideAScrape() throws Exception {
    HttpScraper.Body body = new HttpScraper.Body();
    assertThat(body.buf).isEmpty();
    body.acquire();
    byte[] content = new byte[100_000];
    content[99_999] = 7;
    HttpScraper.readLimited(new ByteArrayInputStream(content), body, 0);
    assertThat(body.len).isEqualTo(100_000);
    assertThat(body.buf[99_999]).isEqualTo((byte) 7);
    body.release();
    assertThat(body.buf).isEmpty();
    assertThat(body.len).isZero();
  }

  @Test
  void readingIntoAnEmptyBufferGrowsIt() throws Exception {
    HttpScraper.Body body = new HttpScraper.Body(); // never acquired
    HttpScraper.readLimited(new ByteArrayInputStream(new byte[5]), body, 0);
    assertThat(body.len).isEqualTo(5);
  }

  @Test
  void aDeclaredLengthSizesTheBufferOnceWithAnEighthToSpare() throws Exception {
    HttpScraper.Body body = new HttpScraper.Body();
    body.acquire(); // the pool's 16 KiB
    byte[] content = new byte[800_000];
    content[799_999] = 9;
    HttpScraper.readLimited(new ByteArrayInputStream(content), body, 0, content.length);
    assertThat(body.len).isEqualTo(800_000);
    assertThat(body.buf[799_999]).isEqualTo((byte) 9);
    assertThat(body.buf).hasSize(800_000 + 100_000 + 1); // not 1 MiB from doubling

    // The next, slightly longer body of the same target fits the same buffer.
    byte[] kept = body.buf;
    HttpScraper.readLimited(new ByteArrayInputStream(new byte[850_000]), body, 0, 850_000);
    assertThat(body.buf).isSameAs(kept);
    assertThat(body.len).isEqualTo(850_000);
  }

  @Test
  void theDeclaredLengthIsOnlyAHint() throws Exception {
    // Longer than declared: read to the end all the same, growing the buffer.
    HttpScraper.Body longer = new HttpScraper.Body();
    HttpScraper.readLimited(new ByteArrayInputStream(new byte[300_000]), longer, 0, 100_000);
    assertThat(longer.len).isEqualTo(300_000);
    // Shorter than declared.
    HttpScraper.Body shorter = new HttpScraper.Body();
    HttpScraper.readLimited(new ByteArrayInputStream(new byte[10]), shorter, 0, 100_000);
    assertThat(shorter.len).isEqualTo(10);
    // Beyond MAX_PRESIZE, nothing is allocated up front.
    HttpScraper.Body huge = new HttpScraper.Body();
    HttpScraper.readLimited(new ByteArrayInputStream(new byte[10]), huge, 0, Integer.MAX_VALUE);
    assertThat(huge.len).isEqualTo(10);
    assertThat(huge.buf.length).isLessThanOrEqualTo(HttpScraper.BufferPool.INITIAL);
  }

  @Test
  void aDeclaredLengthOverTheBodySizeLimitAllocatesNothingAndStillFails() throws Exception {
    HttpScraper.Body body = new HttpScraper.Body();
    assertThatThrownBy(() -> HttpScraper.readLimited(new ByteArrayInputStream(new byte[5_000]), body, 1_000, 5_000))
        .isInstanceOf(ScrapeException.class)
        .hasMessageContaining("body size limit exceeded");
    assertThat(body.buf.length).isLessThanOrEqualTo(HttpScraper.BufferPool.INITIAL);
    // Within the limit: the buffer is sized to the declared length, at most the limit plus one.
    HttpScraper.Body within = new HttpScraper.Body();
    HttpScraper.readLimited(new ByteArrayInputStream(new byte[20_000]), within, 20_500, 20_000);
    assertThat(within.len).isEqualTo(20_000);
    assertThat(within.buf).hasSize(20_501);
  }
}
