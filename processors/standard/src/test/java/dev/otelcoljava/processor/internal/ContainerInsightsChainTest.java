package dev.otelcoljava.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.ComponentFactory;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.api.data.Temporality;
import dev.otelcoljava.testing.MetricsSink;
import dev.otelcoljava.testing.SharedFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The processor chain of the eks-fargate-container-insights scenarios (without resourcedetection
 * and batch) over two hand-made cAdvisor scrapes, with values computed by hand. The three variants
 * must give the same result.
 */
class ContainerInsightsChainTest {
  private static final long SEC = 1_000_000_000L;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static MetricsConsumer chain(String file, MetricsSink sink) throws Exception {
    Map<String, ProcessorFactory<Object>> factories = new HashMap<>();
    for (ComponentFactory f : ServiceLoader.load(ComponentFactory.class)) {
      if (f instanceof ProcessorFactory pf) {
        factories.put(pf.type(), pf);
        for (Object alias : pf.deprecatedTypes()) {
          factories.put((String) alias, pf);
        }
      }
    }
    String text = Files.readString(SharedFiles.scenarios().resolve(file)).replace("$$", "$");
    Map<String, Object> root = new ObjectMapper(new YAMLFactory()).readValue(text, Map.class);
    Map<String, Object> processors = (Map<String, Object>) root.get("processors");
    Map<String, Object> pipeline = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) root.get("service"))
        .get("pipelines")).get("metrics");
    List<String> ids = new ArrayList<>((List<String>) pipeline.get("processors"));
    ids.removeIf(id -> id.startsWith("resourcedetection") || id.startsWith("batch"));
    MetricsConsumer next = sink;
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      String type = id.contains("/") ? id.substring(0, id.indexOf('/')) : id;
      ConfigProblems problems = new ConfigProblems();
      ConfigNode node = ConfigNode.root(processors.get(id), "processors::" + id, problems);
      Object config = factories.get(type).createConfig(node, type);
      assertThat(problems.errors()).isEmpty();
      next = factories.get(type).createProcessor(new TestSupport.Telemetry().settings(id), config, next);
    }
    return next;
  }

  private static Attributes node(Object... more) {
    Attributes a = Attributes.of("kubernetes_io_hostname", "fargate-ip-1", "eks_amazonaws_com_compute_type", "fargate",
        "namespace", "ns1", "pod", "web-1");
    for (int i = 0; i < more.length; i += 2) {
      a.put((String) more[i], more[i + 1]);
    }
    return a;
  }

  private static NumberPoint p(double v, long start, long time, Attributes a) {
    return NumberPoint.ofDouble(a, start, time, v);
  }

  /** One scrape; values of the cumulative counters are given per scrape. */
  private static MetricsBatch scrape(long start, long time, double podCpu, double appCpu, double rx, double tx) {
    MetricsBatch b = new MetricsBatch();
    ScopeMetrics s = b.addResource(Attributes.of("service.name", "kubelets-cadvisor-metrics")).addScope("otelcol/prometheusreceiver", "");
    Attributes pod = node("container", "", "image", "", "id", "/kubepods/pod1", "name", "");
    Attributes app = node("container", "app", "image", "nginx", "id", "/kubepods/pod1/abc", "name", "abc");
    Metric cpu = Metric.sum("container_cpu_usage_seconds_total", Temporality.CUMULATIVE, true);
    cpu.addPoint(p(podCpu, start, time, pod.copy()));
    cpu.addPoint(p(appCpu, start, time, app.copy()));
    Metric quota = Metric.gauge("container_spec_cpu_quota");
    quota.addPoint(p(50000, 0, time, pod.copy()));
    Metric ws = Metric.gauge("container_memory_working_set_bytes");
    ws.addPoint(p(200 * 1048576.0, 0, time, pod.copy()));
    ws.addPoint(p(150 * 1048576.0, 0, time, app.copy()));
    Metric limit = Metric.gauge("container_spec_memory_limit_bytes");
    limit.addPoint(p(400 * 1048576.0, 0, time, pod.copy()));
    Metric rxm = Metric.sum("container_network_receive_bytes_total", Temporality.CUMULATIVE, true);
    rxm.addPoint(p(rx, start, time, node("interface", "eth0", "id", "/kubepods/pod1", "name", "")));
    Metric txm = Metric.sum("container_network_transmit_bytes_total", Temporality.CUMULATIVE, true);
    txm.addPoint(p(tx, start, time, node("interface", "eth0", "id", "/kubepods/pod1", "name", "")));
    Metric unrelated = Metric.gauge("machine_cpu_cores");
    unrelated.addPoint(p(2, 0, time, Attributes.of("kubernetes_io_hostname", "fargate-ip-1")));
    s.metrics().addAll(List.of(cpu, quota, ws, limit, rxm, txm, unrelated));
    return b;
  }

  private static String summary(MetricsBatch b) {
    TreeMap<String, String> lines = new TreeMap<>();
    for (var r : b.resourceMetrics()) {
      for (var s : r.scopeMetrics()) {
        for (Metric m : s.metrics()) {
          for (DataPoint d : m.points()) {
            NumberPoint n = (NumberPoint) d;
            Attributes a = d.attributes();
            lines.put(m.name() + " " + m.type() + (m.unit().isEmpty() ? "" : " " + m.unit()), String.format(java.util.Locale.ROOT,
                "%.6f Type=%s PodName=%s Namespace=%s LaunchType=%s NodeName=%s container=%s", n.value(),
                a.getString("Type"), a.getString("PodName"), a.getString("Namespace"), a.getString("LaunchType"),
                a.getString("NodeName"), a.getString("container")));
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    lines.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
    return sb.toString();
  }

  private static String run(String file) throws Exception {
    MetricsSink sink = new MetricsSink();
    MetricsConsumer c = chain(file, sink);
    long now = System.currentTimeMillis() * 1_000_000L;
    long start = now - 3600 * SEC; // counters started before the collector: the first scrape only sets baselines
    c.consume(scrape(start, now - 60 * SEC, 10, 8, 1000, 500));
    sink.clear();
    c.consume(scrape(start, now, 16, 12.5, 7000, 3500));
    return summary(sink.batches().get(0));
  }

  @Test
  void chain_givesHandComputedContainerInsightsValues_inAllThreeVariants() throws Exception {
    // pod cpu: (16-10)/60s = 0.1 core = 100 millicore; limit 50000/100 = 500 millicore -> 20 %
    // app cpu: (12.5-8)/60 = 0.075; memory 200/400 MiB -> 50 %; rx 6000/60 = 100 B/s, tx 3000/60 = 50 B/s
    // container_* metrics need a non-empty "container" label, so the pod-level limits yield none
    String expected = """
        container_cpu_usage_seconds_total GAUGE = 0.075000 Type=Container PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=app
        container_memory_working_set GAUGE = 157286400.000000 Type=Container PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=app
        pod_cpu_limit GAUGE Millicore = 500.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=
        pod_cpu_limit_raw GAUGE = 50000.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=
        pod_cpu_usage_seconds_total GAUGE = 0.100000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=
        pod_cpu_usage_total GAUGE Millicore = 100.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=
        pod_cpu_utilization_over_pod_limit GAUGE Percent = 20.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=
        pod_memory_limit GAUGE = 419430400.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=
        pod_memory_utilization_over_pod_limit GAUGE Percent = 50.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=
        pod_memory_working_set GAUGE = 209715200.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=
        pod_network_rx_bytes GAUGE = 100.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=null
        pod_network_total_bytes GAUGE Bytes/Second = 150.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=null
        pod_network_tx_bytes GAUGE = 50.000000 Type=Pod PodName=web-1 Namespace=ns1 LaunchType=fargate NodeName=fargate-ip-1 container=null
        """;
    assertThat(run("eks-fargate-container-insights.yaml")).isEqualTo(expected);
    assertThat(run("eks-fargate-container-insights-2022.yaml")).isEqualTo(expected);
    assertThat(run("eks-fargate-container-insights-2022b.yaml")).isEqualTo(expected);
  }
}
