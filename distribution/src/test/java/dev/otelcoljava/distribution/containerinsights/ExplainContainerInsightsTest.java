package dev.otelcoljava.distribution.containerinsights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.explain.Explain;
import dev.otelcoljava.runtime.explain.OfflinePipeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code explain} on the eks-fargate-container-insights scenario over two scrapes of the cAdvisor
 * fixture: the per-stage report (receiver, each processor in pipeline order, the awsemf events) is
 * pinned by a golden text. Runs the same code as {@code otelcol-java explain} ({@code
 * ExplainCommand}), with resourcedetection reading a test environment.
 */
class ExplainContainerInsightsTest {
  static String report() throws Exception {
    try (OfflinePipeline p = ContainerInsightsRun.open(ContainerInsightsRun.SCENARIOS.get(0), true)) {
      return Explain.run(p, List.of(new Explain.Input("kubelet-metrics-cadvisor.txt", ContainerInsightsRun.scrape1()),
          new Explain.Input("kubelet-metrics-cadvisor+60s.txt", ContainerInsightsRun.scrape2())),
          ContainerInsightsRun.SCRAPE1_MS, 3);
    }
  }

  @Test
  void explain_printsThePerStageAccount_pinnedByGolden() throws Exception {
    String text = report();
    ContainerInsightsRun.assertGolden("explain-eks-fargate-container-insights.txt", text);
    // the account names every stage in pipeline order
    int at = 0;
    for (String stage : List.of("receiver prometheus:", "processor metricstransform/label_1:", "processor resourcedetection:",
        "processor metricstransform/rename:", "processor filter:", "processor cumulativetodelta:", "processor deltatorate:",
        "processor metricsgeneration/1:", "processor metricsgeneration/2:", "processor metricstransform/label_2:",
        "processor batch:", "exporter awsemf:")) {
      int i = text.indexOf(stage, at);
      assertThat(i).as(stage).isGreaterThanOrEqualTo(0);
      at = i;
    }
  }
}
