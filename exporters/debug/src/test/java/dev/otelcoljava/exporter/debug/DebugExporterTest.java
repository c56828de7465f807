package dev.otelcoljava.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DebugExporterTest {
  static String render(Verbosity v, MetricsBatch batch) {
    CapturingLogger logger = new CapturingLogger();
    DebugExporter e = new DebugExporter(new DebugExporterConfig(v, 2, 1, true, List.of("stdout"), Map.of()),
        logger, null, System::nanoTime);
    e.consume(batch);
    return logger.text();
  }

  static String golden(String name) throws Exception {
    try (InputStream in = DebugExporterTest.class.getResourceAsStream("expected/" + name)) {
      assertThat(in).as("golden file expected/" + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(Verbosity.class)
  void consume_allPointTypes_matchesGolden(Verbosity v) throws Exception {
    assertThat(render(v, TestBatches.allTypes())).isEqualTo(golden("all_types_" + v.yaml() + ".txt"));
  }

  @ParameterizedTest
  @EnumSource(Verbosity.class)
  void consume_scrapeLikeBatch_matchesGolden(Verbosity v) throws Exception {
    assertThat(render(v, TestBatches.scrapeLike())).isEqualTo(golden("scrape_" + v.yaml() + ".txt"));
  }

  @Test
  void consume_sampling_passesFirstNThenEveryMthPerSecond() {
    AtomicLong now = new AtomicLong(1_000);
    CapturingLogger logger = new CapturingLogger();
    DebugExporter e = new DebugExporter(new DebugExporterConfig(Verbosity.BASIC, 2, 3, true, List.of("stdout"), Map.of()),
        logger, null, now::get);
    for (int i = 0; i < 9; i++) {
      e.consume(TestBatches.allTypes());
    }
    // batches 1, 2, then 5 and 8 (every 3rd after the first 2)
    assertThat(logger.messages).hasSize(4);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    e.consume(TestBatches.allTypes());
    e.consume(TestBatches.allTypes());
    e.consume(TestBatches.allTypes());
    assertThat(logger.messages).hasSize(6);
  }

  @Test
  void consume_zeroThereafter_dropsAllAfterInitial() {
    CapturingLogger logger = new CapturingLogger();
    DebugExporter e = new DebugExporter(new DebugExporterConfig(Verbosity.BASIC, 1, 0, true, List.of("stdout"), Map.of()),
        logger, null, () -> 5L);
    for (int i = 0; i < 5; i++) {
      e.consume(TestBatches.allTypes());
    }
    assertThat(logger.messages).hasSize(1);
  }

  @Test
  void consume_outputPathFile_writesSummaryAndDumpNotLogger(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("debug.log");
    CapturingLogger logger = new CapturingLogger();
    DebugExporter e = new DebugExporter(new DebugExporterConfig(Verbosity.NORMAL, 2, 1, false,
        List.of(out.toString()), Map.of()), logger, null, System::nanoTime);
    e.start(null);
    e.consume(TestBatches.scrapeLike());
    e.shutdown(Duration.ofSeconds(1));
    e.shutdown(Duration.ofSeconds(1));
    String text = Files.readString(out);
    assertThat(logger.messages).isEmpty();
    assertThat(text).contains("\tinfo\tMetrics {\"resource metrics\": 1, \"metrics\": 2, \"data points\": 3}\n")
        .contains("\tinfo\tResourceMetrics #0 [https://opentelemetry.io/schemas/1.9.0] service.name=node")
        .endsWith("http_requests_total{code=500} NaN\n");
  }

  @Test
  void goText_formatsNumbersLikeGo() {
    assertThat(shortest(1e6)).isEqualTo("1e+06");
    assertThat(shortest(123456)).isEqualTo("123456");
    assertThat(shortest(0.0001)).isEqualTo("0.0001");
    assertThat(shortest(0.00001)).isEqualTo("1e-05");
    assertThat(shortest(-2.5e-300)).isEqualTo("-2.5e-300");
    assertThat(shortest(78.901234567)).isEqualTo("78.901234567");
    assertThat(shortest(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    StringBuilder sb = new StringBuilder();
    GoText.appendFixed6(sb, 0.15);
    sb.append(' ');
    GoText.appendFixed6(sb, -1.4142135623730951);
    sb.append(' ');
    GoText.appendAsString(sb, 1e21);
    sb.append(' ');
    GoText.appendAsString(sb, 1e-7);
    sb.append(' ');
    GoText.appendAsString(sb, 100.5);
    assertThat(sb.toString()).isEqualTo("0.150000 -1.414214 1e+21 1e-7 100.5");
    StringBuilder ts = new StringBuilder();
    GoText.appendTimestamp(ts, 0);
    ts.append(" / ");
    GoText.appendTimestamp(ts, 1_700_000_000_500_000_000L);
    assertThat(ts.toString()).isEqualTo("1970-01-01 00:00:00 +0000 UTC / 2023-11-14 22:13:20.5 +0000 UTC");
  }

  private static String shortest(double d) {
    StringBuilder sb = new StringBuilder();
    GoText.appendShortest(sb, d);
    return sb.toString();
  }
}
