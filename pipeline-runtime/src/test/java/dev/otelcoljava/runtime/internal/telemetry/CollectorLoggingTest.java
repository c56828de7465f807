package dev.otelcoljava.runtime.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.MetricsLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorLoggingTest {
  @AfterEach
  void reset() {
    CollectorLogging.reset();
  }

  private static TelemetryConfig cfg(System.Logger.Level level, String encoding, Path file, Map<String, String> fields) {
    return new TelemetryConfig(level, encoding, List.of(file.toString()), false, fields, MetricsLevel.NORMAL, null, 0, Map.of());
  }

  @Test
  void systemLogger_consoleForm_isOtelcolsColumns(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("log.txt");
    CollectorLogging.configure(cfg(System.Logger.Level.INFO, "console", f, Map.of()));
    System.Logger logger = System.getLogger("exporters::debug");
    logger.log(System.Logger.Level.INFO, "hello world");
    logger.log(System.Logger.Level.DEBUG, "hidden at info");
    logger.log(System.Logger.Level.WARNING, "with cause", new IllegalStateException("bad"));
    List<String> lines = Files.readAllLines(f);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\tinfo\texporters::debug\thello world");
    assertThat(lines.get(1)).endsWith("\twarn\texporters::debug\twith cause\t{\"error\": \"java.lang.IllegalStateException: bad\"}");
  }

  @Test
  void slf4jLogger_jsonForm_carriesInitialFields(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("log.json");
    CollectorLogging.configure(cfg(System.Logger.Level.DEBUG, "json", f, Map.of("env", "test")));
    org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk.request");
    logger.debug("sending {} bytes", 42);
    logger.trace("never");
    List<String> lines = Files.readAllLines(f);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("{\"level\":\"debug\",\"ts\":\"")
        .endsWith("\",\"logger\":\"software.amazon.awssdk.request\",\"msg\":\"sending 42 bytes\",\"env\":\"test\"}");
  }

  @Test
  void julLogger_routedToCollectorLog(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("log.txt");
    CollectorLogging.configure(cfg(System.Logger.Level.INFO, "console", f, Map.of()));
    java.util.logging.Logger.getLogger("io.opentelemetry.sdk.metrics").warning("duplicate instrument");
    java.util.logging.Logger.getLogger("io.opentelemetry.sdk.metrics").fine("hidden");
    assertThat(Files.readAllLines(f)).singleElement().asString()
        .endsWith("\twarn\tio.opentelemetry.sdk.metrics\tduplicate instrument");
  }

  @Test
  void errorWithStacktrace_printedAtErrorUnlessDisabled(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("log.txt");
    CollectorLogging.configure(cfg(System.Logger.Level.INFO, "console", f, Map.of()));
    CollectorLogging.logger("x").log(System.Logger.Level.ERROR, "failed", new RuntimeException("why"));
    assertThat(Files.readString(f)).contains("\terror\tx\tfailed\t{\"error\": \"java.lang.RuntimeException: why\"}\n")
        .contains("\tat dev.otelcoljava");
  }
}
