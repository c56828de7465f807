package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The app directory built by {@code package} ({@code otelcol.app.dir}) and short command runs. */
final class AppDir {
  private AppDir() {}

  static Path home() {
    String dir = System.getProperty("otelcol.app.dir", "target/otelcol-java");
    Path p = Path.of(dir).toAbsolutePath();
    assertThat(p.resolve("bin/otelcol-java")).as("app directory (run mvn -B -DskipTests package first)").isExecutable();
    return p;
  }

  static Path launcher() {
    return home().resolve("bin/otelcol-java");
  }

  /** The version the build wrote into VERSION.txt ("otelcol-java 0.1.0-SNAPSHOT"). */
  static String version() throws IOException {
    String text = Files.readString(home().resolve("VERSION.txt")).trim();
    return text.substring(text.lastIndexOf(' ') + 1);
  }

  record Result(int exitCode, String output) {}

  /** Runs a command to completion (stdout and stderr together), failing after 60 s. */
  static Result run(List<String> command, Map<String, String> env, Path workDir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(workDir.toFile());
    pb.environment().remove("AOT_CONFIG_CONTENT");
    pb.environment().remove("JAVA_OPTS");
    pb.environment().remove("OTELCOL_JAVA_OPTS");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(workDir, "run", ".log");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s; output:\n" + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
