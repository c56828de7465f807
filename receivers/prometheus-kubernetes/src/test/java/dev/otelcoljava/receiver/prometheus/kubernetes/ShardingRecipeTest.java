package dev.otelcoljava.receiver.prometheus.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;
import dev.otelcoljava.receiver.prometheus.discovery.Discoverer;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.Action;
import dev.otelcoljava.receiver.prometheus.relabel.RelabelConfig;
import dev.otelcoljava.receiver.prometheus.relabel.Relabeler;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The documented scale-out recipe (configs/kubernetes/README.md): each StatefulSet replica keeps
 * the targets whose hashmod of __address__ by the replica count equals its ordinal.
 */
class ShardingRecipeTest {
  private static List<RelabelConfig> shard(int replicas, int ordinal) {
    return List.of(
        new RelabelConfig(List.of("__address__"), ";", "(.*)", replicas, "__tmp_shard", "$1", Action.HASHMOD),
        new RelabelConfig(List.of("__tmp_shard"), ";", Integer.toString(ordinal), 0, "", "$1", Action.KEEP));
  }

  /**
   * The variant for any Kubernetes version: the ordinal comes from the pod name (POD_NAME from the
   * downward API, expanded by the collector before relabeling), compared with keepequal.
   */
  private static List<RelabelConfig> shardByPodName(int replicas, String podName) {
    return List.of(
        new RelabelConfig(List.of(), ";", "(.*)", 0, "__tmp_pod", podName, Action.REPLACE),
        new RelabelConfig(List.of("__tmp_pod"), ";", ".*-(\\d+)", 0, "__tmp_ordinal", "$1", Action.REPLACE),
        new RelabelConfig(List.of("__address__"), ";", "(.*)", replicas, "__tmp_shard", "$1", Action.HASHMOD),
        new RelabelConfig(List.of("__tmp_shard"), ";", "(.*)", 0, "__tmp_ordinal", "$1", Action.KEEPEQUAL));
  }

  @Test
  void hashmodOnAddress_eachOf300PodTargetsKeptByExactlyOneReplica() throws Exception {
    try (MockApi api = new MockApi()) {
      for (int i = 0; i < 300; i++) {
        api.create(api.parse("""
            apiVersion: v1
            kind: Pod
            metadata: {name: app-%d, namespace: load}
            spec:
              nodeName: node-a
              containers:
              - {name: app, image: app:1, ports: [{name: metrics, containerPort: 8080}]}
            status: {phase: Running, podIP: 10.2.%d.%d}
            """.formatted(i, i / 250, i % 250)));
      }
      KubernetesSdConfig sd = api.sd("pod");
      try (Discoverer d = new FabricKubernetesDiscovererProvider(
          new ClusterEnvironment(Path.of("/nonexistent"), Map.of()), 100).create(sd, "shard", System.getLogger("t"))) {
        GroupCollector c = GroupCollector.start(d);
        c.await("300 pods", x -> x.current.size() == 300);
        List<Map<String, String>> targets = c.targets();
        assertThat(targets).hasSize(300);
        for (int replicas : new int[] {3, 2}) {
          Map<String, Integer> keptBy = new HashMap<>();
          int[] perReplica = new int[replicas];
          for (int ordinal = 0; ordinal < replicas; ordinal++) {
            for (Map<String, String> t : targets) {
              Labels out = Relabeler.process(Labels.fromMap(t), shard(replicas, ordinal));
              Labels byName = Relabeler.process(Labels.fromMap(t), shardByPodName(replicas, "otelcol-java-shard-" + ordinal));
              assertThat(byName != null).as("pod-name variant agrees").isEqualTo(out != null);
              if (out != null) {
                assertThat(keptBy.put(t.get("__address__"), ordinal)).as("kept twice: " + t.get("__address__")).isNull();
                perReplica[ordinal]++;
              }
            }
          }
          assertThat(keptBy).as("every target kept by exactly one of " + replicas).hasSize(300);
          for (int n : perReplica) {
            assertThat(n).as("each replica gets a share").isGreaterThan(300 / replicas / 2);
          }
        }
      }
    }
  }
}
