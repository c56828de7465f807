package dev.otelcoljava.distribution.k8s;

import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distribution's {@code bin/otelcol-java} run as if in a pod, in a private mount namespace
 * ({@code unshare -m}) where, as the kubelet arranges in a real pod:
 *
 * <ul>
 *   <li>{@code /var/run/secrets/kubernetes.io/serviceaccount/} holds this pod's own {@code token},
 *       the cluster {@code ca.crt} and {@code namespace};
 *   <li>{@code /etc/hosts} resolves {@code kubernetes.default.svc[.cluster.local]} to 127.0.0.1
 *       (cluster DNS);
 *   <li>{@code /var/lib} is a directory of the test (for a WAL directory such as
 *       {@code /var/lib/collector/wal}).
 * </ul>
 *
 * Nothing outside the namespace changes. The config file is used as it is; the only additions are
 * two {@code --config=yaml:} sources that move the health_check and self-metrics listeners from
 * their fixed default ports (localhost:13133 / localhost:8888; the shipped manifests bind the pod
 * IP there) to free 127.0.0.1 ports (several collectors share one host here).
 * The cluster CA is also the JVM's default trust ({@code javax.net.ssl.trustStore}), as the
 * system roots of a node would hold the CA of a real API server's certificate. Needs root (or
 * unprivileged user namespaces) for {@code unshare}.
 */
public final class CollectorPod implements AutoCloseable {
  private final ExternalProcess process;
  private final int healthPort;
  private final int telemetryPort;
  private final Path dir;

  private CollectorPod(ExternalProcess process, int healthPort, int telemetryPort, Path dir) {
    this.process = process;
    this.healthPort = healthPort;
    this.telemetryPort = telemetryPort;
    this.dir = dir;
  }

  /**
   * Starts a collector "pod" named {@code name} (its files under {@code workDir/name}) with
   * {@code config}, the environment {@code env} and the service account token {@code token};
   * {@code extraHosts} are more names that the pod's DNS resolves to 127.0.0.1 (e.g. the AMP
   * endpoint's host, so that SigV4 infers its service and region as for the real one). Call
   * {@link #awaitReady()} next.
   */
  public static CollectorPod start(Path launcher, String name, Path workDir, Path config, Map<String, String> env,
      Pki pki, String token, String namespace, String... extraHosts) throws Exception {
    String unshare = ExternalProcess.requireBinary("unshare", "apt-get install -y util-linux");
    Path dir = workDir.resolve(name);
    Path sa = dir.resolve("serviceaccount");
    Path varLib = dir.resolve("var-lib");
    Files.createDirectories(sa);
    Files.createDirectories(varLib);
    Files.writeString(sa.resolve("token"), token);
    Files.copy(pki.caCert(), sa.resolve("ca.crt"));
    Files.writeString(sa.resolve("namespace"), namespace);
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, """
        127.0.0.1 localhost
        127.0.0.1 kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local
        ::1 localhost ip6-localhost ip6-loopback
        """ + (extraHosts.length == 0 ? "" : "127.0.0.1 " + String.join(" ", extraHosts) + "\n"));
    int health = FreePorts.find();
    int telemetry = FreePorts.find();
    String script = """
        set -e
        mount -t tmpfs -o mode=755 tmpfs /run
        mkdir -p /run/secrets/kubernetes.io/serviceaccount
        mount --bind "$1" /run/secrets/kubernetes.io/serviceaccount
        mount --bind "$2" /etc/hosts
        mount --bind "$3" /var/lib
        shift 3
        exec "$@"
        """;
    List<String> cmd = new ArrayList<>(List.of(unshare, "-m"));
    if (!"root".equals(System.getProperty("user.name"))) {
      cmd.add(1, "-r");
    }
    cmd.addAll(List.of("sh", "-c", script, "pod-setup", sa.toString(), hosts.toString(), varLib.toString(),
        launcher.toString(), "--config=" + config,
        "--config=yaml:extensions::health_check::endpoint: 127.0.0.1:" + health,
        "--config=yaml:service::telemetry::metrics::address: 127.0.0.1:" + telemetry));
    Map<String, String> e = new HashMap<>(env);
    e.put("JAVA_OPTS", pki.jvmTrustFlags());
    e.put("OTELCOL_JAVA_CDS", "off");
    ExternalProcess p = ExternalProcess.start(name, cmd, dir, e);
    return new CollectorPod(p, health, telemetry, dir);
  }

  /** {@code bin/otelcol-java} of the app directory that {@code package} built ({@code otelcol.app.dir}). */
  public static Path launcher() {
    Path p = Path.of(System.getProperty("otelcol.app.dir", "target/otelcol-java")).toAbsolutePath().resolve("bin/otelcol-java");
    if (!Files.isExecutable(p)) {
      throw new AssertionError(p + " is missing: build the app directory first (mvn -B -o -pl distribution package -DskipTests)");
    }
    return p;
  }

  /** Waits until health_check answers 200 (the pipeline is running). */
  public CollectorPod awaitReady() {
    try {
      long t = System.nanoTime();
      process.awaitHttpOk("http://127.0.0.1:" + healthPort + "/", Duration.ofSeconds(90));
      System.out.printf("%s ready after %.1f s more%n", dir.getFileName(), (System.nanoTime() - t) / 1e9);
    } catch (AssertionError err) {
      process.close();
      String log = process.logText();
      throw new AssertionError(err.getMessage() + (log.contains("mount") || log.contains("unshare")
          ? "\n(the test needs to create a private mount namespace: run it as root or allow unprivileged user namespaces)"
          : ""), err);
    }
    return this;
  }

  public long pid() {
    return process.pid();
  }

  public ExternalProcess process() {
    return process;
  }

  public int telemetryPort() {
    return telemetryPort;
  }

  public int healthPort() {
    return healthPort;
  }

  public Path dir() {
    return dir;
  }

  /** SIGTERM and wait for the exit code (-1 if it did not exit in time). */
  public int stop() {
    process.terminate();
    return process.waitFor(Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    process.close();
  }
}
