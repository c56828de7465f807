package dev.otelcoljava.receiver.prometheus.textparse;

import dev.otelcoljava.receiver.prometheus.labels.Labels;

/**
 * A mutable holder filled by {@link Parser#exemplar(Exemplar)}: the exemplar's labels, value and
 * optional timestamp (milliseconds). Reuse one instance per scrape; not thread-safe.
 */
public final class Exemplar {
  public Labels labels = Labels.EMPTY;
  public double value;
  public boolean hasTs;
  public long tsMs;

  @Override
  public String toString() {
    return labels + " " + value + (hasTs ? " " + tsMs : "");
  }
}
