package dev.otelcoljava.receiver.prometheus.discovery;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.util.List;

/**
 * A group of discovered targets from one source, as Prometheus' {@code targetgroup.Group}: each
 * target is a label set holding at least {@code __address__} (plus {@code __meta_*} labels), and
 * {@link #labels()} apply to every target that does not set them itself. An update with no targets
 * for a source removes that source's targets. Immutable.
 *
 * @param source a stable id of where the group came from (e.g. {@code /etc/targets.json:0})
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {
  public TargetGroup {
    targets = List.copyOf(targets);
  }
}
