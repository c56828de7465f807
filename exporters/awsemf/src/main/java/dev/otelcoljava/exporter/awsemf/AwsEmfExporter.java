package dev.otelcoljava.exporter.awsemf;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterMetrics;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.io.PrintStream;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The {@code awsemf} exporter: translates each batch into EMF log events ({@link EmfTranslator})
 * and writes them to CloudWatch Logs ({@link LogsSender}) or to stdout, synchronously, before
 * {@link #consume} returns; there is no queue, as in contrib. A failed send throws {@link
 * ConsumerException} (permanent for InvalidParameter) after counting the points as failed.
 *
 * <p>Self-metrics: otelcol's sent / send-failed points, and {@code otelcol_exporter_awsemf_*}:
 * {@code events_sent}, {@code batches_sent}, {@code retries}, {@code points_dropped{reason}}
 * (nan, inf, stale, initial_value, too_old, too_new, empty), {@code events_truncated}, {@code
 * dimension_sets_dropped}. Thread-safe: calls are serialized.
 */
final class AwsEmfExporter implements Exporter {
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final AwsEmfConfig config;
  private final System.Logger logger;
  private final RateLimitedLogger rateLimited;
  private final ExporterMetrics metrics;
  private final Attributes attrs;
  private final LongCounter eventsSent;
  private final LongCounter batchesSent;
  private final LongCounter retries;
  private final LongCounter pointsDropped;
  private final LongCounter eventsTruncated;
  private final LongCounter dimensionSetsDropped;
  private final EmfTranslator translator;
  private final Clock clock;
  private final PrintStream stdout;
  private CloudWatchLogsClient client;
  private StsClient sts;
  private LogsSender sender;

  AwsEmfExporter(CreateSettings settings, AwsEmfConfig config, Clock clock, PrintStream stdout) {
    this.config = config;
    this.logger = settings.logger();
    this.rateLimited = new RateLimitedLogger(logger, Duration.ofMinutes(1));
    this.metrics = ExporterMetrics.create(settings);
    this.attrs = metrics.attributes();
    this.clock = clock;
    this.stdout = stdout;
    Meter meter = settings.meter();
    String p = "otelcol_exporter_awsemf_";
    eventsSent = meter.counterBuilder(p + "events_sent").setUnit("{events}")
        .setDescription("EMF log events accepted by CloudWatch Logs (or written to stdout).").build();
    batchesSent = meter.counterBuilder(p + "batches_sent").setUnit("{requests}")
        .setDescription("Successful PutLogEvents requests.").build();
    retries = meter.counterBuilder(p + "retries").setUnit("{requests}")
        .setDescription("CloudWatch Logs request attempts beyond the first (throttling, 5xx, network).").build();
    pointsDropped = meter.counterBuilder(p + "points_dropped").setUnit("{datapoints}")
        .setDescription("Data points not exported, by reason (nan, inf, stale, initial_value, too_old, too_new, empty).").build();
    eventsTruncated = meter.counterBuilder(p + "events_truncated").setUnit("{events}")
        .setDescription("Log events over 256 KiB cut and marked [Truncated...].").build();
    dimensionSetsDropped = meter.counterBuilder(p + "dimension_sets_dropped").setUnit("{sets}")
        .setDescription("Dimension sets over CloudWatch's 30-label limit left out of a directive.").build();
    String defaultStream = "otel-stream-" + UUID.randomUUID();
    this.translator = new EmfTranslator(config, defaultStream, new DeltaCache(), new EmfTranslator.Listener() {
      @Override
      public void droppedPoints(String reason, long points) {
        pointsDropped.add(points, attrs.toBuilder().put(REASON, reason).build());
      }

      @Override
      public void droppedDimensionSet(List<String> set) {
        dimensionSetsDropped.add(1, attrs);
        rateLimited.log(System.Logger.Level.WARNING, "dimset", "dimension set of " + set.size()
            + " labels left out: CloudWatch allows at most 30 (" + set + ")");
      }

      @Override
      public void warn(String key, String message) {
        rateLimited.log(System.Logger.Level.WARNING, key, message);
      }
    });
  }

  @Override
  public synchronized void start(Host host) {
    if (config.outputDestination().equals("stdout") || client != null) {
      return;
    }
    client = buildClient();
    sender = new LogsSender(client, config.logRetention(), config.tags(), new LogsSender.Listener() {
      @Override
      public void droppedEvent(String reason, int points) {
        if (points > 0) {
          pointsDropped.add(points, attrs.toBuilder().put(REASON, reason).build());
        }
        rateLimited.log(System.Logger.Level.WARNING, "event:" + reason, "dropped a log event: " + reason);
      }

      @Override
      public void truncatedEvent() {
        eventsTruncated.add(1, attrs);
      }

      @Override
      public void batchSent(int events, int points) {
        eventsSent.add(events, attrs);
        batchesSent.add(1, attrs);
      }

      @Override
      public void batchFailed(int events, int points, String reason) {
        // counted as send_failed by the caller
      }
    });
  }

