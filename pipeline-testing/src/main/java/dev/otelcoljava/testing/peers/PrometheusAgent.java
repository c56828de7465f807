package dev.otelcoljava.testing.peers;

import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Prometheus 2.42 in agent mode (Debian package {@code prometheus}) running a scrape config and
 * remote-writing to a sink: the reference a collector's scrape results are compared with.
 */
public final class PrometheusAgent implements AutoCloseable {
  public static final String INSTALL = "apt-get install -y prometheus";

  private final ExternalProcess process;
  private final int port;

  private PrometheusAgent(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the agent with {@code scrapeConfigsYaml} (the text under {@code scrape_configs:},
   * already indented by two spaces) and a global block, remote-writing to {@code remoteWriteUrl}.
   */
  public static PrometheusAgent start(Path workDir, String globalYaml, String scrapeConfigsYaml, String remoteWriteUrl) {
    String bin = ExternalProcess.requireBinary("prometheus", INSTALL);
    int port = FreePorts.find();
    String config = "global:\n" + globalYaml + "scrape_configs:\n" + scrapeConfigsYaml
        + "remote_write:\n  - url: " + remoteWriteUrl + "\n    queue_config:\n      batch_send_deadline: 1s\n";
    try {
      Files.createDirectories(workDir);
      Files.writeString(workDir.resolve("prometheus-agent.yml"), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExternalProcess p = ExternalProcess.start("prometheus-agent", List.of(bin,
        "--enable-feature=agent",
        "--config.file=" + workDir.resolve("prometheus-agent.yml"),
        "--storage.agent.path=" + workDir.resolve("agent-data"),
        "--web.listen-address=127.0.0.1:" + port), workDir, Map.of());
    p.awaitHttpOk("http://127.0.0.1:" + port + "/-/ready", Duration.ofSeconds(30));
    return new PrometheusAgent(p, port);
  }

  public int port() {
    return port;
  }

  public ExternalProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }
}
