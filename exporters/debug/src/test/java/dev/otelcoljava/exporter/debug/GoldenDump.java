package dev.otelcoljava.exporter.debug;

import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the current output of each golden case to target/golden-actual (for review). */
final class GoldenDump {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (Verbosity v : Verbosity.values()) {
      Files.writeString(dir.resolve("all_types_" + v.yaml() + ".txt"), DebugExporterTest.render(v, TestBatches.allTypes()));
      Files.writeString(dir.resolve("scrape_" + v.yaml() + ".txt"), DebugExporterTest.render(v, TestBatches.scrapeLike()));
    }
  }
}
