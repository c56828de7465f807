package dev.otelcoljava.distribution.containerinsights;

import static dev.otelcoljava.distribution.containerinsights.ContainerInsightsRun.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole Container Insights chain over the real kubelet cAdvisor fixture: each
 * eks-fargate-container-insights scenario, loaded unchanged by the runtime, runs its metrics
 * pipeline (the prometheus receiver's own relabeling and mapping of the scraped body, then the ten
 * processors: metricstransform, resourcedetection, filter, cumulativetodelta, deltatorate,
 * metricsgeneration, batch) over two scrapes of the fixture, the second 60 s later with advanced
 * counters ({@link ContainerInsightsRun}). The three variants give identical output, which equals
 * the golden file; a few values are computed here by hand.
 *
 * <p>The scrapes are injected at the receiver's input (the body the scrape would have read, see
 * {@link dev.otelcoljava.runtime.api.ReceiverReplay}); discovery and HTTP are not part of this test.
 */
class ContainerInsightsChainFixtureTest {
  private static List<MetricsBatch> out;

  @BeforeAll
  static void run() throws Exception {
    out = ContainerInsightsRun.run(ContainerInsightsRun.SCENARIOS.get(0));
  }

  @Test
  void threeVariants_giveIdenticalOutput_equalToGolden() throws Exception {
    String text = ContainerInsightsRun.render(out);
    ContainerInsightsRun.assertGolden("chain-output.txt", text);
    for (String variant : ContainerInsightsRun.SCENARIOS.subList(1, 3)) {
      assertThat(ContainerInsightsRun.render(ContainerInsightsRun.run(variant))).as(variant).isEqualTo(text);
    }
  }

  @Test
  void output_isTheContainerInsightsMetricSet_withItsDimensions() {
    TreeSet<String> names = new TreeSet<>();
    for (MetricsBatch b : out) {
      for (ResourceMetrics rm : b.resourceMetrics()) {
        assertThat(rm.resource().getString("ClusterName")).isEqualTo(ContainerInsightsRun.CLUSTER);
        for (ScopeMetrics sm : rm.scopeMetrics()) {
          for (Metric m : sm.metrics()) {
            names.add(m.name());
            for (DataPoint d : m.points()) {
              Attributes a = d.attributes();
              assertThat(a.getString("Type")).as(m.name()).isEqualTo(m.name().startsWith("pod_") ? "Pod" : "Container");
              assertThat(a.getString("LaunchType")).as(m.name()).isEqualTo("fargate");
              assertThat(a.getString("NodeName")).as(m.name()).isEqualTo(ContainerInsightsRun.NODE);
              assertThat(a.getString("PodName")).as(m.name()).isNotEmpty();
              assertThat(a.getString("Namespace")).as(m.name()).isNotEmpty();
              // renamed away by the chain
              assertThat(a.containsKey("pod") || a.containsKey("namespace") || a.containsKey("kubernetes_io_hostname")
                  || a.containsKey("eks_amazonaws_com_compute_type")).as(m.name()).isFalse();
            }
          }
        }
      }
    }
    // the pod metrics the scenario's awsemf metric_declarations select
    assertThat(names).contains("pod_cpu_utilization_over_pod_limit", "pod_cpu_usage_total", "pod_cpu_limit",
        "pod_memory_utilization_over_pod_limit", "pod_memory_working_set", "pod_memory_limit",
        "pod_network_rx_bytes", "pod_network_tx_bytes");
    assertThat(names).contains("container_cpu_usage_seconds_total", "container_memory_working_set",
        "container_memory_limit", "container_cpu_request", "container_memory_pgfault");
    assertThat(names).allMatch(n -> n.startsWith("pod_") || n.startsWith("container_"));
    assertThat(names).noneMatch(n -> n.startsWith("new_container_"));
  }

  @Test
  void handComputedValues() {
    Map<String, String> hpa = Map.of("PodName", "e2e-hpa-6cd8d99884-tggnr", "Namespace", "scraper");
    // CPU advanced by 3 s over the 60 s between the samples' timestamps: 0.05 core = 50 millicores
    assertThat(values(out, "pod_cpu_usage_seconds_total", hpa)).singleElement().satisfies(v -> assertThat(v).isCloseTo(0.05, within(1e-9)));
    assertThat(values(out, "pod_cpu_usage_total", hpa)).singleElement().satisfies(v -> assertThat(v).isCloseTo(50, within(1e-6)));
    // pod-level container_spec_cpu_quota 50000 (µs per 100 ms period) / 100 = 500 millicores, in both scrapes
    assertThat(values(out, "pod_cpu_limit", hpa)).containsExactly(500.0, 500.0);
    // 50 / 500 millicores = 10 %
    assertThat(values(out, "pod_cpu_utilization_over_pod_limit", hpa)).singleElement()
        .satisfies(v -> assertThat(v).isCloseTo(10, within(1e-9)));
    // e2e-daemonset-kb65b: quota 8000 -> 80 millicores; 50 / 80 = 62.5 %
    Map<String, String> ds = Map.of("PodName", "e2e-daemonset-kb65b");
    assertThat(values(out, "pod_cpu_utilization_over_pod_limit", ds)).singleElement()
        .satisfies(v -> assertThat(v).isCloseTo(62.5, within(1e-9)));
    // coredns: working set 1.6232448e+07 B / limit 1.7825792e+08 B = 9.10615808823... %
    Map<String, String> dns = Map.of("PodName", "coredns-7d764666f9-qdcxt");
    assertThat(values(out, "pod_memory_utilization_over_pod_limit", dns))
        .allSatisfy(v -> assertThat(v).isCloseTo(16232448.0 / 178257920.0 * 100, within(1e-9))).hasSize(2);
    // e2e-hpa has no memory limit (0): no utilization point (division by zero is skipped)
    assertThat(values(out, "pod_memory_utilization_over_pod_limit", hpa)).isEmpty();
    // network per interface: 60000 B / 60 s = 1000 B/s received, 30000 / 60 = 500 sent, 1500 in total
    Map<String, String> eth0 = Map.of("PodName", "coredns-7d764666f9-qdcxt", "interface", "eth0");
    assertThat(values(out, "pod_network_rx_bytes", eth0)).singleElement().satisfies(v -> assertThat(v).isCloseTo(1000, within(1e-9)));
    assertThat(values(out, "pod_network_tx_bytes", eth0)).singleElement().satisfies(v -> assertThat(v).isCloseTo(500, within(1e-9)));
    assertThat(values(out, "pod_network_total_bytes", eth0)).singleElement().satisfies(v -> assertThat(v).isCloseTo(1500, within(1e-9)));
    // memory failures: 120 / 60 s = 2 per second, for pods and containers
    assertThat(values(out, "pod_memory_pgfault", dns)).singleElement().satisfies(v -> assertThat(v).isCloseTo(2, within(1e-9)));
    assertThat(values(out, "container_memory_pgfault", Map.of("PodName", "coredns-7d764666f9-qdcxt", "container", "coredns")))
        .singleElement().satisfies(v -> assertThat(v).isCloseTo(2, within(1e-9)));
    // container CPU: 3 s / 60 s = 0.05 core
    assertThat(values(out, "container_cpu_usage_seconds_total", Map.of("PodName", "coredns-7d764666f9-qdcxt", "container", "coredns")))
        .singleElement().satisfies(v -> assertThat(v).isCloseTo(0.05, within(1e-9)));
  }
}
