package dev.otelcoljava.receiver.prometheus.scrape;

import java.time.Duration;

/**
 * When scrape loops make their first and last scrapes. Immutable.
 *
 * @param earlyFirstScrape a new target's first scrape within min(interval, 1 s) of its loop's start
 *     (spread by the target's hashed offset), then Prometheus' grid; false: Prometheus' timing (the
 *     first scrape waits for the target's hashed slot within the interval)
 * @param initialScrapeOffset {@code initial_scrape_offset}: a fixed delay before the first scrape, on
 *     top of the hashed offset; when non-zero the early first scrape does not apply
 * @param scrapeOnShutdown {@code scrape_on_shutdown}: one final scrape of every target when the
 *     receiver shuts down
 */
public record ScrapeOptions(boolean earlyFirstScrape, Duration initialScrapeOffset, boolean scrapeOnShutdown) {
  /** Prometheus' timing: hashed first slot, no offset, no final scrape. */
  public static final ScrapeOptions UPSTREAM = new ScrapeOptions(false, Duration.ZERO, false);

  public ScrapeOptions {
    if (initialScrapeOffset.isNegative()) {
      throw new IllegalArgumentException("initial_scrape_offset must not be negative: " + initialScrapeOffset);
    }
  }
}
