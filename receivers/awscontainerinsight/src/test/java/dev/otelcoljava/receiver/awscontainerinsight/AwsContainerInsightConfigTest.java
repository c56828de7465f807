package dev.otelcoljava.receiver.awscontainerinsight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.MetricsSink;
import dev.otelcoljava.testing.SharedFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class AwsContainerInsightConfigTest {
  private final AwsContainerInsightReceiverFactory factory = new AwsContainerInsightReceiverFactory(k -> null);

  private AwsContainerInsightConfig read(ConfigNode node) {
    AwsContainerInsightConfig c = factory.createConfig(node, "awscontainerinsightreceiver");
    node.reportUnknownKeys();
    return c;
  }

  @Test
  void absent_isUpstreamDefault_60sEks() throws Exception {
    ConfigProblems p = new ConfigProblems();
    assertThat(read(TestSupport.load(null, p))).isEqualTo(
        new AwsContainerInsightConfig(Duration.ofSeconds(60), "eks", false, 1, ""));
    assertThat(p.errors()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void adotShippedEcsConfig_receiverBlockLoads() throws Exception {
    Path adot = SharedFiles.fixtures().resolve("adot/config/ecs/otel-instance-metrics-config.yaml");
    Map<String, Object> doc = new ObjectMapper(new YAMLFactory()).readValue(adot.toFile(), Map.class);
    Object block = ((Map<String, Object>) doc.get("receivers")).get("awscontainerinsightreceiver");
    ConfigProblems p = new ConfigProblems();
    AwsContainerInsightConfig c = read(ConfigNode.root(block, "receivers::awscontainerinsightreceiver", p));
    assertThat(p.errors()).isEmpty();
    assertThat(c.collectionInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.containerOrchestrator()).isEqualTo("ecs");
  }

  @Test
  void everyUpstreamKey_isAccepted() throws Exception {
    ConfigProblems p = new ConfigProblems();
    AwsContainerInsightConfig c = read(TestSupport.load("config-allkeys.yaml", p));
    assertThat(p.errors()).isEmpty();
    assertThat(c).isEqualTo(new AwsContainerInsightConfig(Duration.ofSeconds(30), "ecs", true, 3,
        "ip-10-0-0-1.ec2.internal"));
  }

  @Test
  void unknownKey_isRefusedWithPathAndNearestKey() throws Exception {
    ConfigProblems p = new ConfigProblems();
    read(TestSupport.load("invalid-unknown-key.yaml", p));
    assertThat(p.errors()).singleElement().asString().startsWith(
        "receivers::awscontainerinsightreceiver: unknown key \"colection_interval\"; did you mean \"collection_interval\"?");
  }

  @Test
  void invalidValues_areRefusedWithPathProblemAndFix() throws Exception {
    ConfigProblems p = new ConfigProblems();
    read(TestSupport.load("invalid-values.yaml", p));
    assertThat(p.errors()).containsExactlyInAnyOrder(
        "receivers::awscontainerinsightreceiver::collection_interval: (0s) must be greater than 0, e.g. 60s",
        "receivers::awscontainerinsightreceiver::container_orchestrator: \"k8s\" must be in [eks, ecs]");
    p = new ConfigProblems();
    read(TestSupport.yaml("imds_retries: -1\ncollection_role: SOMETIMES\nnum_workers: -2\n", p));
    assertThat(p.errors()).containsExactlyInAnyOrder(
        "receivers::awscontainerinsightreceiver::imds_retries: (-1) must not be negative, e.g. 1",
        "receivers::awscontainerinsightreceiver::collection_role: (SOMETIMES) must be one of ALL, LEADER, NODE",
        "receivers::awscontainerinsightreceiver::num_workers: (-2) must not be negative");
  }

  @Test
  void eks_loadsButCannotRun_theMessageSaysWhatToDo() {
    assertThatThrownBy(() -> factory.createReceiver(TestSupport.settings(),
        AwsContainerInsightConfig.defaults(), new MetricsSink()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("receivers::awscontainerinsightreceiver::container_orchestrator: eks is not supported"
            + " by otelcol-java (only ECS on EC2 instance metrics are); set container_orchestrator: ecs,"
            + " or remove the receiver from service::pipelines");
  }

  @Test
  void hostPaths_followGopsutilVariables_thenTheCadvisorLayout_thenThisMachine() {
    assertThat(HostPaths.fromEnv(k -> null, p -> false))
        .isEqualTo(new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/")));
    assertThat(HostPaths.fromEnv(k -> null, p -> p.equals("/rootfs/proc")))
        .isEqualTo(new HostPaths(Path.of("/rootfs/proc"), Path.of("/sys"), Path.of("/rootfs")));
    Map<String, String> env = Map.of("HOST_PROC", "/host/proc", "HOST_SYS", "/host/sys", "HOST_ROOT", "/host");
    assertThat(HostPaths.fromEnv(env::get, p -> true))
        .isEqualTo(new HostPaths(Path.of("/host/proc"), Path.of("/host/sys"), Path.of("/host")));
    HostPaths h = new HostPaths(Path.of("/p"), Path.of("/s"), Path.of("/rootfs"));
    assertThat(h.hostPath("/")).isEqualTo(Path.of("/rootfs"));
    assertThat(h.hostPath("/var/lib/docker")).isEqualTo(Path.of("/rootfs/var/lib/docker"));
    assertThat(h.cgroup()).isEqualTo(Path.of("/s/fs/cgroup"));
  }

  @Test
  void factoryContract_typeNamesConfigAndLifecycle() throws Exception {
    try (AgentAndImdsServer standIns = new AgentAndImdsServer()) {
      Map<String, String> env = Map.of("ECS_AGENT_INTROSPECTION_ENDPOINT", standIns.baseUrl(),
          "AWS_EC2_METADATA_SERVICE_ENDPOINT", standIns.baseUrl());
      dev.otelcoljava.testing.FactoryContract.verify(new AwsContainerInsightReceiverFactory(env::get),
          "collection_interval: 10s\ncontainer_orchestrator: ecs\n");
    }
  }

  @Test
  void serviceLoader_findsFactory() {
    boolean found = false;
    for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
      if (f.type().equals("awscontainerinsightreceiver")) {
        found = true;
        assertThat(f.kind()).isEqualTo(ComponentKind.RECEIVER);
      }
    }
    assertThat(found).isTrue();
  }
}
