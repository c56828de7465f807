package dev.otelcoljava.distribution.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.Action;
import dev.otelcoljava.receiver.prometheus.relabel.RelabelConfig;
import dev.otelcoljava.receiver.prometheus.relabel.Relabeler;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.aws.SigV4VerifyingProxy;
import dev.otelcoljava.testing.peers.VictoriaMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out as {@code configs/kubernetes/statefulset-sharded.yaml} ships it: its ConfigMap's
 * config, unchanged, run by three {@code bin/otelcol-java} processes ({@link CollectorPod}, env
 * vars as the StatefulSet sets them: POD_NAME {@code otelcol-java-shard-<ordinal>}, SHARD_COUNT,
 * AWS_REGION, AMP_REMOTE_WRITE_URL) against one API server with 300 annotated pods, each pod's
 * metrics port a separate 127.0.0.1 port of one {@link TargetServers}. Which collector process
 * scraped which target is read from the kernel's socket table. Then the StatefulSet is scaled to
 * two: replica 2 stops, replicas 0 and 1 restart with SHARD_COUNT=2.
 */
class ShardedCollectorsIT {
  static final int TARGETS = 300;
  static final String AMP_HOST = "aps-workspaces.eu-west-1.amazonaws.com";
  static final String ACCESS_KEY = "AKIDSHARDTEST";
  static final String SECRET_KEY = "shard-test-secret";
  /** scrape_interval of the shipped config. */
  static final Duration INTERVAL = Duration.ofSeconds(30);

