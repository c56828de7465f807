package dev.otelcoljava.receiver.awsecscontainermetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.testing.MetricsSink;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.peers.EcsMetadataServer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The receiver's own self-metrics. {@code otelcol_receiver_accepted_metric_points} and {@code
 * _refused_} are counted by the runtime around every receiver's consumer (with unit {@code
 * {datapoints}}); a receiver that counted them too doubled the figures and made the SDK warn
 * "Found duplicate metric definition" at every start (seen in the ECS sidecar end-to-end run).
 */
class ReceiverSelfMetricsTest {
  private static final Path CONTRIB = SharedFiles.fixtures().resolve("ecs/otel-contrib-awsecscontainermetricsreceiver");

  @Test
  void collect_countsOnlyFetchErrors_acceptedAndRefusedAreTheRuntimes() throws Exception {
    Reader reader = new Reader();
    try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
         EcsMetadataServer server = EcsMetadataServer.start(
             CONTRIB.resolve("task_metadata.json"), CONTRIB.resolve("task_stats.json"))) {
      CreateSettings settings = new CreateSettings(ComponentId.of("awsecscontainermetrics"), ComponentKind.RECEIVER,
          provider.get("test"), System.getLogger("awsecscontainermetrics-test"), MetricsLevel.DETAILED,
          new BuildInfo("otelcol-java", "test", "0.0.0"));
      AwsEcsContainerMetricsReceiverFactory f = new AwsEcsContainerMetricsReceiverFactory(
          k -> k.equals("ECS_CONTAINER_METADATA_URI_V4") ? server.baseUrl() : null);
      MetricsSink sink = new MetricsSink();
      EcsContainerMetricsReceiver r = (EcsContainerMetricsReceiver) f.createReceiver(
          settings, new AwsEcsContainerMetricsConfig(Duration.ofHours(1)), sink);

      assertThat(r.collect()).isNotNull();
      server.fault(EcsMetadataServer.STATS, EcsMetadataServer.Fault.HTTP_500);
      assertThat(r.collect()).isNull();

      List<String> names = reader.collect().stream().map(MetricData::getName).toList();
      assertThat(names).containsExactly("otelcol_receiver_awsecscontainermetrics_fetch_errors");
      MetricData errors = reader.collect().iterator().next();
      assertThat(errors.getLongSumData().getPoints()).singleElement()
          .satisfies(p -> {
            assertThat(p.getValue()).isEqualTo(1);
            assertThat(p.getAttributes().asMap().toString()).contains("reason=http_status");
          });
    }
  }

  /** A pull reader for the test. */
  private static final class Reader implements MetricReader {
    private volatile CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    Collection<MetricData> collect() {
      return registration.collectAllMetrics();
    }
  }
}
