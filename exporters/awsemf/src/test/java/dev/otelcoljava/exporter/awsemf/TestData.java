package dev.otelcoljava.exporter.awsemf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

final class TestData {
  private TestData() {}

  static final String BASE = "/dev/otelcoljava/exporter/awsemf/";

  record Loaded(AwsEmfConfig config, ConfigProblems problems) {}

  static Loaded loadYaml(String yaml) throws IOException {
    Object tree = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(tree, "exporters::awsemf", problems);
    AwsEmfConfig c = new AwsEmfExporterFactory().createConfig(node, "awsemf");
    node.reportUnknownKeys();
    return new Loaded(c, problems);
  }

  static String resource(String name) throws IOException {
    try (InputStream in = TestData.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        return null;
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static AwsEmfConfig config(String yaml) throws IOException {
    Loaded l = loadYaml(yaml == null || yaml.isBlank() ? "{}" : yaml);
    if (l.problems().hasErrors()) {
      throw new IllegalArgumentException(l.problems().errors().toString());
    }
    return l.config();
  }

  /** Collects the SDK's metrics on demand, cumulative. */
  static final class Reader implements MetricReader {
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

    /** The sum of a long counter's points whose attributes include the given ones. */
    long sum(String name, Map<String, String> attrs) {
      long total = 0;
      for (MetricData m : collect()) {
        if (!m.getName().equals(name)) {
          continue;
        }
        for (LongPointData p : m.getLongSumData().getPoints()) {
          boolean match = true;
          for (Map.Entry<String, String> a : attrs.entrySet()) {
            if (!a.getValue().equals(p.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(a.getKey())))) {
              match = false;
            }
          }
          if (match) {
            total += p.getValue();
          }
        }
      }
      return total;
    }
  }

  static final class Telemetry {
    final Reader reader = new Reader();
    final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();

    CreateSettings settings() {
      return new CreateSettings(ComponentId.parse("awsemf/test"), ComponentKind.EXPORTER, provider.get("test"),
          System.getLogger("awsemf-test"), MetricsLevel.NORMAL, new BuildInfo("otelcol-java", "otelcol-java", "0.1.0"));
    }
  }
}