  @Test
  void threeReplicasThenTwo_everyTargetScrapedByExactlyOneCollector(@TempDir Path dir) throws Exception {
    long t0 = System.nanoTime();
    Path launcher = CollectorPod.launcher();
    Pki pki = Pki.create(dir.resolve("pki"));
    List<Integer> ports = new ArrayList<>();
    List<CollectorPod> running = new ArrayList<>();
    try (TargetServers targets = new TargetServers((port, path) -> path.equals("/metrics")
            ? "# TYPE app_requests counter\napp_requests_total{port=\"" + port + "\"} 1\n" : null);
        KubeApiServer api = KubeApiServer.start(0, pki);
        VictoriaMetrics vm = VictoriaMetrics.start(dir.resolve("vm"));
        SigV4VerifyingProxy proxy = SigV4VerifyingProxy.start(vm.baseUrl(), ACCESS_KEY, SECRET_KEY).expectScope("aps", "eu-west-1")) {
      for (int i = 0; i < TARGETS; i++) {
        ports.add(targets.listen(0));
      }
      List<Pod> pods = new ArrayList<>();
      for (int i = 0; i < TARGETS; i++) {
        pods.add(api.parse("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: app-%1$d
              namespace: load
              annotations: {prometheus.io/scrape: "true"}
            spec:
              nodeName: node-%2$d
              containers:
              - {name: app, image: app:1, ports: [{name: metrics, containerPort: %3$d}]}
            status: {phase: Running, podIP: 127.0.0.1, podIPs: [{ip: 127.0.0.1}]}
            """.formatted(i, i % 10, ports.get(i))));
      }
      api.createAll(pods);
      log(t0, TARGETS + " targets listening, pods created");
      // the StatefulSet's own pods are in the cluster too, not annotated: never scraped
      Manifest m = manifest(api);
      assertThat(m.replicas()).isEqualTo(3);
      Path config = dir.resolve("otel-config.yaml");
      Files.writeString(config, m.config());

      // ---- three replicas ----
      for (int ordinal = 0; ordinal < 3; ordinal++) {
        running.add(startReplica(launcher, dir, config, pki, api, proxy, ordinal, 3, "a"));
      }
      log(t0, "3 replicas started");
      Map<Integer, Long> owner3 = awaitExactlyOneEach(targets, ports, running);
      assertShares(owner3, running);
      assertOrdinals(owner3, running);
      log(t0, "3 replicas: every target scraped by exactly one");

      // ---- scale to two: replica 2 goes away, 0 and 1 restart with the new count ----
      running.forEach(c -> c.process().terminate()); // all at once, as a rollout of the new spec does
      for (CollectorPod c : running) {
        assertThat(c.stop()).as("graceful exit of " + c.dir().getFileName()).isZero();
      }
      running.clear();
      targets.clear();
      log(t0, "3 replicas stopped");
      for (int ordinal = 0; ordinal < 2; ordinal++) {
        running.add(startReplica(launcher, dir, config, pki, api, proxy, ordinal, 2, "b"));
      }
      Map<Integer, Long> owner2 = awaitExactlyOneEach(targets, ports, running);
      assertShares(owner2, running);
      assertOrdinals(owner2, running);
      log(t0, "2 replicas: every target scraped by exactly one");

      // every target's series reached the remote-write sink, signed
      vm.flush();
      String up = vm.query("count(count by (instance) (app_requests_total{job=\"pod_exporter\"}))", null);
      assertThat(up).contains("\"" + TARGETS + "\"");
      assertThat(proxy.rejections()).isEmpty();
      assertThat(proxy.accepted()).isNotEmpty();
    } finally {
      running.forEach(CollectorPod::close);
    }
  }

  static void log(long t0, String what) {
    System.out.printf("ShardedCollectorsIT +%.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
  }

  /**
   * Replica k (POD_NAME otelcol-java-shard-k) owns exactly the targets whose hashmod of
   * __address__ by the replica count is k, as the shipped relabel rules say.
   */
  static void assertOrdinals(Map<Integer, Long> owner, List<CollectorPod> collectors) {
    List<RelabelConfig> hashmod = List.of(new RelabelConfig(List.of("__address__"), ";", "(.*)", collectors.size(),
        "__tmp_shard", "$1", Action.HASHMOD));
    for (Map.Entry<Integer, Long> e : owner.entrySet()) {
      Labels out = Relabeler.process(Labels.of("__address__", "127.0.0.1:" + e.getKey()), hashmod);
      int shard = Integer.parseInt(out.get("__tmp_shard"));
      assertThat(e.getValue()).as("owner of 127.0.0.1:" + e.getKey() + " (shard " + shard + ")")
          .isEqualTo(collectors.get(shard).pid());
    }
  }

  record Manifest(String config, int replicas) {}

  /** The ConfigMap's otel-config.yaml and the StatefulSet's replicas, from the shipped manifest. */
  static Manifest manifest(KubeApiServer api) throws Exception {
    Path file = SharedFiles.repoDir().resolve("configs/kubernetes/statefulset-sharded.yaml");
    String config = null;
    int replicas = -1;
    try (InputStream in = Files.newInputStream(file)) {
      for (HasMetadata o : api.client().load(in).items()) {
        if (o instanceof ConfigMap cm) {
          config = cm.getData().get("otel-config.yaml");
        } else if (o instanceof StatefulSet ss) {
          replicas = ss.getSpec().getReplicas();
          // the env the manifest gives SHARD_COUNT must match replicas
          String count = ss.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getName().equals("SHARD_COUNT")).findFirst().orElseThrow().getValue();
          assertThat(Integer.parseInt(count)).as("SHARD_COUNT = replicas in the manifest").isEqualTo(replicas);
        }
      }
    }
    assertThat(config).as("ConfigMap otel-config.yaml in " + file).isNotNull();
    return new Manifest(config, replicas);
  }

  static CollectorPod startReplica(Path launcher, Path dir, Path config, Pki pki, KubeApiServer api,
      SigV4VerifyingProxy proxy, int ordinal, int count, String generation) throws Exception {
    String token = "token-shard-" + generation + ordinal;
    api.addAccount("shard-" + generation + ordinal, token);
    Map<String, String> env = new HashMap<>(Map.of(
        "POD_NAME", "otelcol-java-shard-" + ordinal,
        "SHARD_COUNT", Integer.toString(count),
        "AWS_REGION", "eu-west-1",
        "AMP_REMOTE_WRITE_URL", "http://" + AMP_HOST + ":" + proxy.port() + "/api/v1/write",
        "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_EC2_METADATA_DISABLED", "true",
        "KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", Integer.toString(api.port())));
    return CollectorPod.start(launcher, "shard-" + generation + ordinal, dir, config, env, pki, token, "otelcol-java", AMP_HOST);
  }

  /**
   * Waits until the collectors are up and every target has been scraped, then one more scrape
   * interval (by then every collector has scraped each of its targets at least once, so a target
   * kept by two would show two processes), and returns the owner process of each target port.
   */
  static Map<Integer, Long> awaitExactlyOneEach(TargetServers targets, List<Integer> ports, List<CollectorPod> collectors) {
    for (CollectorPod c : collectors) {
      targets.watchProcess(c.pid());
    }
    for (CollectorPod c : collectors) {
      c.awaitReady();
    }
    long readyAt = System.nanoTime();
    long deadline = readyAt + INTERVAL.plusSeconds(45).toNanos();
    long settle = readyAt + INTERVAL.plusSeconds(5).toNanos();
    Set<Integer> portSet = new HashSet<>(ports);
    while (true) {
      Map<Integer, Map<Long, Integer>> counts = targets.countsByPortAndPid();
      boolean all = counts.keySet().containsAll(portSet);
      if (all && System.nanoTime() > settle) {
        Map<Integer, Long> owner = new HashMap<>();
        for (int port : ports) {
          Map<Long, Integer> byPid = counts.get(port);
          assertThat(byPid.keySet()).as("processes that scraped target 127.0.0.1:" + port + " (-1: not a collector)")
              .hasSize(1).doesNotContain(-1L);
          owner.put(port, byPid.keySet().iterator().next());
        }
        return owner;
      }
      if (System.nanoTime() > deadline) {
        Set<Integer> missing = new HashSet<>(portSet);
        missing.removeAll(counts.keySet());
        StringBuilder logs = new StringBuilder();
        for (CollectorPod c : collectors) {
          logs.append("\n--- ").append(c.dir().getFileName()).append(":\n").append(c.process().tail());
        }
        throw new AssertionError(missing.size() + " targets never scraped, e.g. " + missing.stream().limit(5).toList() + logs);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Each replica got a fair part (hashmod over 300 addresses: no replica empty or hogging). */
  static void assertShares(Map<Integer, Long> owner, List<CollectorPod> collectors) {
    Map<Long, Long> perPid = owner.values().stream().collect(Collectors.groupingBy(p -> p, Collectors.counting()));
    assertThat(perPid.keySet()).containsExactlyInAnyOrderElementsOf(collectors.stream().map(CollectorPod::pid).toList());
    for (long n : perPid.values()) {
      assertThat(n).as("targets per replica " + perPid).isBetween((long) TARGETS / collectors.size() / 2,
          (long) TARGETS * 2 / collectors.size());
    }
  }
}