  private CloudWatchLogsClient buildClient() {
    AwsEmfConfig.AwsSession s = config.session();
    UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
        .socketTimeout(s.requestTimeout()).connectionTimeout(s.requestTimeout());
    if (!s.proxyAddress().isEmpty()) {
      http.proxyConfiguration(ProxyConfiguration.builder().endpoint(URI.create(s.proxyAddress())).build());
    }
    if (s.noVerifySsl()) {
      http.tlsTrustManagersProvider(() -> new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }});
    }
    CloudWatchLogsClientBuilder b = CloudWatchLogsClient.builder().httpClientBuilder(http)
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(s.maxRetries() + 1).build())
            .addExecutionInterceptor(new AttemptCounter())
            .apiCallAttemptTimeout(s.requestTimeout()).build())
        .credentialsProvider(credentials(s));
    if (!s.region().isEmpty()) {
      b.region(Region.of(s.region()));
    }
    if (!s.endpoint().isEmpty()) {
      b.endpointOverride(URI.create(s.endpoint()));
    }
    return b.build();
  }

  /** Counts every HTTP attempt after the first of one API call as a retry. */
  private final class AttemptCounter implements ExecutionInterceptor {
    private static final software.amazon.awssdk.core.interceptor.ExecutionAttribute<int[]> ATTEMPTS =
        new software.amazon.awssdk.core.interceptor.ExecutionAttribute<>("otelcol.awsemf.attempts");

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
      int[] n = executionAttributes.getAttribute(ATTEMPTS);
      if (n == null) {
        executionAttributes.putAttribute(ATTEMPTS, new int[] {1});
      } else if (++n[0] > 1) {
        retries.add(1, attrs);
      }
    }
  }

  private AwsCredentialsProvider credentials(AwsEmfConfig.AwsSession s) {
    AwsCredentialsProvider base = DefaultCredentialsProvider.builder().build();
    if (s.roleArn().isEmpty()) {
      return base;
    }
    var stsBuilder = StsClient.builder().httpClient(UrlConnectionHttpClient.create()).credentialsProvider(base);
    if (!s.region().isEmpty()) {
      stsBuilder.region(Region.of(s.region()));
    }
    sts = stsBuilder.build();
    return StsAssumeRoleCredentialsProvider.builder().stsClient(sts).refreshRequest(r -> {
      r.roleArn(s.roleArn()).roleSessionName("AWSOTelCollector-" + System.currentTimeMillis());
      if (!s.externalId().isEmpty()) {
        r.externalId(s.externalId());
      }
    }).build();
  }

  @Override
  public synchronized void consume(MetricsBatch batch) {
    int total = batch.dataPointCount();
    List<EmfEvent> events = translator.translate(batch, clock.millis(), System.nanoTime());
    if (config.outputDestination().equals("stdout")) {
      int points = 0;
      for (EmfEvent e : events) {
        stdout.println(e.message());
        points += e.points();
      }
      stdout.flush();
      eventsSent.add(events.size(), attrs);
      metrics.sent(points);
      return;
    }
    if (sender == null) {
      metrics.sendFailed(total);
      throw new ConsumerException("awsemf exporter is not started", false, total);
    }
    Map<List<String>, List<EmfEvent>> byStream = new LinkedHashMap<>();
    for (EmfEvent e : events) {
      byStream.computeIfAbsent(List.of(e.logGroup(), e.logStream()), k -> new ArrayList<>()).add(e);
    }
    int sent = 0;
    int failed = 0;
    boolean permanent = false;
    String error = null;
    long now = clock.millis();
    for (Map.Entry<List<String>, List<EmfEvent>> s : byStream.entrySet()) {
      LogsSender.Result r = sender.push(s.getKey().get(0), s.getKey().get(1), s.getValue(), now);
      sent += r.sentPoints();
      failed += r.failedPoints();
      if (r.error() != null) {
        permanent |= r.permanent();
        error = "PutLogEvents to " + s.getKey().get(0) + "/" + s.getKey().get(1) + " failed: " + r.error();
        rateLimited.log(System.Logger.Level.WARNING, "put:" + s.getKey(), error);
      }
    }
    metrics.sent(sent);
    if (failed > 0) {
      metrics.sendFailed(failed);
      throw new ConsumerException(error, permanent, failed);
    }
  }

  @Override
  public synchronized void shutdown(Duration timeout) {
    if (client != null) {
      client.close();
      client = null;
    }
    if (sts != null) {
      sts.close();
      sts = null;
    }
    sender = null;
  }
}
