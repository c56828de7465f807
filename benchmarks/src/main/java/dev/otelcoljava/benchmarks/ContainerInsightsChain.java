package dev.otelcoljava.benchmarks;

import dev.otelcoljava.processor.resourcedetection.ResourceDetectionProcessorFactory;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.internal.config.ComponentRegistry;
import dev.otelcoljava.runtime.internal.service.Service;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The eks-fargate-container-insights scenario and cAdvisor scrapes for the benchmarks: the config
 * loaded unchanged (offline), the Fargate node target as kubernetes_sd discovers it, and scrape
 * bodies of the real kubelet fixture with counters advanced.
 */
final class ContainerInsightsChain {
  static final String FIXTURE = "cadvisor/nri-kubernetes-1_35/kubelet-metrics-cadvisor.txt";
  /** Sample lines in the fixture: the input series of one scrape. */
  static final int SERIES = 4621;

  private ContainerInsightsChain() {}

  static Service service() throws Exception {
    Path scenario = Fixtures.dir().resolveSibling("scenarios").resolve("eks-fargate-container-insights.yaml");
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_RESOURCE_ATTRIBUTES", "ClusterName=bench");
    ComponentRegistry.Builder b = ComponentRegistry.builder();
    for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
      if (!(f instanceof ResourceDetectionProcessorFactory)) {
        b.add(f);
      }
    }
    b.add(new ResourceDetectionProcessorFactory(env::get, Files.createTempDirectory("bench-root")));
    return Service.builder().yaml(Files.readString(scenario)).env(env).registry(b.build()).offline(true)
        .configureLogging(false).build();
  }

  static Map<String, String> nodeTarget() {
    Map<String, String> m = new LinkedHashMap<>();
    String node = "fargate-ip-192-168-67-2.ec2.internal";
    m.put("__address__", "192.168.67.2:10250");
    m.put("__meta_kubernetes_node_name", node);
    m.put("__meta_kubernetes_node_label_eks_amazonaws_com_compute_type", "fargate");
    m.put("__meta_kubernetes_node_label_kubernetes_io_hostname", node);
    return m;
  }

  /**
   * The fixture as the {@code n}-th scrape: timestamps dropped when {@code keepTimestamps} is
   * false (the scrape time then applies), every counter advanced by {@code n * 60}.
   */
  static byte[] scrape(int n, boolean keepTimestamps, long addMs) throws IOException {
    Map<String, String> types = new HashMap<>();
    StringBuilder out = new StringBuilder();
    int samples = 0;
    for (String line : Files.readAllLines(Fixtures.dir().resolve(FIXTURE), StandardCharsets.UTF_8)) {
      if (line.startsWith("# TYPE ")) {
        String[] f = line.split(" ");
        types.put(f[2], f[3]);
      }
      if (line.isEmpty() || line.startsWith("#")) {
        out.append(line).append('\n');
        continue;
      }
      samples++;
      int brace = line.lastIndexOf('}');
      int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
      String name = line.substring(0, nameEnd);
      String labels = brace >= 0 ? line.substring(0, brace + 1) : name;
      String[] rest = line.substring(labels.length()).trim().split(" ");
      BigDecimal v = new BigDecimal(rest[0]);
      if ("counter".equals(types.get(name))) {
        v = v.add(BigDecimal.valueOf(60L * n));
      }
      out.append(labels).append(' ').append(v.toPlainString());
      if (keepTimestamps && rest.length > 1) {
        out.append(' ').append(Long.parseLong(rest[1]) + addMs);
      }
      out.append('\n');
    }
    if (samples != SERIES) {
      throw new IllegalStateException("the fixture has " + samples + " samples, the benchmark expects " + SERIES);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
