package dev.otelcoljava.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared/fixtures for benchmarks: the system property {@code otelcol.shared.dir}, else
 * a {@code shared} folder beside any parent of the working directory. Benchmarks read fixtures in
 * place; nothing is copied into the jar.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    String p = System.getProperty("otelcol.shared.dir");
    if (p != null && Files.isDirectory(Path.of(p, "fixtures"))) {
      return Path.of(p, "fixtures");
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path f = d.resolveSibling("shared").resolve("fixtures");
      if (Files.isDirectory(f)) {
        return f;
      }
      Path g = d.resolve("shared").resolve("fixtures");
      if (Files.isDirectory(g)) {
        return g;
      }
    }
    throw new IllegalStateException(
        "cannot find shared/fixtures from " + Path.of("").toAbsolutePath() + "; set -Dotelcol.shared.dir=/path/to/shared");
  }

  public static byte[] read(String relative) {
    try {
      return Files.readAllBytes(dir().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
