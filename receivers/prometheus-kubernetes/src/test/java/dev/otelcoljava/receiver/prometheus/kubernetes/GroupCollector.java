package dev.otelcoljava.receiver.prometheus.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.prometheus.discovery.Discoverer;
import dev.otelcoljava.receiver.prometheus.discovery.TargetGroup;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Receives a discoverer's updates and keeps the current state (source → group), as a receiver does. */
final class GroupCollector implements Consumer<List<TargetGroup>> {
  final Map<String, TargetGroup> current = new ConcurrentHashMap<>();
  final List<List<TargetGroup>> updates = new CopyOnWriteArrayList<>();

  @Override
  public void accept(List<TargetGroup> groups) {
    updates.add(groups);
    for (TargetGroup g : groups) {
      if (g.targets().isEmpty()) {
        current.remove(g.source());
      } else {
        current.put(g.source(), g);
      }
    }
  }

  /** Every target of every current group, group labels merged under target labels, as maps. */
  List<Map<String, String>> targets() {
    List<Map<String, String>> out = new ArrayList<>();
    for (TargetGroup g : current.values()) {
      out.addAll(merged(g));
    }
    return out;
  }

  static List<Map<String, String>> merged(TargetGroup g) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Labels t : g.targets()) {
      Map<String, String> m = new TreeMap<>(g.labels().toMap());
      m.putAll(t.toMap());
      out.add(m);
    }
    return out;
  }

  List<Map<String, String>> targets(String source) {
    TargetGroup g = current.get(source);
    return g == null ? List.of() : merged(g);
  }

  void await(String what, Predicate<GroupCollector> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.test(this)) {
      assertThat(System.nanoTime()).as("timed out waiting for: " + what + "; state: " + current.keySet()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  static GroupCollector start(Discoverer d) throws Exception {
    GroupCollector c = new GroupCollector();
    d.start(c);
    c.await("initial sync", x -> !x.updates.isEmpty());
    return c;
  }
}
