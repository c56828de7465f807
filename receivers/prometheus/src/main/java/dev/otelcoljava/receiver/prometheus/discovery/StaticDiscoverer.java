package dev.otelcoljava.receiver.prometheus.discovery;

import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig.StaticConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code static_configs}: one group per entry (source = its index), pushed once at start. */
public final class StaticDiscoverer implements Discoverer {
  private final List<StaticConfig> configs;

  public StaticDiscoverer(List<StaticConfig> configs) {
    this.configs = configs;
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    List<TargetGroup> groups = new ArrayList<>(configs.size());
    for (int i = 0; i < configs.size(); i++) {
      StaticConfig c = configs.get(i);
      List<Labels> targets = new ArrayList<>(c.targets().size());
      for (String t : c.targets()) {
        targets.add(Labels.of("__address__", t));
      }
      groups.add(new TargetGroup(Integer.toString(i), targets, c.labels()));
    }
    updates.accept(groups);
  }

  @Override
  public void close() {}
}
