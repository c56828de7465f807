package dev.otelcoljava.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the project's shared files ({@code ../shared} beside the repository: scenarios, fixtures,
 * spec) and the repository root, from the system properties the build sets ({@code
 * otelcol.shared.dir}, {@code otelcol.repo.dir}) or by walking up from the working directory.
 */
public final class SharedFiles {
  private SharedFiles() {}

  /** The repository root (the folder with the parent pom.xml and README.md). */
  public static Path repoDir() {
    String p = System.getProperty("otelcol.repo.dir");
    if (p != null && Files.isDirectory(Path.of(p))) {
      return Path.of(p).toAbsolutePath().normalize();
    }
    Path d = Path.of("").toAbsolutePath();
    while (d != null) {
      if (Files.exists(d.resolve("pipeline-runtime")) && Files.exists(d.resolve("pom.xml"))) {
        return d;
      }
      d = d.getParent();
    }
    throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
  }

  /** The shared folder; fails with a clear message when it is not beside the repository. */
  public static Path sharedDir() {
    String p = System.getProperty("otelcol.shared.dir");
    if (p != null && Files.isDirectory(Path.of(p))) {
      return Path.of(p).toAbsolutePath().normalize();
    }
    Path d = repoDir().resolveSibling("shared");
    if (Files.isDirectory(d)) {
      return d;
    }
    throw new IllegalStateException("the shared folder is missing: expected it at " + d
        + " (clone the repository beside ../shared, as CI does)");
  }

  public static Path fixtures() {
    return sharedDir().resolve("fixtures");
  }

  public static Path scenarios() {
    return sharedDir().resolve("scenarios");
  }
}
