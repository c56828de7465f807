package dev.otelcoljava.distribution.containerinsights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.testing.SharedFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Container Insights chain's output through the awsemf exporter as the scenario configures it:
 * the EMF log events (the exporter's own translation) equal the golden documents, every event that
 * carries metrics validates against the published EMF schema (fixtures/emf/aws-docs/emf-schema.json)
 * and the specification's cross-field rules, every Pod event against ADOT's EKS Fargate Pod
 * validator schema, and the events carry exactly the scenario's three dimension sets for the eight
 * declared pod metrics.
 */
class ContainerInsightsEmfTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<String> emf;
  /** The scenario's metric_name_selectors. */
  static final List<String> DECLARED = List.of("pod_cpu_utilization_over_pod_limit", "pod_cpu_usage_total",
      "pod_cpu_limit", "pod_memory_utilization_over_pod_limit", "pod_memory_working_set", "pod_memory_limit",
      "pod_network_rx_bytes", "pod_network_tx_bytes");

  @BeforeAll
  static void run() throws Exception {
    emf = ContainerInsightsRun.run(ContainerInsightsRun.SCENARIOS.get(0), 0).emf();
  }

  static JsonNode message(String line) throws Exception {
    return JSON.readTree(line.substring(line.indexOf(": ") + 2));
  }

  @Test
  void events_equalGolden_andAreTheSameForAllThreeVariants() throws Exception {
    String text = String.join("\n", emf) + "\n";
    ContainerInsightsRun.assertGolden("emf-events.txt", text);
    for (String variant : ContainerInsightsRun.SCENARIOS.subList(1, 3)) {
      assertThat(ContainerInsightsRun.run(variant, 0).emf()).as(variant).isEqualTo(emf);
    }
  }

  @Test
  void eventsWithMetrics_validateAgainstTheEmfSchema_andPodEventsAgainstTheFargateValidator() throws Exception {
    JsonNode emfSchema = JSON.readTree(SharedFiles.fixtures().resolve("emf/aws-docs/emf-schema.json").toFile());
    JsonNode podSchema = JSON.readTree(SharedFiles.fixtures()
        .resolve("emf/aws-otel-test-framework-validator/container-insight/eks/fargate/Pod.json").toFile());
    int withMetrics = 0;
    int pods = 0;
    for (String line : emf) {
      JsonNode doc = message(line);
      String type = doc.path("Type").asText();
      if (doc.has("_aws")) {
        withMetrics++;
        // The scenario's own metricsgeneration rules give pod_cpu_usage_total and pod_cpu_limit the
        // unit "Millicore", which is not in CloudWatch's unit list; contrib writes a unit it does not
        // know as it is, and so does this exporter. That is the only deviation allowed here.
        List<String> problems = new ArrayList<>(MiniJsonSchema.validate(emfSchema, doc));
        problems.removeIf(p -> p.matches("\\$\\._aws\\.CloudWatchMetrics\\[0]\\.Metrics\\[\\d+]\\.Unit: \"Millicore\" does not match .*"));
        assertThat(problems).as(line).isEmpty();
        for (JsonNode m : doc.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics")) {
          if (m.path("Unit").asText().equals("Millicore")) {
            assertThat(m.get("Name").asText()).isIn("pod_cpu_usage_total", "pod_cpu_limit");
          }
        }
        // the specification's rules beyond the schema: references name root members of the right kind
        for (JsonNode d : doc.get("_aws").get("CloudWatchMetrics")) {
          for (JsonNode set : d.get("Dimensions")) {
            for (JsonNode ref : set) {
              assertThat(doc.path(ref.asText()).isTextual()).as("dimension %s in %s", ref, line).isTrue();
            }
          }
          assertThat(d.get("Metrics").size()).isLessThanOrEqualTo(100);
          for (JsonNode m : d.get("Metrics")) {
            assertThat(doc.path(m.get("Name").asText()).isNumber()).as("metric %s in %s", m, line).isTrue();
          }
        }
      } else {
        // no declared metric in the event: a structured log line, not EMF (as contrib writes it)
        for (String declared : DECLARED) {
          assertThat(doc.has(declared)).as(line).isFalse();
        }
      }
      if (type.equals("Pod")) {
        pods++;
        List<String> problems = new ArrayList<>(MiniJsonSchema.validate(podSchema, doc));
        // Pod-level network series of this (containerd) fixture belong to the pause container, so they
        // carry container_id, which contrib turns into kubernetes.docker.container_id; ADOT's Fargate
        // Pod schema does not list it. The only deviation allowed, and only on such events.
        if (!doc.path("container_id").asText().isEmpty()) {
          problems.remove("$.kubernetes: member docker is not allowed (additionalProperties: false)");
        }
        assertThat(problems).as(line).isEmpty();
      }
      assertThat(line).startsWith("/aws/containerinsights/" + ContainerInsightsRun.CLUSTER + "/performance / "
          + doc.get("PodName").asText() + ": ");
    }
    assertThat(withMetrics).isPositive();
    assertThat(pods).isGreaterThanOrEqualTo(withMetrics);
  }

  @Test
  void declaredPodMetrics_carryTheThreeDimensionSets() throws Exception {
    TreeMap<String, TreeSet<String>> dimsByMetric = new TreeMap<>();
    for (String line : emf) {
      JsonNode doc = message(line);
      if (!doc.has("_aws")) {
        continue;
      }
      assertThat(doc.get("_aws").get("CloudWatchMetrics")).hasSize(1);
      JsonNode d = doc.get("_aws").get("CloudWatchMetrics").get(0);
      assertThat(d.get("Namespace").asText()).isEqualTo("ContainerInsights");
      // each set as written by the exporter, its names sorted (the exporter sorts them, as contrib)
      List<List<String>> sets = new ArrayList<>();
      for (JsonNode set : d.get("Dimensions")) {
        List<String> names = new ArrayList<>();
        set.forEach(n -> names.add(n.asText()));
        names.sort(null);
        sets.add(names);
      }
      for (JsonNode m : d.get("Metrics")) {
        dimsByMetric.computeIfAbsent(m.get("Name").asText(), k -> new TreeSet<>()).add(sets.toString());
      }
    }
    // [ClusterName, LaunchType], [ClusterName, Namespace, LaunchType], [ClusterName, Namespace, PodName, LaunchType]
    String three = "[[ClusterName, LaunchType], [ClusterName, LaunchType, Namespace], [ClusterName, LaunchType, Namespace, PodName]]";
    // metric_name_selectors are unanchored regular expressions (as in contrib): "pod_cpu_limit" also
    // selects pod_cpu_limit_raw
    assertThat(dimsByMetric.keySet()).containsExactlyInAnyOrder("pod_cpu_limit_raw", "pod_cpu_utilization_over_pod_limit",
        "pod_cpu_usage_total", "pod_cpu_limit", "pod_memory_utilization_over_pod_limit", "pod_memory_working_set",
        "pod_memory_limit", "pod_network_rx_bytes", "pod_network_tx_bytes");
    dimsByMetric.forEach((m, sets) -> assertThat(sets).as(m).containsExactly(three));
  }

  @Test
  void handComputedValues_inTheEvents() throws Exception {
    // e2e-hpa, second scrape: 3 s of CPU in 60 s = 50 millicores of a 500-millicore limit = 10 %
    Map<String, List<Double>> hpa = new TreeMap<>();
    for (String line : emf) {
      JsonNode doc = message(line);
      if (doc.path("PodName").asText().equals("e2e-hpa-6cd8d99884-tggnr") && doc.path("Type").asText().equals("Pod")) {
        assertThat(doc.get("kubernetes").get("pod_name").asText()).isEqualTo("e2e-hpa-6cd8d99884-tggnr");
        assertThat(doc.get("kubernetes").get("namespace_name").asText()).isEqualTo("scraper");
        assertThat(doc.get("kubernetes").get("host").asText()).isEqualTo(ContainerInsightsRun.NODE);
        for (String m : List.of("pod_cpu_utilization_over_pod_limit", "pod_cpu_usage_total", "pod_cpu_limit",
            "pod_network_rx_bytes", "pod_network_tx_bytes")) {
          if (doc.has(m)) {
            hpa.computeIfAbsent(m, k -> new ArrayList<>()).add(doc.get(m).asDouble());
          }
        }
      }
    }
    assertThat(hpa.get("pod_cpu_utilization_over_pod_limit")).containsExactly(10.0);
    assertThat(hpa.get("pod_cpu_usage_total")).containsExactly(50.0);
    assertThat(hpa.get("pod_cpu_limit")).containsExactly(500.0, 500.0);
    // per interface: 60000 B / 60 s and 30000 B / 60 s
    assertThat(hpa.get("pod_network_rx_bytes")).isNotEmpty().containsOnly(1000.0);
    assertThat(hpa.get("pod_network_tx_bytes")).isNotEmpty().containsOnly(500.0);
  }
}
