package dev.otelcoljava.receiver.prometheus.scrape;

import static org.assertj.core.api.Assertions.assertThat;

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
}
