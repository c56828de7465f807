package dev.otelcoljava.receiver.awscontainerinsight;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Factory of the {@code awscontainerinsightreceiver} receiver. The config accepts every key of the
 * contrib receiver (and its AWS session settings); only {@code container_orchestrator: ecs} can be
 * run: creating the receiver for {@code eks} (upstream's default) fails with a message saying so,
 * so a config that merely declares it still loads. Stateless and thread-safe.
 *
 * <p>Environment: {@code HOST_PROC}, {@code HOST_SYS}, {@code HOST_ROOT} (see {@link HostPaths}),
 * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} and {@code AWS_EC2_METADATA_DISABLED} (as the AWS SDK),
 * {@code HOST_NAME} (the {@code NodeName} attribute) and, for tests and unusual hosts, {@code
 * ECS_AGENT_INTROSPECTION_ENDPOINT} (default {@code http://<instance private IP>:51678}, the ECS
 * agent's introspection API on the host, as upstream).
 */
public final class AwsContainerInsightReceiverFactory implements ReceiverFactory<AwsContainerInsightConfig> {
  public static final String TYPE = "awscontainerinsightreceiver";
  static final String ENV_AGENT = "ECS_AGENT_INTROSPECTION_ENDPOINT";
  static final String ENV_HOST_NAME = "HOST_NAME";

  /** Keys of the contrib config that only matter on EKS (or to the AWS session, unused on ECS). */
  private static final String[] BOOL_KEYS = {"add_service_as_attribute", "prefer_full_pod_name",
      "add_full_pod_name_metric_label", "add_container_name_metric_label",
      "leader_lock_using_config_map_only", "enable_control_plane_metrics", "accelerated_compute_metrics",
      "run_on_systemd", "no_verify_ssl"};
  private static final String[] STRING_KEYS = {"cluster_name", "leader_lock_name", "kube_config_path",
      "host_ip", "middleware", "endpoint", "proxy_address", "region", "resource_arn", "role_arn",
      "profile", "certificate_file_path", "external_id"};
  private static final String[] INT_KEYS = {"num_workers", "request_timeout_seconds", "max_retries"};

  private final Function<String, String> env;
  private final Function<String, Boolean> pathExists;

  /** The ServiceLoader constructor: reads the process environment. */
  public AwsContainerInsightReceiverFactory() {
    this(System::getenv);
  }

  /** For tests: environment variables come from {@code env} (returning null when unset). */
  public AwsContainerInsightReceiverFactory(Function<String, String> env) {
    this.env = Objects.requireNonNull(env);
    this.pathExists = p -> java.nio.file.Files.exists(Path.of(p));
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
  public AwsContainerInsightConfig createConfig(ConfigNode node, String typeUsed) {
    AwsContainerInsightConfig d = AwsContainerInsightConfig.defaults();
    Duration interval = node.duration("collection_interval", d.collectionInterval());
    if (interval.isNegative() || interval.isZero()) {
      node.error("collection_interval", "(" + node.get("collection_interval").asString()
          + ") must be greater than 0, e.g. 60s");
      interval = d.collectionInterval();
    }
    String orchestrator = node.oneOf("container_orchestrator", d.containerOrchestrator(),
        AwsContainerInsightConfig.EKS, AwsContainerInsightConfig.ECS);
    String role = node.string("collection_role", "ALL");
    if (!role.equals("ALL") && !role.equals("LEADER") && !role.equals("NODE")) {
      node.error("collection_role", "(" + role + ") must be one of ALL, LEADER, NODE");
    }
    for (String k : BOOL_KEYS) {
      node.bool(k, false);
    }
    for (String k : STRING_KEYS) {
      node.string(k, "");
    }
    for (String k : INT_KEYS) {
      int v = node.integer(k, 0);
      if (v < 0) {
        node.error(k, "(" + v + ") must not be negative");
      }
    }
    node.stringList("shared_credentials_file");
    boolean localMode = node.bool("local_mode", false);
    int imdsRetries = node.integer("imds_retries", d.imdsRetries());
    if (imdsRetries < 0) {
      node.error("imds_retries", "(" + imdsRetries + ") must not be negative, e.g. 1");
      imdsRetries = d.imdsRetries();
    }
    String hostName = node.string("host_name", "");
    return new AwsContainerInsightConfig(interval, orchestrator, localMode, imdsRetries, hostName);
  }

  @Override
  public Receiver createReceiver(CreateSettings settings, AwsContainerInsightConfig config, MetricsConsumer next) {
    if (!AwsContainerInsightConfig.ECS.equals(config.containerOrchestrator())) {
      throw new IllegalStateException("receivers::" + settings.id()
          + "::container_orchestrator: " + config.containerOrchestrator()
          + " is not supported by otelcol-java (only ECS on EC2 instance metrics are);"
          + " set container_orchestrator: ecs, or remove the receiver from service::pipelines");
    }
    HostPaths paths = HostPaths.fromEnv(env, pathExists);
    Duration timeout = Duration.ofSeconds(1); // upstream's ECS agent client timeout
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1).build();
    Ec2Metadata imds = config.localMode() || "true".equalsIgnoreCase(trim(env.apply("AWS_EC2_METADATA_DISABLED")))
        ? null
        : new Ec2Metadata(http, orDefault(env.apply(Ec2Metadata.ENDPOINT_ENV), Ec2Metadata.DEFAULT_ENDPOINT),
            1 + config.imdsRetries(), timeout);
    String agent = trim(env.apply(ENV_AGENT));
    EcsAgentClient agentClient = new EcsAgentClient(http, agent.isEmpty() ? null : agent, timeout);
    String nodeName = config.hostName().isEmpty() ? trim(env.apply(ENV_HOST_NAME)) : config.hostName();
    return new ContainerInsightReceiver(settings, config, new HostStats(paths), imds, agentClient,
        new TaskReservations(paths, settings.logger()), nodeName, http, next);
  }

  private static String trim(String s) {
    return s == null ? "" : s.trim();
  }

  private static String orDefault(String s, String def) {
    String t = trim(s);
    return t.isEmpty() ? def : t;
  }
}
