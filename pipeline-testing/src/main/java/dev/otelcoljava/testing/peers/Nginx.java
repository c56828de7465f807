package dev.otelcoljava.testing.peers;

import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * nginx ({@code /usr/sbin/nginx}, Debian nginx-light) serving static exposition files: one {@code
 * server} per port on 127.0.0.1, each serving a directory with {@code default_type text/plain;
 * version=0.0.4} (the Prometheus text format) or another Content-Type given per directory. The config, pid and logs live in the work
 * directory; {@code daemon off}. Run as root it uses {@code user root;} so that files in temp
 * directories are readable.
 */
public final class Nginx implements AutoCloseable {
  public static final String BINARY = "/usr/sbin/nginx";
  public static final String INSTALL = "apt-get install -y nginx-light";

  private final ExternalProcess process;
  private final List<Integer> ports;

  private Nginx(ExternalProcess process, List<Integer> ports) {
    this.process = process;
    this.ports = ports;
  }

  /** The Content-Type of the Prometheus text format 0.0.4, what {@link #start(Path, List)} serves. */
  public static final String TEXT_0_0_4 = "text/plain; version=0.0.4";

  /** The Content-Type an OpenMetrics 1.0.0 exporter (client_python, client_golang) sends. */
  public static final String OPENMETRICS_1_0_0 = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  /** Starts nginx with one server per directory, each on a free port; waits until all listen. */
  public static Nginx start(Path workDir, List<Path> roots) {
    return start(workDir, roots, roots.stream().map(r -> TEXT_0_0_4).toList());
  }

  /**
   * The same, with the Content-Type each server sends for every file ({@code contentTypes.get(i)}
   * for {@code roots.get(i)}), e.g. {@link #OPENMETRICS_1_0_0}.
   */
  public static Nginx start(Path workDir, List<Path> roots, List<String> contentTypes) {
    if (contentTypes.size() != roots.size()) {
      throw new IllegalArgumentException("one content type per root: " + roots.size() + " roots, "
          + contentTypes.size() + " types");
    }
    String bin = ExternalProcess.requireBinary(BINARY, INSTALL);
    List<Integer> ports = new ArrayList<>();
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < roots.size(); i++) {
      Path root = roots.get(i);
      int port = FreePorts.find();
      ports.add(port);
      servers.append("    server {\n")
          .append("      listen 127.0.0.1:").append(port).append(";\n")
          .append("      root ").append(root.toAbsolutePath()).append(";\n")
          .append("      location / {\n")
          .append("        default_type \"").append(contentTypes.get(i)).append("\";\n")
          .append("        types { }\n")
          .append("      }\n")
          .append("    }\n");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    String conf = (root ? "user root;\n" : "")
        + "daemon off;\n"
        + "worker_processes 1;\n"
        + "pid " + workDir.toAbsolutePath().resolve("nginx.pid") + ";\n"
        + "error_log " + workDir.toAbsolutePath().resolve("nginx-error.log") + " warn;\n"
        + "events { worker_connections 1024; }\n"
        + "http {\n"
        + "    access_log " + workDir.toAbsolutePath().resolve("nginx-access.log") + ";\n"
        + "    client_body_temp_path " + workDir.toAbsolutePath().resolve("nginx-tmp") + ";\n"
        + "    proxy_temp_path " + workDir.toAbsolutePath().resolve("nginx-tmp") + ";\n"
        + "    fastcgi_temp_path " + workDir.toAbsolutePath().resolve("nginx-tmp") + ";\n"
        + "    uwsgi_temp_path " + workDir.toAbsolutePath().resolve("nginx-tmp") + ";\n"
        + "    scgi_temp_path " + workDir.toAbsolutePath().resolve("nginx-tmp") + ";\n"
        + "    sendfile on;\n"
        + servers
        + "}\n";
    Path confFile = workDir.toAbsolutePath().resolve("nginx.conf");
    try {
      Files.createDirectories(workDir.resolve("nginx-tmp"));
      Files.writeString(confFile, conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExternalProcess p = ExternalProcess.start("nginx",
        List.of(bin, "-c", confFile.toString(), "-p", workDir.toAbsolutePath().toString(), "-e",
            workDir.toAbsolutePath().resolve("nginx-error.log").toString()),
        workDir, Map.of());
    Nginx n = new Nginx(p, List.copyOf(ports));
    try {
      n.awaitListening(Duration.ofSeconds(20));
    } catch (RuntimeException | Error e) {
      n.close();
      throw e;
    }
    return n;
  }

  private void awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int port : ports) {
      while (true) {
        if (!process.process().isAlive()) {
          throw new AssertionError("nginx exited with " + process.process().exitValue() + "; log:\n" + process.tail());
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          break;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("nginx not listening on " + port + " within " + timeout + "; log:\n"
                + process.tail());
          }
          try {
            Thread.sleep(50);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ie);
          }
        }
      }
    }
  }

  /** The port of the i-th server (same order as the roots given to {@link #start}). */
  public int port(int i) {
    return ports.get(i);
  }

  public List<Integer> ports() {
    return ports;
  }

  public ExternalProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }
}
