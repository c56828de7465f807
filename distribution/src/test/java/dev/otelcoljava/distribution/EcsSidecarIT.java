package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.SharedFiles;
import dev.otelcoljava.testing.aws.SigV4VerifyingProxy;
import dev.otelcoljava.testing.peers.EcsMetadataServer;
import dev.otelcoljava.testing.peers.VictoriaMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ECS sidecar end to end, as it runs in a Fargate task: {@code bin/otelcol-java} started with
 * no arguments and the unchanged scenario text in {@code AOT_CONFIG_CONTENT}; the task metadata
 * endpoint v4 faked by {@link EcsMetadataServer} from the Fargate fixture of the AWS docs; the
 * Spring Boot Actuator exposition served where the scenario scrapes it ({@code 0.0.0.0:8081}, fixed
 * in the file, so this test needs that port); remote write to an AMP-shaped host name through a
 * {@link SigV4VerifyingProxy} that checks every signature with the fake keys, in front of a real
 * VictoriaMetrics that the test queries back.
 *
 * <p>The AMP host {@code aps-workspaces.us-east-1.amazonaws.com} matters: the scenario's {@code
 * sigv4auth} has no service or region, so the collector infers {@code aps} from the host name, as
 * in ECS. The JVM resolves it to 127.0.0.1 through a hosts file ({@code -Djdk.net.hosts.file} in
 * {@code JAVA_OPTS}); no other address is ever contacted.
 *
 * <p>The scenario's timing is kept (scrape every 30 s, task metrics every 30 s / 20 s, the first
 * one interval after start), so each run takes about 35 s.
 */
class EcsSidecarIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCESS_KEY = "AKIDECSSIDECARE2E";
  private static final String SECRET_KEY = "ecs-sidecar-e2e-secret-0123456789abcdef";
  private static final String REGION = "us-east-1";
  private static final String AMP_HOST = "aps-workspaces." + REGION + ".amazonaws.com";

  /** Fixed in the scenario files: the scrape target, health_check's default, the telemetry default. */
  private static final int TARGET_PORT = 8081;
  private static final int HEALTH_PORT = 13133;
  private static final int TELEMETRY_PORT = 8888;

  private static final Path FARGATE = SharedFiles.fixtures().resolve("ecs/aws-docs-v4-fargate");
  private static final Path SPRING = SharedFiles.fixtures().resolve("expositions/springboot/actuator-prometheus-1.txt");
  private static final String TASK_ARN =
      "arn:aws:ecs:us-east-1:123456789012:task/MyEmptyCluster/bfa2636268144d039771334145e490c5";
  /** The Fargate task's app container; the stats fixture's one entry is keyed to it (see {@link #fargateStats}). */
  private static final String APP_DOCKER_ID = "bfa2636268144d039771334145e490c5-3681984407";

  /** The 8 metrics of the scenario's filter, with their names after the exporter's translation. */
  private static final Map<String, String> ECS_NAMES = Map.of(
      "ecs.task.memory.utilized", "ecs_task_memory_utilized_MiB",
      "ecs.task.memory.reserved", "ecs_task_memory_reserved_MiB",
      "ecs.task.cpu.utilized", "ecs_task_cpu_utilized_None",
      "ecs.task.cpu.reserved", "ecs_task_cpu_reserved_None",
      "ecs.task.network.rate.rx", "ecs_task_network_rate_rx_Bytes_per_Second",
      "ecs.task.network.rate.tx", "ecs_task_network_rate_tx_Bytes_per_Second",
      "ecs.task.storage.read_bytes", "ecs_task_storage_read_bytes_Bytes",
      "ecs.task.storage.write_bytes", "ecs_task_storage_write_bytes_Bytes");

  /** The attributes ecs-sidecar-amp.yaml's resourcedetection allows, as labels, with the fixture's values. */
  private static final Map<String, String> ALLOWED_LABELS = Map.of(
      "cloud_region", REGION,
      "aws_ecs_task_arn", TASK_ARN,
      "aws_ecs_task_family", "sample-fargate",
      "aws_ecs_task_revision", "5",
      "aws_ecs_launchtype", "fargate");

  /** What the ecs detector finds beyond the allow-list; none of it may reach the app's series. */
  private static final Set<String> DETECTED_NOT_ALLOWED = Set.of("cloud_provider", "cloud_platform",
      "cloud_account_id", "cloud_availability_zone", "aws_ecs_cluster_arn", "aws_ecs_task_id");

  @Test
  void ecsSidecarAmp_appAndFilteredTaskMetricsArriveSignedWithAllowedEcsAttributes(@TempDir Path dir) throws Exception {
    try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
      Run run = runScenario(dir, "ecs-sidecar-amp.yaml", vm);
      assertAmp(run);
    }
  }

  private static void assertAmp(Run run) {

    // The app's series: every sample of the fixture, with the five allowed ECS attributes as labels.
    Map<String, String> appExtra = assertAppSeries(run.vmExport(), run.fixture);
    System.out.println("ecs-sidecar-amp: labels of every app series besides its own: " + appExtra);
    assertThat(appExtra).containsAllEntriesOf(ALLOWED_LABELS)
        .containsEntry("job", "spring-app").containsEntry("instance", "0.0.0.0:8081");
    assertThat(appExtra.keySet()).as("detected attributes outside resourcedetection::attributes")
        .doesNotContainAnyElementsOf(DETECTED_NOT_ALLOWED);

    assertEcsSeries(run.vmExport());
    assertSignedOnly(run.proxy);
    assertThat(run.log).doesNotContain(SECRET_KEY);
    // loglevel: warn = verbosity basic (as otelcol maps the old key): one summary line per batch.
    assertThat(run.log).contains("exporters::logging\tMetrics {\"resource metrics\": 1, \"metrics\": 8, \"data points\": 8}")
        .doesNotContain("Descriptor:");
  }

  @Test
  void ecsSidecarFirstVersion_sameWithoutResourceDetectionAndDebugLogging(@TempDir Path dir) throws Exception {
    try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
      Run run = runScenario(dir, "ecs-sidecar-first-version.yaml", vm);
      assertFirstVersion(run);
    }
  }

  private static void assertFirstVersion(Run run) {

    // No resourcedetection: the app's series carry only what the scrape gives.
    Map<String, String> appExtra = assertAppSeries(run.vmExport(), run.fixture);
    assertThat(appExtra).containsEntry("job", "spring-app").containsEntry("instance", "0.0.0.0:8081");
    assertThat(appExtra.keySet()).noneMatch(k -> k.startsWith("aws_") || k.startsWith("cloud_"));

    assertEcsSeries(run.vmExport());
    assertSignedOnly(run.proxy);
    assertThat(run.log).doesNotContain(SECRET_KEY);

    // loglevel: debug = detailed: every point of both pipelines, resource attributes included; only
    // the 8 task metrics the filter lets through.
    assertThat(run.log).contains("Descriptor:")
        .contains("-> Name: jvm_threads_daemon")
        .contains("-> aws.ecs.task.arn: Str(" + TASK_ARN + ")");
    for (String otelName : ECS_NAMES.keySet()) {
      assertThat(run.log).contains("-> Name: " + otelName + "\n");
    }
    assertThat(run.log).doesNotContain("-> Name: ecs.task.memory.usage\n").doesNotContain("-> Name: container.");
  }

  // ---------------------------------------------------------------------------------------------

  /** One scenario run: the collector ran until all expected series arrived, then exited after SIGTERM. */
  private record Run(VictoriaMetrics vm, SigV4VerifyingProxy proxy, List<Sample> fixture, String log) {
    List<JsonNode> vmExport() {
      List<JsonNode> out = new ArrayList<>();
      for (String line : vm.export("{__name__=~\".+\"}").split("\n")) {
        if (!line.isBlank()) {
          try {
            out.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new AssertionError("VictoriaMetrics export line is not JSON: " + line, e);
          }
        }
      }
      return out;
    }
  }

  private static Run runScenario(Path dir, String scenario, VictoriaMetrics vm) throws Exception {
    requireFree(TARGET_PORT, "the scrape target 0.0.0.0:8081 in " + scenario);
    requireFree(HEALTH_PORT, "health_check's default endpoint localhost:13133 in " + scenario);
    requireFree(TELEMETRY_PORT, "the collector's default telemetry endpoint localhost:8888");

    String config = Files.readString(SharedFiles.scenarios().resolve(scenario), StandardCharsets.UTF_8);
    List<Sample> fixture = Sample.parse(Files.readString(SPRING, StandardCharsets.UTF_8));
    AtomicInteger scrapes = new AtomicInteger();
    HttpServer target = springTarget(Files.readAllBytes(SPRING), scrapes);
    try (EcsMetadataServer ecs = EcsMetadataServer.start();
         SigV4VerifyingProxy proxy = SigV4VerifyingProxy.start(vm.baseUrl(), ACCESS_KEY, SECRET_KEY)
             .expectScope("aps", REGION)) {
      ecs.task(EcsMetadataServer.read(FARGATE.resolve("task_metadata.json")))
          .stats(fargateStats())
          .container(EcsMetadataServer.read(FARGATE.resolve("container_metadata.json")));

      Path hosts = dir.resolve("hosts");
      Files.writeString(hosts, "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName() + "\n"
          + "127.0.0.1 " + AMP_HOST + "\n");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("AOT_CONFIG_CONTENT", config);
      env.put("ECS_CONTAINER_METADATA_URI_V4", ecs.baseUrl());
      env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
      env.put("AWS_REGION", REGION);
      env.put("AMP_REMOTE_WRITE_URL", "http://" + AMP_HOST + ":" + proxy.port() + "/api/v1/write");
      env.put("JAVA_OPTS", "-Djdk.net.hosts.file=" + hosts);
      List<String> command = new ArrayList<>(List.of("/usr/bin/env"));
      // Nothing from the test's own environment may stand in for the task's.
      for (String v : List.of("OTELCOL_JAVA_OPTS", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ROLE_ARN",
          "AWS_WEB_IDENTITY_TOKEN_FILE", "OTEL_RESOURCE_ATTRIBUTES", "ECS_CONTAINER_METADATA_URI")) {
        command.addAll(List.of("-u", v));
      }
      command.add(AppDir.launcher().toString()); // no arguments: the config is AOT_CONFIG_CONTENT

      String log;
      try (ExternalProcess collector = ExternalProcess.start("otelcol-java", command, dir, env)) {
        awaitEverything(collector, vm, fixture.size(), Duration.ofSeconds(90));
        assertThat(scrapes.get()).isPositive();
        assertThat(ecs.hits(EcsMetadataServer.STATS)).isPositive();
        collector.terminate();
        int code = collector.waitFor(Duration.ofSeconds(30));
        log = collector.logText();
        assertThat(code).as("exit code after SIGTERM; log:\n" + collector.tail()).isZero();
        // Each self-metric has one definition (the ECS receiver used to count the runtime's
        // accepted/refused points a second time, under another unit).
        assertThat(log).doesNotContain("Found duplicate metric definition");
      }
      return new Run(vm, proxy, fixture, log);
    } finally {
      target.stop(0);
    }
  }

  /** Polls VictoriaMetrics until the app's samples and the 8 task series are all there. */
  private static void awaitEverything(ExternalProcess collector, VictoriaMetrics vm, int appSamples, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      assertThat(collector.process().isAlive()).as("collector exited early; log:\n" + collector.tail()).isTrue();
      int app = countSeries(vm, "{job=\"spring-app\",__name__!~\"up|scrape_.*\"}");
      int task = countSeries(vm, "{__name__=~\"ecs_.*|container_.*\"}");
      state = app + " app series, " + task + " task series";
      if (app >= appSamples && task >= ECS_NAMES.size()) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("not everything arrived within " + timeout + " (" + state + "); log:\n" + collector.tail());
  }

  /**
   * Series with samples, counted from the raw export: the series API answers from the index alone,
   * which on a loaded machine has listed the task series while the export did not yet return their
   * samples, and the assertions read the export.
   */
  private static int countSeries(VictoriaMetrics vm, String selector) {
    int n = 0;
    for (String line : vm.export(selector).split("\n")) {
      if (!line.isBlank()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Every fixture sample is in VictoriaMetrics with its value and its own labels; all app series
   * carry the same further labels, which are returned.
   */
  private static Map<String, String> assertAppSeries(List<JsonNode> export, List<Sample> fixture) {
    Map<String, String> extra = null;
    List<String> problems = new ArrayList<>();
    for (Sample s : fixture) {
      JsonNode found = null;
      for (JsonNode line : export) {
        Map<String, String> labels = labels(line);
        if (s.name.equals(labels.get("__name__")) && "spring-app".equals(labels.get("job"))
            && labels.entrySet().containsAll(s.labels.entrySet())) {
          Map<String, String> rest = new TreeMap<>(labels);
          rest.remove("__name__");
          s.labels.keySet().forEach(rest::remove);
          if (extra == null) {
            extra = rest;
          } else if (!extra.equals(rest)) {
            continue; // another series of the same name with more labels; keep looking
          }
          found = line;
          break;
        }
      }
      if (found == null) {
        problems.add("missing: " + s);
        continue;
      }
      boolean valueSeen = false;
      for (JsonNode v : found.path("values")) {
        // VictoriaMetrics keeps fewer decimal digits than a float64 has (0.03682658419046249 comes
        // back as 0.03682658419046), so "equal" means equal to 12 significant digits.
        valueSeen |= Math.abs(v.asDouble() - s.value) <= Math.abs(s.value) * 1e-12;
      }
      if (!valueSeen) {
        problems.add(s + " arrived with values " + found.path("values"));
      }
    }
    assertThat(problems).as("app samples vs the fixture").isEmpty();
    // up is 1 for the one target.
    for (JsonNode line : export) {
      Map<String, String> labels = labels(line);
      if ("up".equals(labels.get("__name__")) && "spring-app".equals(labels.get("job"))) {
        assertThat(line.path("values")).allMatch(v -> v.asDouble() == 1.0);
      }
    }
    return extra;
  }

  /** Exactly the 8 filtered task series, with the task's attributes as labels and the fixture's values. */
  private static void assertEcsSeries(List<JsonNode> export) {
    Map<String, JsonNode> byName = new TreeMap<>();
    Set<String> taskNames = new TreeSet<>();
    for (JsonNode line : export) {
      String name = labels(line).get("__name__");
      if (name.startsWith("ecs_") || name.startsWith("container_")) {
        taskNames.add(name);
        assertThat(byName.put(name, line)).as("one series of " + name).isNull();
      }
    }
    assertThat(taskNames).containsExactlyInAnyOrderElementsOf(ECS_NAMES.values());
    for (JsonNode line : byName.values()) {
      assertThat(labels(line)).as(labels(line).get("__name__")).containsAllEntriesOf(ALLOWED_LABELS)
          .containsEntry("aws_ecs_cluster_name", "MyEmptyCluster")
          .containsEntry("aws_ecs_task_id", "bfa2636268144d039771334145e490c5")
          .containsEntry("cloud_availability_zone", "us-east-1d");
    }
    // Hand-checked from aws-docs-v4-fargate: one container's stats, task limits CPU 0.25 / Memory 512.
    double vcpu = (1137691504.0 - 1136624601.0) / 10_000_303_050.0; // total_usage delta / (read - preread)
    assertValue(byName, "ecs_task_memory_utilized_MiB", (6504448 - 651264) / (1024 * 1024)); // (usage - cache) in MiB = 5
    assertValue(byName, "ecs_task_memory_reserved_MiB", 512);
    assertValue(byName, "ecs_task_cpu_reserved_None", 0.25 * 1024);
    assertValue(byName, "ecs_task_cpu_utilized_None", vcpu * 1024); // ≈ 0.10925 CPU units
    assertValue(byName, "ecs_task_network_rate_rx_Bytes_per_Second", 43.298687872232854);
    assertValue(byName, "ecs_task_network_rate_tx_Bytes_per_Second", 215.39347269466413);
    assertValue(byName, "ecs_task_storage_read_bytes_Bytes", 638976);
    assertValue(byName, "ecs_task_storage_write_bytes_Bytes", 0);
  }

  private static void assertValue(Map<String, JsonNode> byName, String name, double expected) {
    JsonNode values = byName.get(name).path("values");
    assertThat(values).as(name).isNotEmpty();
    for (JsonNode v : values) {
      assertThat(v.asDouble()).as(name).isCloseTo(expected, within(Math.abs(expected) * 1e-12));
    }
  }

  private static void assertSignedOnly(SigV4VerifyingProxy proxy) {
    assertThat(proxy.rejections()).as("requests the SigV4 proxy rejected").isEmpty();
    assertThat(proxy.accepted()).as("signed remote-write requests").isNotEmpty()
        .allSatisfy(a -> {
          assertThat(a.accessKey()).isEqualTo(ACCESS_KEY);
          assertThat(a.service()).isEqualTo("aps");
          assertThat(a.region()).isEqualTo(REGION);
          assertThat(a.path()).isEqualTo("/api/v1/write");
        });
  }

  private static Map<String, String> labels(JsonNode line) {
    Map<String, String> m = new TreeMap<>();
    line.path("metric").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  /**
   * The Fargate docs' {@code /task/stats} has one entry whose key is not a container of the Fargate
   * docs' {@code /task} (the two were captured from different tasks); it is keyed here to the task's
   * app container so that the task totals have an input. The values are the fixture's, unchanged.
   */
  static String fargateStats() throws IOException {
    ObjectNode stats = (ObjectNode) JSON.readTree(FARGATE.resolve("task_stats.json").toFile());
    assertThat(stats.size()).isEqualTo(1);
    String key = stats.fieldNames().next();
    JsonNode entry = stats.get(key);
    ObjectNode out = JSON.createObjectNode();
    out.set(APP_DOCKER_ID, entry);
    return JSON.writeValueAsString(out);
  }

  private static HttpServer springTarget(byte[] body, AtomicInteger scrapes) throws IOException {
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), TARGET_PORT), 16);
    } catch (IOException e) {
      throw new AssertionError("cannot serve the scrape target on 127.0.0.1:" + TARGET_PORT
          + " (the scenario scrapes 0.0.0.0:8081 and cannot be changed): " + e, e);
    }
    s.createContext("/actuator/prometheus", ex -> {
      try (ex) {
        scrapes.incrementAndGet();
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      }
    });
    s.start();
    return s;
  }

  /** Fails with what needs the port and how to find its user, instead of a confusing failure later. */
  private static void requireFree(int port, String neededFor) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new AssertionError("port " + port + " is in use, but this test needs it for " + neededFor
          + " (fixed in the unchanged scenario file); find its user with: ss -ltnp 'sport = :" + port + "'", e);
    }
  }

  /** One sample line of a Prometheus text exposition. */
  record Sample(String name, Map<String, String> labels, double value) {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static List<Sample> parse(String text) {
      List<Sample> out = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        Matcher m = LINE.matcher(line.trim());
        if (!m.matches()) {
          throw new IllegalArgumentException("not a sample line: " + line);
        }
        Map<String, String> labels = new TreeMap<>();
        if (m.group(2) != null) {
          Matcher l = LABEL.matcher(m.group(2));
          while (l.find()) {
            labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
          }
        }
        out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
      }
      return out;
    }
  }
}
