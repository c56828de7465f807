package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.aws.SigV4VerifyingProxy;
import dev.otelcoljava.testing.peers.EcsMetadataServer;
import dev.otelcoljava.testing.peers.MotoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import dev.otelcoljava.testing.peers.VictoriaMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * ADOT's own shipped collector configs ({@code ../shared/fixtures/adot/config}, unchanged) through
 * {@code bin/otelcol-java}.
 *
 * <p><b>validate</b>, every file: a config with only metrics pipelines is accepted; a config with
 * trace or log pipelines is refused, with one line per such pipeline that names the pipeline and
 * each of its components, and every other error line is about a component only those pipelines
 * use (the metrics pipelines beside them load). One file is refused for its own reasons, in
 * {@link #REFUSED_OTHERWISE}.
 *
 * <p><b>run</b>, the metrics-only ECS configs: each starts against local stand-ins (the Fargate
 * task metadata endpoint from the AWS docs' example; a SigV4-checking remote-write endpoint reached
 * by AMP's real host name, which the collector's own {@code /etc/hosts} maps to 127.0.0.1 through
 * {@link PodNamespace}, in front of a real VictoriaMetrics; moto's CloudWatch Logs through {@code
 * AWS_ENDPOINT_URL}; the collector's own metrics as the scrape target), becomes healthy and runs
 * for at least {@link #MIN_RUN} before SIGTERM, then exits 0 having logged no error. While it
 * runs, the 8 ECS task metrics its {@code filter} keeps (collected every 20 s, not batched) must
 * arrive SigV4-signed in VictoriaMetrics with the task's ARN. What the 60 s batch processors hold
 * is flushed at shutdown and must arrive too: the application metric sent to an OTLP/HTTP
 * receiver (in VictoriaMetrics, or as an EMF event in moto carrying the ECS task's ARN from
 * resource detection), and for {@code ecs-amp-prometheus.yaml} the series its {@code prometheus}
 * receiver scraped ({@code up} 1 for job {@code otel-collector} and the self-metrics). Only the
 * listeners move: health_check, self-metrics and OTLP endpoints go from fixed ports (localhost or
 * 0.0.0.0) to free 127.0.0.1 ports through extra {@code --config=yaml:} sources; so the runs, each with its own
 * stand-ins, go at the same time, started before the validate tests and overlapping them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdotShippedConfigsIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String ACCESS_KEY = "AKIDADOTCONFIGTEST";
  private static final String SECRET_KEY = "adot-config-test-secret";
  private static final String AMP_HOST = "aps-workspaces.us-west-2.amazonaws.com";

  /**
   * Configs refused although all their pipelines are metrics, with the line that says why:
   *
   * <ul>
   *   <li>{@code config-haproxy.yaml}: its first job has a {@code replace} relabel rule without
   *       {@code target_label}; Prometheus 2.42 refuses it the same way ({@code promtool check
   *       config} on the receiver's config block), and so does otelcol-contrib, whose receiver
   *       parses it with Prometheus' config package. The file is broken as ADOT ships it.
   * </ul>
   */
  static final Map<String, String> REFUSED_OTHERWISE = Map.of(
      "eks/prometheus/config-haproxy.yaml",
      "receivers::prometheus::config::scrape_configs[0]::relabel_configs[9]: relabel configuration for replace"
          + " action requires 'target_label' value");

  /** Configs that must be among the ones run (a guard against the selection going empty). */
  static final List<String> RUN = List.of("ecs/ecs-amp.yaml", "ecs/ecs-amp-prometheus.yaml", "ecs/ecs-cloudwatch.yaml",
      "ecs/otel-instance-metrics-config.yaml");

  /** The ECS cluster the agent stand-in reports for awscontainerinsightreceiver. */
  static final String AGENT_CLUSTER = "adot-it-cluster";

  /**
   * The ECS container agent's introspection API (/v1/metadata, /v1/tasks) as the agent on an EC2
   * container instance serves it: what awscontainerinsightreceiver reads for the cluster name,
   * the container instance and the running tasks.
   */
  static HttpServer ecsAgent() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Map<String, String> bodies = Map.of(
        "/v1/metadata", "{\"Cluster\":\"" + AGENT_CLUSTER + "\",\"ContainerInstanceArn\":\"arn:aws:ecs:us-west-2:123456789012:"
            + "container-instance/" + AGENT_CLUSTER + "/5c3b0f7e9a2d4e61b8f4a7c2d1e0f9ab\",\"Version\":\"Amazon ECS Agent - v1.79.2\"}",
        "/v1/tasks", "{\"Tasks\":[{\"Arn\":\"arn:aws:ecs:us-west-2:123456789012:task/" + AGENT_CLUSTER
            + "/0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5\",\"DesiredStatus\":\"RUNNING\",\"KnownStatus\":\"RUNNING\",\"Family\":\"web\","
            + "\"Version\":\"3\",\"Containers\":[{\"DockerId\":\"9d7c3b1a8e2f4d6c0b5a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b\","
            + "\"DockerName\":\"ecs-web-3-web\",\"Name\":\"web\"}]}]}");
    server.createContext("/", ex -> {
      String body = bodies.get(ex.getRequestURI().getPath());
      byte[] bytes = (body == null ? "{}" : body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    });
    server.start();
    return server;
  }

  static Path configDir() {
    return SharedFiles.fixtures().resolve("adot/config");
  }

  static Stream<String> configs() throws IOException {
    try (Stream<Path> files = Files.walk(configDir())) {
      List<String> names = files.filter(p -> p.toString().endsWith(".yaml"))
          .map(p -> configDir().relativize(p).toString()).sorted().toList();
      assertThat(names).as("ADOT configs under " + configDir()).hasSizeGreaterThan(10).containsAll(RUN)
          .containsAll(REFUSED_OTHERWISE.keySet());
      return names.stream();
    }
  }

  /**
   * Every accepted metrics-only config outside {@code eks/} (those need an in-cluster API server:
   * {@link AdotEksPrometheusConfigsIT}).
   */
  static Stream<String> runnable() throws IOException {
    List<String> run = new ArrayList<>();
    for (String name : configs().toList()) {
      if (name.startsWith("eks/") || REFUSED_OTHERWISE.containsKey(name)) {
        continue;
      }
      if (pipelines(YAML.readTree(Files.readString(configDir().resolve(name)))).keySet().stream()
          .allMatch(AdotShippedConfigsIT::isMetrics)) {
        run.add(name);
      }
    }
    assertThat(run).containsAll(RUN);
    return run.stream();
  }

  /** Pipeline id to its components ("receivers::otlp", ...), in file order. */
  static Map<String, List<String>> pipelines(JsonNode config) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = config.path("service").path("pipelines").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      List<String> components = new ArrayList<>();
      for (String kind : List.of("receivers", "processors", "exporters")) {
        p.getValue().path(kind).forEach(c -> components.add(kind + "::" + c.asText()));
      }
      out.put(p.getKey(), components);
    }
    return out;
  }

  static boolean isMetrics(String pipelineId) {
    return pipelineId.equals("metrics") || pipelineId.startsWith("metrics/");
  }

  /** The environment an ADOT config expects: its ${env:...} values and the ECS task's. */
  static Map<String, String> validateEnvironment() {
    Map<String, String> env = new TreeMap<>();
    env.put("AWS_REGION", "us-west-2");
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_PROMETHEUS_ENDPOINT", "http://127.0.0.1:" + FreePorts.find() + "/workspaces/ws-0123abcd/api/v1/remote_write");
    env.put("AWS_PROMETHEUS_SCRAPING_ENDPOINT", "127.0.0.1:" + FreePorts.find());
    env.put("ECS_CONTAINER_METADATA_URI_V4", "http://127.0.0.1:" + FreePorts.find() + "/v4/0123456789abcdef-3681984407");
    return env;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void validate_metricsOnlyAcceptedOthersRefusedNamingTheirPipelines(String name, @TempDir Path dir) throws Exception {
    Path file = configDir().resolve(name);
    String text = Files.readString(file);
    Map<String, String> env = validateEnvironment();
    assertThat(env.keySet()).containsAll(ScenariosIT.envReferences(text));
    AppDir.Result r = AppDir.run(List.of(AppDir.launcher().toString(), "validate", "--config", file.toString()), env, dir);
    assertThat(r.output()).as("no stack trace").doesNotContain("\tat ");

    Map<String, List<String>> pipelines = pipelines(YAML.readTree(text));
    Map<String, List<String>> others = new LinkedHashMap<>(pipelines);
    others.keySet().removeIf(AdotShippedConfigsIT::isMetrics);

    if (REFUSED_OTHERWISE.containsKey(name)) {
      assertThat(others).isEmpty();
      assertThat(r.exitCode()).as(r.output()).isNotZero();
      assertThat(r.output()).contains(REFUSED_OTHERWISE.get(name));
    } else if (others.isEmpty()) {
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.output()).contains("configuration is valid: " + pipelines.size() + " pipeline(s)");
    } else {
      assertThat(r.exitCode()).as(r.output()).isNotZero();
      List<String> errors = r.output().lines().dropWhile(l -> !l.startsWith("Error:")).skip(1)
          .filter(l -> l.startsWith("  ")).map(String::strip).toList();
      Set<String> metricsComponents = new LinkedHashSet<>();
      pipelines.forEach((id, cs) -> {
        if (isMetrics(id)) {
          metricsComponents.addAll(cs);
        }
      });
      Set<String> onlyInOthers = new LinkedHashSet<>();
      others.values().forEach(onlyInOthers::addAll);
      onlyInOthers.removeAll(metricsComponents);
      for (Map.Entry<String, List<String>> p : others.entrySet()) {
        String line = errors.stream().filter(l -> l.startsWith("service::pipelines::" + p.getKey() + ":")).findFirst()
            .orElseThrow(() -> new AssertionError("no error line for pipeline " + p.getKey() + ":\n" + r.output()));
        assertThat(line).contains("metrics only").contains("\"" + p.getKey() + "\"");
        for (String component : p.getValue()) {
          assertThat(line).as("names " + component).contains(component.substring(component.indexOf("::") + 2));
        }
      }
      assertThat(errors).as("every refusal concerns the non-metrics pipelines or their own components")
          .allMatch(l -> others.keySet().stream().anyMatch(id -> l.startsWith("service::pipelines::" + id + ":"))
              || onlyInOthers.stream().anyMatch(c -> l.startsWith(c + ":")));
    }
  }

  /** Minimum time each run spends between healthy and SIGTERM. */
  static final Duration MIN_RUN = Duration.ofSeconds(30);

  /**
   * The 8 ECS task metrics that the configs' {@code filter} keeps, as remote write names them
   * (the same names as in {@link EcsSidecarIT}).
   */
  static final List<String> ECS_TASK_SERIES = List.of("ecs_task_memory_utilized_MiB", "ecs_task_memory_reserved_MiB",
      "ecs_task_cpu_utilized_None", "ecs_task_cpu_reserved_None", "ecs_task_network_rate_rx_Bytes_per_Second",
      "ecs_task_network_rate_tx_Bytes_per_Second", "ecs_task_storage_read_bytes_Bytes", "ecs_task_storage_write_bytes_Bytes");

  private ExecutorService runPool;
  private final Map<String, Future<?>> runs = new ConcurrentHashMap<>();

  /** Counted down by each run once its collector is healthy (or has failed). */
  private CountDownLatch healthyOrFailed;

  /**
   * Starts every run at once in the background (their listeners are all on free ports, and each
   * run has its own stand-ins), so that the 30 s runs overlap each other and the validate tests.
   * Returns once every collector is healthy: the validate tests' JVMs then do not compete with
   * the collectors' start-up, when the resource detectors have 5 s to answer.
   */
  @BeforeAll
  void startRuns(@TempDir Path runsDir) throws Exception {
    List<String> names = runnable().toList();
    runPool = Executors.newFixedThreadPool(names.size());
    healthyOrFailed = new CountDownLatch(names.size());
    for (String name : names) {
      Path dir = runsDir.resolve(name.replace('/', '_'));
      runs.put(name, runPool.submit(() -> {
        try {
          runConfig(name, dir);
        } finally {
          healthyOrFailed(name);
        }
        return null;
      }));
    }
    healthyOrFailed.await(3, TimeUnit.MINUTES);
  }

  private final Set<String> healthyOrFailedRuns = ConcurrentHashMap.newKeySet();

  private void healthyOrFailed(String name) {
    if (healthyOrFailedRuns.add(name)) {
      healthyOrFailed.countDown();
    }
  }

  @AfterAll
  void stopRuns() {
    if (runPool != null) {
      runPool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runnable")
  void run_dataFlowsEndToEndForThirtySecondsThenExitsZeroOnSigterm(String name) throws Throwable {
    await(runs.get(name), Duration.ofMinutes(6));
  }

  /** Waits for a background run and rethrows what failed it. */
  static void await(Future<?> run, Duration timeout) throws Throwable {
    try {
      run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  /**
   * One config: started against its stand-ins, healthy, then at least {@link #MIN_RUN} of work
   * (the ECS task metrics collected every 20 s arrive SigV4-signed in VictoriaMetrics while it
   * runs), then SIGTERM: exit 0, no error line, and what the batch processors held until
   * shutdown (an application's OTLP metric, the collector's own scraped series) at the far end.
   */
  void runConfig(String name, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path file = configDir().resolve(name);
    JsonNode config = YAML.readTree(Files.readString(file));
    assertThat(pipelines(config).keySet()).allMatch(AdotShippedConfigsIT::isMetrics);
    Set<String> exporterTypes = new LinkedHashSet<>();
    config.path("exporters").fieldNames().forEachRemaining(id -> exporterTypes.add(id.contains("/") ? id.substring(0, id.indexOf('/')) : id));
    Set<String> receiverTypes = new LinkedHashSet<>();
    config.path("receivers").fieldNames().forEachRemaining(id -> receiverTypes.add(id.contains("/") ? id.substring(0, id.indexOf('/')) : id));
    boolean remoteWrite = exporterTypes.contains("prometheusremotewrite");
    Path ecs = SharedFiles.fixtures().resolve("ecs/aws-docs-v4-fargate");
    String taskArn = YAML.readTree(Files.readString(ecs.resolve("task_metadata.json"))).path("TaskARN").asText();
    try (VictoriaMetrics vm = remoteWrite ? VictoriaMetrics.start(dir.resolve("vm")) : null;
        RemoteWriteSink backend = remoteWrite ? RemoteWriteSink.forwardingTo(vm.remoteWriteUrl()) : RemoteWriteSink.start();
        SigV4VerifyingProxy amp = SigV4VerifyingProxy.start(backend.url(""), ACCESS_KEY, SECRET_KEY).expectScope("aps", "us-west-2");
        EcsMetadataServer task = EcsMetadataServer.start().task(EcsMetadataServer.read(ecs.resolve("task_metadata.json")))
            .stats(EcsSidecarIT.fargateStats()) // the docs' one stats entry, keyed to the task's container
            .container(EcsMetadataServer.read(ecs.resolve("container_metadata.json")));
        MotoServer moto = exporterTypes.contains("awsemf") ? MotoServer.start(dir.resolve("moto")) : null) {
      int health = FreePorts.find();
      int telemetry = FreePorts.find();
      Map<String, String> env = new TreeMap<>();
      env.put("AWS_REGION", "us-west-2");
      env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
      env.put("AWS_EC2_METADATA_DISABLED", "true"); // Fargate: no instance metadata
      // Every AWS API (CloudWatch Logs for awsemf) goes to moto, or to a closed loopback port.
      env.put("AWS_ENDPOINT_URL", moto != null ? moto.endpoint() : "http://127.0.0.1:" + FreePorts.find());
      env.put("ECS_CONTAINER_METADATA_URI_V4", task.baseUrl());
      // The AMP host name resolves to the verifying proxy on 127.0.0.1 (the namespace's /etc/hosts).
      env.put("AWS_PROMETHEUS_ENDPOINT", "http://" + AMP_HOST + ":" + amp.port() + "/workspaces/ws-0123abcd/api/v1/remote_write");
      env.put("AWS_PROMETHEUS_SCRAPING_ENDPOINT", "127.0.0.1:" + telemetry); // the collector's own metrics
      List<String> cmd = new ArrayList<>(List.of(AppDir.launcher().toString(), "--config=" + file,
          "--config=yaml:extensions::health_check::endpoint: 127.0.0.1:" + health,
          "--config=yaml:service::telemetry::metrics::readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: "
              + telemetry + "}}}}]"));
      Map<String, Integer> otlpPorts = new LinkedHashMap<>();
      JsonNode otlp = config.path("receivers").path("otlp").path("protocols");
      for (String protocol : List.of("grpc", "http")) {
        if (otlp.has(protocol)) {
          int port = FreePorts.find();
          otlpPorts.put(protocol, port);
          cmd.add("--config=yaml:receivers::otlp::protocols::" + protocol + "::endpoint: 127.0.0.1:" + port);
        }
      }
      HttpServer agent = null;
      if (receiverTypes.contains("awscontainerinsightreceiver")) {
        agent = ecsAgent();
        env.put("ECS_AGENT_INTROSPECTION_ENDPOINT", "http://127.0.0.1:" + agent.getAddress().getPort());
      }
      cmd = PodNamespace.wrap(cmd, null, PodNamespace.hosts(dir, List.of(AMP_HOST)));
      try {
        runCollector(name, dir, config, cmd, env, otlpPorts, receiverTypes, remoteWrite, taskArn, telemetry, health, vm, backend, amp,
            task, moto);
      } finally {
        if (agent != null) {
          agent.stop(0);
        }
      }
    }
  }

  private void runCollector(String name, Path dir, JsonNode config, List<String> cmd, Map<String, String> env,
      Map<String, Integer> otlpPorts, Set<String> receiverTypes, boolean remoteWrite, String taskArn, int telemetry,
      int health, VictoriaMetrics vm, RemoteWriteSink backend, SigV4VerifyingProxy amp, EcsMetadataServer task,
      MotoServer moto) throws Exception {
    {
      try (ExternalProcess p = ExternalProcess.start("otelcol-java", cmd, dir, env)) {
        long started = System.nanoTime();
        p.awaitHttpOk("http://127.0.0.1:" + health + "/", Duration.ofSeconds(90));
        long healthy = System.nanoTime();
        healthyOrFailed(name);
        for (int port : otlpPorts.values()) {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000); // the OTLP receiver listens
          }
        }
        // An application's metric over OTLP/HTTP; the batch processors hold it until shutdown.
        boolean sent = otlpPorts.containsKey("http");
        if (sent) {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlpPorts.get("http") + "/v1/metrics"))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(otlpJson())).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as("OTLP/HTTP answer: " + r.body()).isEqualTo(200);
        }
        // While it runs: the task metrics (collected every 20 s, no batching) arrive signed.
        boolean taskMetrics = receiverTypes.contains("awsecscontainermetrics") && remoteWrite;
        long deadline = healthy + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() - healthy < MIN_RUN.toNanos()
            || (taskMetrics && seriesNames(vm, "{__name__=~\"ecs_task_.*\"}").size() < ECS_TASK_SERIES.size())) {
          assertThat(p.process().isAlive()).as("still running; log:\n" + p.tail()).isTrue();
          assertThat(System.nanoTime()).as(name + ": ECS task series in VictoriaMetrics within 90 s: "
              + (vm == null ? "" : seriesNames(vm, "{__name__=~\"ecs_task_.*\"}")) + "; log:\n" + p.tail()).isLessThan(deadline);
          Thread.sleep(1000);
        }
        if (taskMetrics) {
          assertTaskSeries(vm, taskArn);
        }
        assertThat(p.process().isAlive()).as("still running; log:\n" + p.tail()).isTrue();
        long ran = System.nanoTime() - healthy;
        p.terminate();
        int code = p.waitFor(Duration.ofSeconds(30));
        System.out.printf("%s: healthy %.1f s after start, SIGTERM %.1f s after healthy, exit %d%n", name,
            (healthy - started) / 1e9, ran / 1e9, code);
        assertThat(ran).as("time from healthy to SIGTERM").isGreaterThanOrEqualTo(MIN_RUN.toNanos());
        assertThat(code).as("exit code after SIGTERM; log:\n" + p.tail()).isZero();
        String log = p.logText();
        assertThat(log.lines().filter(l -> l.contains("\terror\t")).toList()).as("error lines; log:\n" + log).isEmpty();
        assertThat(log).doesNotContain("\tat ").as("no JVM warning on stderr").doesNotContain("WARNING: ");
        if (config.path("processors").path("resourcedetection").path("detectors").toString().contains("ecs")) {
          assertThat(task.hits(EcsMetadataServer.TASK)).as("the ecs detector read the task metadata").isPositive();
        }
        assertThat(amp.rejections()).as("remote writes with a bad signature").isEmpty();
        if (remoteWrite) {
          // Signed for aps in the region, forwarded and accepted.
          assertThat(amp.accepted()).as("SigV4-signed remote writes; log:\n" + log).isNotEmpty()
              .allSatisfy(a -> assertThat(a.path()).isEqualTo("/workspaces/ws-0123abcd/api/v1/remote_write"));
          assertThat(backend.answered()).isPositive();
        }
        if (sent && remoteWrite) {
          // Flushed at shutdown by batch/metrics (timeout 60 s).
          assertThat(series(vm, "{__name__=~\"orders_placed.*\"}")).as("the OTLP metric in VictoriaMetrics; log:\n" + log)
              .singleElement().satisfies(m -> assertThat(m).containsEntry("shop", "berlin").containsEntry("job", "checkout")
                  .containsEntry("aws_ecs_task_arn", taskArn));
          assertThat(values(vm, "{__name__=~\"orders_placed.*\"}")).containsOnly(42.0);
        }
        if (receiverTypes.contains("prometheus") && remoteWrite) {
          // The collector's own metrics, scraped every 20 s by job otel-collector and flushed at shutdown.
          String instance = "127.0.0.1:" + telemetry;
          assertThat(series(vm, "{job=\"otel-collector\",__name__=\"up\"}")).as("the scrape's up series; log:\n" + log)
              .singleElement().satisfies(m -> assertThat(m).containsEntry("instance", instance)
                  .containsEntry("aws_ecs_task_arn", taskArn));
          assertThat(values(vm, "up{job=\"otel-collector\"}")).isNotEmpty().containsOnly(1.0);
          assertThat(seriesNames(vm, "{job=\"otel-collector\"}")).as("scraped self-metrics")
              .contains("otelcol_process_uptime_total", "otelcol_receiver_prometheus_scrapes_total", "scrape_samples_scraped");
        }
        if (sent && moto != null) {
          String group = config.path("exporters").findValue("log_group_name").asText();
          List<String> events = emfEvents(moto, group);
          assertThat(events).as("EMF events in " + group + "; log:\n" + log)
              .anyMatch(e -> e.contains("\"orders_placed\"") && e.contains("\"TaskARN\":\"" + taskArn + "\""));
        }
        if (receiverTypes.contains("awscontainerinsightreceiver")) {
          // This host's instance metrics, every 10 s, held by batch/metrics (60 s) until shutdown. Without
          // EC2 metadata there is no InstanceId, so of the config's two declarations [ClusterName] matches.
          String group = "/aws/ecs/containerinsights/" + AGENT_CLUSTER + "/performance";
          List<String> events = emfEvents(moto, group);
          List<JsonNode> instance = new ArrayList<>();
          for (String e : events) {
            JsonNode n = JSON.readTree(e);
            if (n.path("Type").asText().equals("Instance") && n.has("instance_cpu_utilization")) {
              instance.add(n);
            }
          }
          assertThat(instance).as("Type=Instance EMF events with a CPU rate in " + group + ": " + events + "; log:\n" + log)
              .isNotEmpty().allSatisfy(n -> {
                assertThat(n.path("ClusterName").asText()).isEqualTo(AGENT_CLUSTER);
                assertThat(n.path("instance_number_of_running_tasks").asLong()).isEqualTo(1);
                assertThat(n.path("instance_cpu_utilization").asDouble()).isBetween(0.0, 100.0);
                assertThat(n.path("instance_memory_utilization").asDouble()).isBetween(0.0, 100.0);
                assertThat(n.path("instance_memory_limit").asLong()).isPositive();
                List<String> declaredNames = new ArrayList<>();
                assertThat(n.path("_aws").path("CloudWatchMetrics")).isNotEmpty().allSatisfy(declared -> {
                  assertThat(declared.path("Namespace").asText()).isEqualTo("ECS/ContainerInsights");
                  assertThat(declared.path("Dimensions").toString()).isEqualTo("[[\"ClusterName\"]]");
                  declaredNames.addAll(declared.path("Metrics").findValuesAsText("Name"));
                });
                assertThat(declaredNames).as("metrics the [ClusterName] declaration selects")
                    .containsExactlyInAnyOrder("instance_cpu_utilization", "instance_memory_utilization",
                        "instance_network_total_bytes", "instance_cpu_reserved_capacity", "instance_memory_reserved_capacity",
                        "instance_number_of_running_tasks", "instance_cpu_usage_total", "instance_cpu_limit",
                        "instance_memory_working_set", "instance_memory_limit");
              });
        }
      }
    }
  }

  /** The 8 filtered task metrics, once each, with the task's ARN (resource_to_telemetry_conversion). */
  private static void assertTaskSeries(VictoriaMetrics vm, String taskArn) throws Exception {
    List<Map<String, String>> all = series(vm, "{__name__=~\"ecs_task_.*\"}");
    assertThat(all).extracting(m -> m.get("__name__")).containsExactlyInAnyOrderElementsOf(ECS_TASK_SERIES);
    assertThat(all).allSatisfy(m -> assertThat(m).containsEntry("aws_ecs_task_arn", taskArn));
    assertThat(values(vm, "ecs_task_memory_reserved_MiB")).isNotEmpty().containsOnly(512.0);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every series matching the selector, as label maps including __name__. */
  static List<Map<String, String>> series(VictoriaMetrics vm, String selector) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : vm.export(selector).split("\n")) {
      if (!line.isBlank()) {
        Map<String, String> m = new TreeMap<>();
        JSON.readTree(line).get("metric").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        out.add(m);
      }
    }
    return out;
  }

  static Set<String> seriesNames(VictoriaMetrics vm, String selector) {
    try {
      Set<String> names = new TreeSet<>();
      series(vm, selector).forEach(m -> names.add(m.get("__name__")));
      return names;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every sample value of the matching series. */
  static List<Double> values(VictoriaMetrics vm, String selector) throws IOException {
    List<Double> out = new ArrayList<>();
    for (String line : vm.export(selector).split("\n")) {
      if (!line.isBlank()) {
        JSON.readTree(line).get("values").forEach(v -> out.add(v.asDouble()));
      }
    }
    return out;
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One gauge point in OTLP/JSON, as an instrumented ECS application would send it. */
  private static String otlpJson() {
    long now = System.currentTimeMillis() * 1_000_000L;
    return """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
         "scopeMetrics":[{"scope":{"name":"adot-config-test"},"metrics":[{"name":"orders_placed","unit":"1",
         "gauge":{"dataPoints":[{"asDouble":42,"timeUnixNano":"%d",
         "attributes":[{"key":"shop","value":{"stringValue":"berlin"}}]}]}}]}]}]}
        """.formatted(now);
  }

  /** Every event message in a moto log group (all streams, all pages). */
  static List<String> emfEvents(MotoServer moto, String group) {
    try (CloudWatchLogsClient logs = CloudWatchLogsClient.builder().region(Region.US_WEST_2)
        .endpointOverride(moto.endpointUri()).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build()) {
      if (logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().stream()
          .noneMatch(g -> g.logGroupName().equals(group))) {
        return List.of();
      }
      return logs.filterLogEventsPaginator(b -> b.logGroupName(group)).events().stream()
          .map(FilteredLogEvent::message).toList();
    }
  }

}
