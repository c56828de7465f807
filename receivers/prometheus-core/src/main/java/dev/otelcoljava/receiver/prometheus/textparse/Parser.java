package dev.otelcoljava.receiver.prometheus.textparse;

import dev.otelcoljava.receiver.prometheus.labels.Labels;

/**
 * A pull parser over one exposition body, modelled on Prometheus' {@code textparse.Parser}: call
 * {@link #next()} until {@link Entry#EOF}; after each entry the accessors for that entry are valid
 * until the next call. The parser reads the caller's byte array in place and never copies it, so
 * the array must not change while parsing. Not thread-safe; one parser per scrape.
 *
 * <p>Semantics and error messages are those of Prometheus 2.42 (checked against the real server):
 * a {@link ParseException} means Prometheus fails the whole scrape there too. The SERIES path
 * allocates nothing per sample (only values with more than about 16 significant digits go through
 * {@link Double#parseDouble}); {@link #labels()} and {@link #exemplar} allocate.
 */
public interface Parser {
  /** The kind of entry {@link #next()} stopped at. */
  enum Entry {
    TYPE,
    HELP,
    UNIT,
    SERIES,
    COMMENT,
    EOF
  }

  /**
   * Picks the OpenMetrics 1.0 parser for {@code application/openmetrics-text} (any parameters),
   * else the Prometheus text 0.0.4 parser (also for a missing or unknown content type, like
   * otelcol's {@code fallback_scrape_protocol}).
   */
  static Parser create(byte[] body, int length, String contentType) {
    if (contentType != null && isOpenMetrics(contentType)) {
      return new OpenMetricsParser(body, length);
    }
    return new PromParser(body, length);
  }

  /** True if the media type (before any {@code ;}) is {@code application/openmetrics-text}. */
  static boolean isOpenMetrics(String contentType) {
    int semi = contentType.indexOf(';');
    String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return media.equalsIgnoreCase("application/openmetrics-text");
  }

  /** Advances to the next entry; {@link Entry#EOF} at the end. A syntax error fails the scrape. */
  Entry next() throws ParseException;

  /** The body array (valid after SERIES). */
  byte[] buffer();

  /** Start offset in {@link #buffer()} of the raw {@code name{labels}} bytes of the last series. */
  int seriesStart();

  /** End offset (exclusive) of the raw series bytes; usable with start as a cache key. */
  int seriesEnd();

  /** The sample value of the last series. */
  double value();

  /** True if the last series had a timestamp. */
  boolean hasTimestamp();

  /** The timestamp of the last series in milliseconds (valid if {@link #hasTimestamp()}). */
  long timestampMs();

  /**
   * Decodes the labels of the last series, including {@code __name__}, escapes resolved. Allocates;
   * call it on cache misses only. Labels with an empty value are left out: Prometheus' parser
   * keeps them but its label builder drops them before anything is stored or sent, and a repeated
   * name is only an error among non-empty values ({@code a{b="",b="c"}} is accepted there too).
   *
   * <p>A repeated label name (or {@code __name__} among the labels) is reported here, not by {@link
   * #next}: the check runs only for series that are decoded. A caller that keys series by their raw
   * bytes and decodes each key once loses nothing by this, as the same bytes have the same names.
   *
   * @throws ParseException if a label name is repeated, with Prometheus' message
   */
  Labels labels() throws ParseException;

  /** Fills {@code out} with the OpenMetrics exemplar of the last series; false if it has none. */
  boolean exemplar(Exemplar out);

  /** The metric family name of the last TYPE, HELP or UNIT entry. */
  String metricFamily();

  /** The type of the last TYPE entry. */
  MetricType type();

  /** The unescaped text of the last HELP entry. */
  String help();

  /** The unit of the last UNIT entry. */
  String unit();
}
