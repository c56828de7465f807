package dev.otelcoljava.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.internal.TestComponents;
import dev.otelcoljava.runtime.internal.config.EnvLookup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(
        args, EnvLookup.of(env), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false, new TestComponents().registry());
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String testdata(String name) throws IOException {
    try (InputStream in = MainTest.class.getResourceAsStream("/dev/otelcoljava/runtime/internal/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void run_noConfigAndNoAotContent_saysHowAndFails() {
    assertThat(run(Map.of())).isEqualTo(1);
    assertThat(err()).startsWith("Error: at least one config flag must be provided").contains("AOT_CONFIG_CONTENT");
    assertThat(err().lines()).hasSize(1);
  }

  @Test
  void run_version_printsBuildVersion() {
    assertThat(run(Map.of(), "--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).matches("otelcol-java version \\S+\\n");
  }

  @Test
  void validate_validConfig_exitsZero(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, testdata("valid.yaml"));
    assertThat(run(Map.of("AMP_REMOTE_WRITE_URL", "http://x"), "validate", "--config", f.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("configuration is valid: 2 pipeline(s)");
  }

  @Test
  void validate_sigv4NotEnabled_headerThenOneLinePerProblem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, testdata("invalid_sigv4_not_enabled.yaml"));
    assertThat(run(Map.of(), "validate", "--config=" + f)).isEqualTo(1);
    assertThat(err().lines().toList()).containsExactly(
        "Error: invalid configuration:",
        "  exporters::prometheusremotewrite::auth::authenticator: references extension \"sigv4auth\", which is"
            + " configured but not enabled; add it to service::extensions (now [health_check])");
  }

  @Test
  void validate_sameConfigThroughAotContent_behavesTheSame(@TempDir Path dir) throws Exception {
    Path valid = dir.resolve("valid.yaml");
    Files.writeString(valid, testdata("valid.yaml"));
    Map<String, String> env = Map.of("AOT_CONFIG_CONTENT", testdata("invalid_sigv4_not_enabled.yaml"));
    // --config points at a valid file, but AOT_CONFIG_CONTENT wins.
    assertThat(run(env, "validate", "--config", valid.toString(), "--set", "a.b=c")).isEqualTo(1);
    assertThat(err()).contains("references extension \"sigv4auth\", which is configured but not enabled");
  }

  @Test
  void run_setWithoutEqualSign_fails() {
    assertThat(run(Map.of(), "--config", "x.yaml", "--set", "nope")).isEqualTo(1);
    assertThat(err()).isEqualTo("Error: invalid argument \"nope\" for \"--set\" flag: missing equal sign\n");
  }

  @Test
  void run_unknownFlagOrGate_fails() {
    assertThat(run(Map.of(), "--bogus")).isEqualTo(1);
    assertThat(run(Map.of(), "--feature-gates=+nope", "--config", "x.yaml")).isEqualTo(1);
    assertThat(err()).contains("Error: unknown flag: --bogus").contains("no such feature gate \"nope\"");
  }

  @Test
  void components_listsKindTypeStabilityAliases() {
    assertThat(run(Map.of(), "components")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("buildinfo:\n  command: otelcol-java\n")
        .contains("exporters:\n")
        .contains("  - name: prometheus_remote_write\n    stability:\n      metrics: Beta\n"
            + "    deprecated_aliases: [prometheusremotewrite]\n")
        .contains("  - name: sigv4auth\n    stability:\n      extension: Beta\n");
  }

  @Test
  void main_sigterm_drainsAndExitsZero(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, """
        receivers: {cli_receiver: }
        exporters: {cliexporter: }
        service:
          pipelines:
            metrics: {receivers: [cli_receiver], exporters: [cliexporter]}
        """);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("--config=" + cfg);
    cmd.add("--set=service.telemetry.metrics.address=127.0.0.1:" + port);
    Path log = dir.resolve("stderr.txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      boolean up = false;
      while (!up && System.nanoTime() < deadline && p.isAlive()) {
        try {
          HttpResponse<String> r = http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
          up = r.statusCode() == 200 && r.body().contains("otelcol_receiver_accepted_metric_points")
              || r.statusCode() == 200 && Files.readString(log).contains("Everything is ready");
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      assertThat(up).as(Files.readString(log)).isTrue();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String text = Files.readString(log);
      assertThat(p.exitValue()).as(text).isZero();
      assertThat(text)
          .contains("\"cliexporter\" alias is deprecated; use \"cli_exporter\" instead")
          .contains("Received signal from OS: SIGTERM")
          .contains("\texporters::cliexporter\tflushed")
          .contains("Shutdown complete.")
          .doesNotContain("Exception");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void featureGates_mayNameAGateAComponentRegistersAtClassInitialisation(@TempDir Path dir) throws Exception {
    // a fresh JVM: the factory classes are first initialised when the CLI loads the installed factories
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, """
        receivers: {cli_receiver: }
        exporters: {cli_exporter: }
        service:
          pipelines:
            metrics: {receivers: [cli_receiver], exporters: [cli_exporter]}
        """);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("validate");
    cmd.add("--feature-gates=-cli.receiver.TestGate");
    cmd.add("--config=" + cfg);
    Path log = dir.resolve("out.txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String text = Files.readString(log);
      assertThat(p.exitValue()).as(text).isZero();
      assertThat(text).contains("configuration is valid: 1 pipeline(s)").doesNotContain("no such feature gate");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void help_documentsExplain() {
    assertThat(run(Map.of(), "--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help).contains("otelcol-java explain --config=URI... --input=FILE", "--target=NAME=VALUE",
        "--max-items", "explain      run a pipeline offline", "nothing is scraped or sent");
  }

  @Test
  void explain_withoutInput_saysWhatIsNeeded(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, testdata("valid.yaml"));
    assertThat(run(Map.of("AMP_REMOTE_WRITE_URL", "http://x"), "explain", "--config", f.toString())).isEqualTo(1);
    assertThat(err()).startsWith("Error: explain needs at least one --input=FILE");
  }

  @Test
  void explainFlags_onOtherCommands_areRefused() {
    assertThat(run(Map.of(), "validate", "--input", "x.txt")).isEqualTo(1);
    assertThat(err()).contains("--input, --target, --pipeline and --time belong to the explain command");
    err.reset();
    assertThat(run(Map.of(), "explain", "--target", "novalue")).isEqualTo(1);
    assertThat(err()).contains("--target needs NAME=VALUE, got novalue");
  }

  @Test
  void explain_receiverThatCannotReplay_namesIt(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, testdata("valid.yaml"));
    Path in = dir.resolve("scrape.txt");
    Files.writeString(in, "up 1\n");
    assertThat(run(Map.of("AMP_REMOTE_WRITE_URL", "http://x"), "explain", "--config", f.toString(), "--input",
        in.toString())).isEqualTo(1);
    assertThat(err()).contains("has no receiver that can replay recorded input");
  }
}
