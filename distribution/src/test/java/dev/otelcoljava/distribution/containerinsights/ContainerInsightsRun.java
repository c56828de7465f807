package dev.otelcoljava.distribution.containerinsights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.resourcedetection.ResourceDetectionProcessorFactory;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.explain.OfflinePipeline;
import dev.otelcoljava.runtime.internal.config.ComponentRegistry;
import dev.otelcoljava.runtime.internal.service.Service;
import dev.otelcoljava.testing.SharedFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Shared by the Container Insights tests: the eks-fargate-container-insights scenarios loaded
 * unchanged by the runtime, and their metrics pipeline run offline ({@link OfflinePipeline}) over
 * two scrapes of the real kubelet {@code /metrics/cadvisor} fixture replayed through the
 * prometheus receiver's own relabeling and mapping. The scrape target is a Fargate node as
 * kubernetes_sd (role node) discovers it, so the job's relabel_configs (labelmap of the node
 * labels, the API server proxy address and path) run as in the cluster.
 *
 * <p>The second scrape is the fixture with every sample timestamp moved 60 s later and the
 * counters advanced by fixed amounts ({@link #ADVANCE}): CPU 3 s, network received 60000 B,
 * transmitted 30000 B, memory failures 120, any other counter 60. Gauges are unchanged.
 */
final class ContainerInsightsRun {
  static final List<String> SCENARIOS = List.of("eks-fargate-container-insights.yaml",
      "eks-fargate-container-insights-2022.yaml", "eks-fargate-container-insights-2022b.yaml");
  static final String CLUSTER = "demo-fargate";
  static final String NODE = "fargate-ip-192-168-67-2.ec2.internal";
  /** The first scrape (ms): just after the newest sample timestamp of the fixture. */
  static final long SCRAPE1_MS = 1_782_468_880_000L;
  static final long STEP_MS = 60_000L;
  static final Map<String, BigDecimal> ADVANCE = Map.of(
      "container_cpu_usage_seconds_total", new BigDecimal("3"),
      "container_network_receive_bytes_total", new BigDecimal("60000"),
      "container_network_transmit_bytes_total", new BigDecimal("30000"),
      "container_memory_failures_total", new BigDecimal("120"));
  static final BigDecimal OTHER_COUNTERS = new BigDecimal("60");

  private ContainerInsightsRun() {}

  static Path fixture() {
    return SharedFiles.fixtures().resolve("cadvisor/nri-kubernetes-1_35/kubelet-metrics-cadvisor.txt");
  }

  /** The discovered labels of the Fargate node target (kubernetes_sd_configs role node). */
  static Map<String, String> nodeTarget() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("__address__", "192.168.67.2:10250");
    m.put("__meta_kubernetes_node_name", NODE);
    m.put("__meta_kubernetes_node_address_InternalIP", "192.168.67.2");
    m.put("__meta_kubernetes_node_label_eks_amazonaws_com_compute_type", "fargate");
    m.put("__meta_kubernetes_node_labelpresent_eks_amazonaws_com_compute_type", "true");
    m.put("__meta_kubernetes_node_label_kubernetes_io_hostname", NODE);
    m.put("__meta_kubernetes_node_labelpresent_kubernetes_io_hostname", "true");
    m.put("__meta_kubernetes_node_label_kubernetes_io_os", "linux");
    m.put("__meta_kubernetes_node_labelpresent_kubernetes_io_os", "true");
    return m;
  }

  /** The component factories, with resourcedetection reading this environment instead of the process's. */
  static ComponentRegistry registry(Map<String, String> env) throws IOException {
    ComponentRegistry.Builder b = ComponentRegistry.builder();
    for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
      if (!(f instanceof ResourceDetectionProcessorFactory)) {
        b.add(f);
      }
    }
    Path root = Files.createTempDirectory("ci-root");
    b.add(new ResourceDetectionProcessorFactory(env::get, root));
    return b.build();
  }

  /** The environment of the collector pod in ADOT's Fargate template. */
  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_RESOURCE_ATTRIBUTES", "ClusterName=" + CLUSTER);
    return env;
  }

  /** The scenario's metrics pipeline, opened offline. */
  static OfflinePipeline open(String scenario, boolean record) throws Exception {
    return OfflinePipeline.open(service(scenario, null).config(), null, nodeTarget(), record, true,
        Service.defaultBuildInfo());
  }

  /**
   * The scenario loaded unchanged (offline: the in-cluster token and CA files are not needed), with
   * an optional second config source merged over it as {@code --config} would.
   */
  static Service service(String scenario, String override) throws Exception {
    String yaml = Files.readString(SharedFiles.scenarios().resolve(scenario));
    Map<String, String> env = env();
    Service.Builder b = Service.builder().yaml(yaml);
    if (override != null) {
      b.yaml(override);
    }
    return b.env(env).registry(registry(env)).offline(true).build();
  }

  static byte[] scrape1() throws IOException {
    return Files.readAllBytes(fixture());
  }

  /** The fixture 60 s later with its counters advanced (see the class comment). */
  static byte[] scrape2() throws IOException {
    return transform(STEP_MS, true);
  }

  /**
   * The fixture with every sample timestamp moved by {@code addMs} and, if {@code advance}, the
   * counters advanced.
   */
  static byte[] transform(long addMs, boolean advance) throws IOException {
    List<String> lines = Files.readAllLines(fixture(), StandardCharsets.UTF_8);
    Map<String, String> types = new HashMap<>();
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      if (line.startsWith("# TYPE ")) {
        String[] f = line.split(" ");
        types.put(f[2], f[3]);
      }
      if (line.isEmpty() || line.startsWith("#")) {
        out.append(line).append('\n');
        continue;
      }
      int brace = line.lastIndexOf('}');
      int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
      String name = line.substring(0, nameEnd);
      String labels = brace >= 0 ? line.substring(0, brace + 1) : name;
      String[] rest = line.substring(labels.length()).trim().split(" ");
      BigDecimal value = new BigDecimal(rest[0]);
      if (advance && "counter".equals(types.get(name))) {
        value = value.add(ADVANCE.getOrDefault(name, OTHER_COUNTERS));
      }
      out.append(labels).append(' ').append(value.toPlainString());
      if (rest.length > 1) {
        out.append(' ').append(Long.parseLong(rest[1]) + addMs);
      }
      out.append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Runs both scrapes through the scenario and returns everything that reached the exporter. */
  static List<MetricsBatch> run(String scenario) throws Exception {
    return run(scenario, 0).exported();
  }

  /** What reached the exporters, and the awsemf exporter's events for it (group / stream: message). */
  record Result(List<MetricsBatch> exported, List<String> emf) {}

  /**
   * Runs both scrapes with every time moved by {@code shiftMs} (0: the fixture's own times), then
   * previews the awsemf events of the exported batches.
   */
  static Result run(String scenario, long shiftMs) throws Exception {
    try (OfflinePipeline p = open(scenario, false)) {
      assertThat(p.interval()).isEqualTo(Duration.ofMinutes(1));
      p.feed(shiftMs == 0 ? scrape1() : transform(shiftMs, false), SCRAPE1_MS + shiftMs);
      p.feed(transform(STEP_MS + shiftMs, true), SCRAPE1_MS + STEP_MS + shiftMs);
      p.finish(Duration.ofSeconds(10));
      List<String> emf = new ArrayList<>();
      var preview = p.previewers().get(dev.otelcoljava.runtime.api.ComponentId.of("awsemf"));
      for (MetricsBatch b : p.exported()) {
        List<String> lines = preview.preview(b.deepCopy());
        emf.addAll(lines.subList(1, lines.size()));
      }
      return new Result(p.exported(), emf);
    }
  }

  /**
   * The output as text: for each resource (sorted), its attributes, then one line per data point,
   * sorted: metric, type, unit, time (ms), value and the point attributes sorted by key.
   */
  static String render(List<MetricsBatch> batches) {
    TreeMap<String, List<String>> byResource = new TreeMap<>();
    for (MetricsBatch b : batches) {
      for (ResourceMetrics rm : b.resourceMetrics()) {
        List<String> lines = byResource.computeIfAbsent(sorted(rm.resource()), k -> new ArrayList<>());
        for (ScopeMetrics sm : rm.scopeMetrics()) {
          for (Metric m : sm.metrics()) {
            for (DataPoint d : m.points()) {
              NumberPoint n = (NumberPoint) d;
              lines.add(m.name() + " " + m.type().name().toLowerCase(Locale.ROOT)
                  + (m.type().name().equals("SUM") ? "/" + m.temporality().name().toLowerCase(Locale.ROOT) : "")
                  + " unit=" + (m.unit().isEmpty() ? "-" : m.unit()) + " t=" + d.timeNanos() / 1_000_000
                  + " v=" + number(n.value()) + " " + sorted(d.attributes()));
            }
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    byResource.forEach((res, lines) -> {
      lines.sort(null);
      sb.append("resource ").append(res).append('\n');
      lines.forEach(l -> sb.append("  ").append(l).append('\n'));
    });
    return sb.toString();
  }

  /** The values of the points of {@code metric} whose attributes include all of {@code match}. */
  static List<Double> values(List<MetricsBatch> batches, String metric, Map<String, String> match) {
    List<Double> out = new ArrayList<>();
    for (MetricsBatch b : batches) {
      for (ResourceMetrics rm : b.resourceMetrics()) {
        for (ScopeMetrics sm : rm.scopeMetrics()) {
          for (Metric m : sm.metrics()) {
            if (!m.name().equals(metric)) {
              continue;
            }
            for (DataPoint d : m.points()) {
              boolean ok = true;
              for (Map.Entry<String, String> e : match.entrySet()) {
                ok &= e.getValue().equals(d.attributes().getString(e.getKey()));
              }
              if (ok) {
                out.add(((NumberPoint) d).value());
              }
            }
          }
        }
      }
    }
    return out;
  }

  static String number(double v) {
    return Double.isFinite(v) ? new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString()
        : Double.toString(v);
  }

  static String sorted(Attributes a) {
    TreeMap<String, String> m = new TreeMap<>();
    a.forEach((k, v) -> m.put(k, Attributes.asString(v)));
    return m.toString();
  }

  /** Compares with a golden file under src/test/resources; -Dgolden.update=true rewrites it. */
  static void assertGolden(String resource, String actual) throws IOException {
    Path file = SharedFiles.repoDir().resolve("distribution/src/test/resources/containerinsights").resolve(resource);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
    }
    assertThat(file).as("golden file %s (create it with -Dgolden.update=true, then review it)", file).exists();
    assertThat(actual).isEqualTo(Files.readString(file));
  }
}
