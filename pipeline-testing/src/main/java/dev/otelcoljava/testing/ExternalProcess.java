package dev.otelcoljava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/**
 * A real program that a test starts and stops: output to a log file, readiness by polling an HTTP
 * URL, SIGTERM then SIGKILL on {@link #close()}. A missing binary fails the test with the command
 * that installs it (tests never skip silently).
 */
public final class ExternalProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;

  private ExternalProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Returns the absolute path of a program on PATH (or at an absolute path), or fails with the
   * install command.
   */
  public static String requireBinary(String program, String installHint) {
    if (program.startsWith("/")) {
      if (Files.isExecutable(Path.of(program))) {
        return program;
      }
    } else {
      String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
      List<String> dirs = new ArrayList<>(List.of(path.split(":")));
      dirs.add("/usr/sbin");
      dirs.add("/sbin");
      for (String dir : dirs) {
        Path p = Path.of(dir, program);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    throw new AssertionError(program + " is not installed; install it with: " + installHint);
  }

  /** Starts the command in {@code workDir} with extra environment, logging to {@code workDir/<name>.log}. */
  public static ExternalProcess start(String name, List<String> command, Path workDir, Map<String, String> env) {
    try {
      Files.createDirectories(workDir);
      Path log = workDir.resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      return new ExternalProcess(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return log;
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** Polls the URL until it answers 2xx, the process dies, or the timeout passes (then fails). */
  public ExternalProcess awaitHttpOk(String url, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; log:\n" + tail());
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 == 2) {
          return this;
        }
        last = "status " + r.statusCode();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      sleep(100);
    }
    throw new AssertionError(name + " not ready at " + url + " within " + timeout + " (" + last + "); log:\n" + tail());
  }

  /** The last 4 KiB of the log, for failure messages. */
  public String tail() {
    String t = logText();
    return t.length() > 4096 ? t.substring(t.length() - 4096) : t;
  }

  /** Sends SIGTERM (graceful stop). */
  public void terminate() {
    process.destroy();
  }

  /** Sends SIGKILL. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for exit; returns the exit code, or -1 on timeout. */
  public int waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (waitFor(Duration.ofSeconds(10)) == -1) {
        kill();
      }
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
