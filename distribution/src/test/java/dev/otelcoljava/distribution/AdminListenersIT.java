package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.ListeningSockets;
import dev.otelcoljava.testing.SharedFiles;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY case 20 with the real app: the admin listeners bind the loopback unless told
 * otherwise, and the shipped deployment files tell them otherwise where a probe comes from outside.
 *
 * <ul>
 *   <li>A config with a bare {@code health_check:} and no {@code service::telemetry} serves
 *       health on 13133 and self-metrics on 8888 (the real default ports) with the kernel listing
 *       both sockets on 127.0.0.1 only; this machine's own non-loopback address is refused; the
 *       image's {@code bin/healthcheck} (the ECS task definition's probe) succeeds.
 *   <li>The extra {@code --config} arguments of {@code configs/local/docker-compose.yaml} (whose
 *       ports are published) make both listen on every interface again.
 *   <li>The arguments of the Kubernetes workloads in {@code configs/kubernetes} bind both to
 *       {@code ${env:MY_POD_IP}}, which every workload sets from {@code status.podIP}; with this
 *       machine's own address standing in for the pod IP, the probe of the kubelet answers there.
 * </ul>
 *
 * Fixed ports 13133 and 8888: run under /tmp/it.lock like the other distribution ITs. Addresses
 * used: 127.0.0.1 and this machine's own interface address, never another host.
 */
class AdminListenersIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int HEALTH = 13133;
  private static final int TELEMETRY = 8888;

  /** A pipeline that needs no network: the collector scrapes its own metrics on 127.0.0.1. */
  private static Path config(Path dir, String healthCheck) throws IOException {
    return Files.writeString(dir.resolve("config.yaml"), """
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: self
                  scrape_interval: 2s
                  static_configs:
                    - targets: ["127.0.0.1:8888"]
        exporters:
          debug:
            verbosity: basic
        extensions:
          health_check:%s
        service:
          extensions: [health_check]
          pipelines:
            metrics:
              receivers: [prometheus]
              exporters: [debug]
        """.formatted(healthCheck));
  }

  private static ExternalProcess start(Path dir, List<String> args, Map<String, String> env) {
    requireFree(HEALTH);
    requireFree(TELEMETRY);
    List<String> cmd = new ArrayList<>(List.of(AppDir.launcher().toString()));
    cmd.addAll(args);
    Map<String, String> e = new java.util.HashMap<>(env);
    e.put("OTELCOL_JAVA_CDS", "off");
    return ExternalProcess.start("otelcol-java", cmd, dir, e);
  }

  private static void requireFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw new AssertionError("port " + port + " is in use, but this test runs the collector's default listener there; "
          + "find its user with: ss -ltnp 'sport = :" + port + "'", e);
    }
  }

  private static boolean connects(InetAddress address, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  private static int status(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String url(InetAddress a, int port, String path) {
    return "http://" + a.getHostAddress() + ":" + port + path;
  }

  @Test
  void defaults_healthAndSelfMetrics_listenOnLoopbackOnly(@TempDir Path dir) throws Exception {
    Path cfg = config(dir, "");
    try (ExternalProcess p = start(dir, List.of("--config=" + cfg), Map.of())) {
      p.awaitHttpOk(url(LOOPBACK, HEALTH, "/"), Duration.ofSeconds(60));
      assertThat(status(url(LOOPBACK, TELEMETRY, "/metrics"))).isEqualTo(200);
      for (int port : new int[] {HEALTH, TELEMETRY}) {
        assertThat(ListeningSockets.on(port)).as("sockets listening on " + port + " (/proc/net/tcp*)")
            .containsExactly(InetAddress.getByName("127.0.0.1"));
        Optional<InetAddress> own = ListeningSockets.ownNonLoopbackIpv4();
        if (own.isPresent()) {
          assertThat(connects(own.get(), port)).as(own.get().getHostAddress() + ":" + port + " (this machine)").isFalse();
        } else {
          System.out.println("no non-loopback IPv4 address here: the kernel's socket table is the only check");
        }
      }
      // The ECS task definition's probe (and the image's HEALTHCHECK) runs inside the container.
      AppDir.Result probe = AppDir.run(List.of(AppDir.home().resolve("bin/healthcheck").toString()), Map.of(), dir);
      assertThat(probe.exitCode()).as("bin/healthcheck: " + probe.output()).isZero();
      assertThat(p.logText())
          .contains("Health check listening on localhost:13133/ (bound to 127.0.0.1:13133)")
          .contains("Serving metrics at http://localhost:8888/metrics (listening on 127.0.0.1:8888, level normal)");
    }
  }

  @Test
  void dockerComposeArgs_listenOnEveryInterface(@TempDir Path dir) throws Exception {
    JsonNode compose = YAML.readTree(SharedFiles.repoDir().resolve("configs/local/docker-compose.yaml").toFile());
    JsonNode collector = compose.path("services").path("collector");
    List<String> args = new ArrayList<>();
    collector.path("command").forEach(a -> args.add(a.asText()));
    assertThat(args.get(0)).isEqualTo("--config=/etc/otel-agent-config.yaml");
    assertThat(collector.path("ports").toString()).contains("8888:8888").contains("13133:13133");
    args.set(0, "--config=" + config(dir, ""));
    try (ExternalProcess p = start(dir, args, Map.of())) {
      p.awaitHttpOk(url(LOOPBACK, HEALTH, "/"), Duration.ofSeconds(60));
      for (int port : new int[] {HEALTH, TELEMETRY}) {
        assertThat(ListeningSockets.on(port)).as("sockets listening on " + port).singleElement()
            .satisfies(a -> assertThat(a.isAnyLocalAddress()).as(a.toString()).isTrue());
      }
      Optional<InetAddress> own = ListeningSockets.ownNonLoopbackIpv4();
      if (own.isPresent()) {
        assertThat(status(url(own.get(), HEALTH, "/"))).isEqualTo(200);
        assertThat(status(url(own.get(), TELEMETRY, "/metrics"))).isEqualTo(200);
      }
      assertThat(p.logText()).contains("Health check listening on 0.0.0.0:13133/ (bound to 0.0.0.0:13133)")
          .contains("Serving metrics at http://0.0.0.0:8888/metrics (listening on 0.0.0.0:8888, level normal)")
          .doesNotContain("deprecated");
    }
  }

  /** The workload (DaemonSet, Deployment, StatefulSet) of a manifest file. */
  private static JsonNode workloadContainer(Path file) throws IOException {
    for (JsonNode doc : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
      String kind = doc.path("kind").asText();
      if (kind.equals("DaemonSet") || kind.equals("Deployment") || kind.equals("StatefulSet")) {
        return doc.path("spec").path("template").path("spec").path("containers").get(0);
      }
    }
    throw new AssertionError("no workload in " + file);
  }

  @Test
  void kubernetesArgs_bindThePodIp_whereTheKubeletProbes(@TempDir Path dir) throws Exception {
    Path k8s = SharedFiles.repoDir().resolve("configs/kubernetes");
    String healthArg = "--config=yaml:extensions::health_check::endpoint: ${env:MY_POD_IP}:13133";
    List<String> daemonsetArgs = null;
    for (String f : List.of("daemonset.yaml", "deployment-managed-scraper.yaml", "statefulset-fargate.yaml",
        "statefulset-sharded.yaml")) {
      JsonNode c = workloadContainer(k8s.resolve(f));
      List<String> args = new ArrayList<>();
      c.path("args").forEach(a -> args.add(a.asText()));
      assertThat(args).as(f).startsWith("--config=/etc/otel-config.yaml").contains(healthArg);
      JsonNode podIp = null;
      for (JsonNode e : c.path("env")) {
        if (e.path("name").asText().equals("MY_POD_IP")) {
          podIp = e;
        }
      }
      assertThat(podIp).as(f + ": env MY_POD_IP").isNotNull();
      assertThat(podIp.path("valueFrom").path("fieldRef").path("fieldPath").asText()).as(f).isEqualTo("status.podIP");
      assertThat(c.path("livenessProbe").path("httpGet").path("port").asInt()).as(f).isEqualTo(HEALTH);
      assertThat(c.path("readinessProbe").path("httpGet").path("port").asInt()).as(f).isEqualTo(HEALTH);
      boolean telemetryPort = c.path("ports").toString().contains("8888");
      assertThat(args.stream().anyMatch(a -> a.contains("service::telemetry::metrics::readers") && a.contains("${env:MY_POD_IP}")))
          .as(f + ": self-metrics bound to the pod IP where the telemetry port is declared").isEqualTo(telemetryPort);
      if (f.equals("daemonset.yaml")) {
        daemonsetArgs = args;
      }
    }
    // The daemonset's arguments (health and self-metrics), with this machine's own address as the pod IP.
    InetAddress podIp = ListeningSockets.ownNonLoopbackIpv4().orElse(LOOPBACK);
    System.out.println("pod IP stand-in: " + podIp.getHostAddress());
    List<String> args = new ArrayList<>(daemonsetArgs);
    args.set(0, "--config=" + config(dir, ""));
    try (ExternalProcess p = start(dir, args, Map.of("MY_POD_IP", podIp.getHostAddress()))) {
      p.awaitHttpOk(url(podIp, HEALTH, "/"), Duration.ofSeconds(60));
      assertThat(status(url(podIp, TELEMETRY, "/metrics"))).isEqualTo(200);
      for (int port : new int[] {HEALTH, TELEMETRY}) {
        assertThat(ListeningSockets.on(port)).as("sockets listening on " + port).containsExactly(podIp);
        if (!podIp.isLoopbackAddress()) {
          assertThat(connects(LOOPBACK, port)).as("127.0.0.1:" + port + " (not bound)").isFalse();
        }
      }
      assertThat(p.logText()).doesNotContain("unset environment variable").doesNotContain("deprecated");
    }
  }
}
