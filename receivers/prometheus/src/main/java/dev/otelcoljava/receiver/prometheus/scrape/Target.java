package dev.otelcoljava.receiver.prometheus.scrape;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.net.URI;
import java.time.Duration;

/**
 * A scrape target after relabeling. Immutable.
 *
 * @param labels the final labels including the scrape-driving {@code __*} ones
 * @param publicLabels the labels every sample gets (no {@code __*}): job, instance, static labels
 * @param discoveredLabels the labels before relabeling ({@code __meta_*}, {@code __scheme__})
 * @param hash a stable hash of labels and URL, which spreads scrapes over the interval
 */
public record Target(Labels labels, Labels publicLabels, Labels discoveredLabels, URI url, Duration interval,
    Duration timeout, long hash) {

  /** The {@code job} label. */
  public String job() {
    return publicLabels.get("job");
  }

  /** The {@code instance} label. */
  public String instance() {
    return publicLabels.get("instance");
  }
}
