package dev.otelcoljava.distribution.containerinsights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.internal.config.ServiceConfig;
import dev.otelcoljava.runtime.internal.service.Service;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.peers.MotoServer;
import io.opentelemetry.api.metrics.MeterProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * The eks-fargate-container-insights scenario end to end into moto's CloudWatch Logs: the chain's
 * output over the two cAdvisor scrapes (moved to the last minutes, as CloudWatch refuses events
 * older than 14 days) goes through the real awsemf exporter as the scenario configures it (only
 * {@code endpoint} added by a second config source, as a user would with {@code --config}); the
 * log group {@code /aws/containerinsights/<cluster>/performance} and one stream per pod are
 * created, and GetLogEvents returns, per stream, exactly the golden events (emf-events.txt) with
 * their timestamps moved by the same amount. Batching at the 1 MiB / 10,000-event limits and
 * throttling retries are covered by AwsEmfExporterMotoTest.
 */
class ContainerInsightsMotoTest {
  private static final Pattern TS = Pattern.compile("\"Timestamp\":(\\d+)");
  @TempDir
  static Path work;
  static MotoServer moto;
  static CloudWatchLogsClient reader;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start(work);
    System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
    reader = CloudWatchLogsClient.builder().region(Region.US_EAST_1).endpointOverride(moto.endpointUri())
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
        .build();
  }

  @AfterAll
  static void stopMoto() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (reader != null) {
      reader.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void scenario_writesGoldenEventsToThePerformanceGroup_onePodPerStream() throws Exception {
    String scenario = ContainerInsightsRun.SCENARIOS.get(0);
    // whole minutes, so that the scrapes keep their place in the minute
    long shift = (System.currentTimeMillis() - ContainerInsightsRun.SCRAPE1_MS - 5 * 60_000L) / 60_000L * 60_000L;
    List<MetricsBatch> exported = ContainerInsightsRun.run(scenario, shift).exported();

    ServiceConfig config = ContainerInsightsRun.service(scenario,
        "exporters:\n  awsemf:\n    endpoint: " + moto.endpoint() + "\n").config();
    ComponentId id = ComponentId.of("awsemf");
    ServiceConfig.ComponentSpec spec = config.component(ComponentKind.EXPORTER, id);
    CreateSettings settings = new CreateSettings(id, ComponentKind.EXPORTER, MeterProvider.noop().get("test"),
        System.getLogger("awsemf"), MetricsLevel.NORMAL, Service.defaultBuildInfo());
    Exporter exporter = ((ExporterFactory) spec.factory()).createExporter(settings, spec.config());
    exporter.start(new Host() {
      @Override
      public Optional<Extension> extension(ComponentId e) {
        return Optional.empty();
      }

      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of();
      }
    });
    try {
      for (MetricsBatch b : exported) {
        exporter.consume(b);
      }
    } finally {
      exporter.shutdown(Duration.ofSeconds(10));
    }

    // the golden events, timestamps moved by the shift, by stream
    String group = "/aws/containerinsights/" + ContainerInsightsRun.CLUSTER + "/performance";
    TreeMap<String, List<String>> expected = new TreeMap<>();
    Path golden = SharedFiles.repoDir().resolve("distribution/src/test/resources/containerinsights/emf-events.txt");
    for (String line : Files.readAllLines(golden)) {
      String prefix = group + " / ";
      assertThat(line).startsWith(prefix);
      String stream = line.substring(prefix.length(), line.indexOf(": "));
      Matcher m = TS.matcher(line.substring(line.indexOf(": ") + 2));
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(sb, "\"Timestamp\":" + (Long.parseLong(m.group(1)) + shift));
      }
      m.appendTail(sb);
      expected.computeIfAbsent(stream, k -> new ArrayList<>()).add(sb.toString());
    }
    assertThat(reader.describeLogGroups(r -> r.logGroupNamePrefix("/aws/containerinsights/")).logGroups())
        .extracting(g -> g.logGroupName()).containsExactly(group);
    TreeMap<String, List<String>> actual = new TreeMap<>();
    for (LogStream s : reader.describeLogStreamsPaginator(r -> r.logGroupName(group)).logStreams()) {
      List<String> messages = new ArrayList<>();
      for (OutputLogEvent e : readBack(group, s.logStreamName())) {
        messages.add(e.message());
      }
      actual.put(s.logStreamName(), messages);
    }
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    assertThat(actual.keySet()).contains("coredns-7d764666f9-qdcxt", "e2e-hpa-6cd8d99884-tggnr");
    for (String stream : expected.keySet()) {
      List<String> want = new ArrayList<>(expected.get(stream));
      List<String> got = new ArrayList<>(actual.get(stream));
      want.sort(null);
      got.sort(null);
      assertThat(got).as("stream %s", stream).isEqualTo(want);
    }
  }

  static List<OutputLogEvent> readBack(String group, String stream) {
    List<OutputLogEvent> out = new ArrayList<>();
    String token = null;
    while (true) {
      String t = token;
      GetLogEventsResponse r = reader.getLogEvents(b -> {
        b.logGroupName(group).logStreamName(stream).startFromHead(true);
        if (t != null) {
          b.nextToken(t);
        }
      });
      out.addAll(r.events());
      if (r.events().isEmpty() || r.nextForwardToken() == null || r.nextForwardToken().equals(token)) {
        return out;
      }
      token = r.nextForwardToken();
    }
  }
}
