package dev.otelcoljava.receiver.awsecscontainermetrics;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.PlainHttp;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Factory of the {@code awsecscontainermetrics} receiver. Creating the receiver reads {@code
 * ECS_CONTAINER_METADATA_URI_V4} and fails with {@code unable to detect task metadata endpoint}
 * when it is not set; the runtime only creates receivers that a pipeline uses, so a config that
 * merely declares the receiver still loads off ECS. Stateless and thread-safe.
 */
public final class AwsEcsContainerMetricsReceiverFactory
    implements ReceiverFactory<AwsEcsContainerMetricsConfig> {
  public static final String TYPE = "awsecscontainermetrics";
  static final String ENV_V4 = "ECS_CONTAINER_METADATA_URI_V4";

  private final Function<String, String> env;

  /** The ServiceLoader constructor: reads the process environment. */
  public AwsEcsContainerMetricsReceiverFactory() {
    this(System::getenv);
  }

  /** For tests: environment variables come from {@code env} (returning null when unset). */
  public AwsEcsContainerMetricsReceiverFactory(Function<String, String> env) {
    this.env = Objects.requireNonNull(env);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public String transport() {
    return "http";
  }

  @Override
  public AwsEcsContainerMetricsConfig createConfig(ConfigNode node, String typeUsed) {
    Duration interval =
        node.duration("collection_interval", AwsEcsContainerMetricsConfig.DEFAULT_COLLECTION_INTERVAL);
    if (interval.isNegative() || interval.isZero()) {
      node.error("collection_interval", "(" + node.get("collection_interval").asString()
          + ") must be greater than 0, e.g. 20s");
      interval = AwsEcsContainerMetricsConfig.DEFAULT_COLLECTION_INTERVAL;
    }
    return new AwsEcsContainerMetricsConfig(interval);
  }

  @Override
  public Receiver createReceiver(
      CreateSettings settings, AwsEcsContainerMetricsConfig config, MetricsConsumer next) {
    String endpoint = env.apply(ENV_V4);
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalStateException("unable to detect task metadata endpoint: "
          + ENV_V4 + " is not set. This receiver only works inside an Amazon ECS task (EC2 agent >= 1.39.0"
          + " or Fargate platform >= 1.4.0); remove it from service::pipelines when running elsewhere");
    }
    // The endpoint is link-local and answers in milliseconds; the timeout keeps a stuck agent from
    // piling up collections (a tick that is still running skips the next one).
    Duration timeout = config.collectionInterval().compareTo(Duration.ofSeconds(10)) < 0
        ? config.collectionInterval() : Duration.ofSeconds(10);
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1);
    if (endpoint.trim().regionMatches(true, 0, "http://", 0, 7)) {
      // The agent's endpoint is plain http (it always is in a task): no TLS set-up at start-up.
      PlainHttp.configure(b);
    }
    HttpClient client = b.build();
    TaskMetadataClient metadata = new TaskMetadataClient(client, endpoint.trim(), timeout);
    return new EcsContainerMetricsReceiver(settings, config, metadata, next);
  }
}
