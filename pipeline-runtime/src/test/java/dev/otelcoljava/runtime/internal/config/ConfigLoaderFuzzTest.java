package dev.otelcoljava.runtime.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.internal.TestComponents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing of the config loader, the way the collector reads a config handed in
 * {@code AOT_CONFIG_CONTENT} (or a file): resolve ({@link ConfigResolver}: YAML, {@code ::} keys,
 * {@code ${env:...}} expansion with variables that reference each other) and validate ({@link
 * ServiceConfigLoader} with the test components, which read their config keys as the real ones do).
 * For any input, random bytes or random mutations of the real configs in ../shared/scenarios and
 * ../shared/fixtures/adot/config and of this module's config test files:
 *
 * <ul>
 *   <li>the result is a config or a {@link ConfigException}, never another exception;
 *   <li>a ConfigException has at least one problem, and each problem is a sentence, not an
 *       exception's toString or a bare "null";
 *   <li>each input is decided within {@link #PER_INPUT_SECONDS} (alias bombs, deep nesting, long
 *       lines included).
 * </ul>
 *
 * Tries per property: {@code jqwik.tries.default} (src/test/resources/junit-platform.properties; the
 * long run: scripts/README.md).
 */
class ConfigLoaderFuzzTest {
  static final long PER_INPUT_SECONDS = 5;
  private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "config-fuzz");
    t.setDaemon(true);
    return t;
  });
  private static final ComponentRegistry REGISTRY = new TestComponents().registry();
  private static List<String> seeds;

  @AfterContainer
  static void stopRunner() {
    RUNNER.shutdownNow();
  }

  @Property
  void anyText_configOrCleanConfigError(@ForAll("anyText") String yaml, @ForAll("envs") Map<String, String> env) {
    assertConfigOrCleanError(yaml, env);
  }

  @Property
  void mutatedRealConfigs_configOrCleanConfigError(@ForAll("mutatedConfigs") String yaml, @ForAll("envs") Map<String, String> env) {
    assertConfigOrCleanError(yaml, env);
  }

  /** Billion laughs and deep nesting: refused quickly, not expanded or recursed into. */
  @Property(tries = 20)
  void aliasBombsAndDeepNesting_decidedQuickly(@ForAll("bombs") String yaml) {
    assertConfigOrCleanError(yaml, Map.of());
  }

  // ---- the check ----------------------------------------------------------------------------

  static void assertConfigOrCleanError(String yaml, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put(ConfigResolver.AOT_CONFIG_CONTENT, yaml);
    Future<Throwable> f = RUNNER.submit(() -> {
      try {
        ConfigResolver.Resolved r = ConfigResolver.resolve(List.of("env:" + ConfigResolver.AOT_CONFIG_CONTENT), EnvLookup.of(all), false);
        ServiceConfigLoader.load(r.config(), REGISTRY);
        return null;
      } catch (ConfigException e) {
        return cleanError(e);
      } catch (Throwable t) {
        return t;
      }
    });
    Throwable t;
    try {
      t = f.get(PER_INPUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("config not decided within " + PER_INPUT_SECONDS + " s:\n" + shown(yaml) + "\nenv: " + env);
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
    if (t != null) {
      throw new AssertionError("config threw " + t + " instead of a config error:\n" + shown(yaml) + "\nenv: " + env, t);
    }
  }

  /** Null if the error is clean, else an AssertionError saying why. */
  static Throwable cleanError(ConfigException e) {
    if (e.problems().isEmpty()) {
      return new AssertionError("ConfigException without problems: " + e.getMessage());
    }
    for (String p : e.problems()) {
      if (p == null || p.isBlank() || p.equals("null") || p.endsWith(": null") || p.contains("java.") || p.matches(".*\\b[A-Z]\\w*Exception\\b.*")) {
        return new AssertionError("unclean config problem: " + p, e);
      }
    }
    return null;
  }

  static String shown(String s) {
    return s.length() > 4000 ? s.substring(0, 4000) + "... (" + s.length() + " chars)" : s;
  }

  // ---- generators ---------------------------------------------------------------------------

  static final List<String> YAML_BITS = List.of(
      "receivers:", "exporters:", "processors:", "extensions:", "service:", "pipelines:", "metrics:", "metrics/x:",
      "  ", "    ", "- ", "? ", ": ", "::", "\n", "#", "&a ", "*a", "<<: *a", "!!binary ", "!!str ", "!!map", "!!int ", "{", "}", "[",
      "]", ",", "\"", "'", "|", ">", "---", "...", "${env:A}", "${env:B}", "${env:UNSET}", "${A}", "$${env:A}", "$$", "${",
      "${env:A:-d}", "${file:/nonexistent}", "${yaml:a}", "0x1F", "010", "1e3", ".inf", "~", "null", "true", "on", "yes",
      "endpoint: ", "auth:", "authenticator: sigv4auth", "testexp", "testrcv", "prometheusremotewrite", "\t", "\u00e9",
      "\uD83D\uDE00", "\u0000", "\r\n");

  @Provide
  Arbitrary<String> anyText() {
    Arbitrary<String> bits = Arbitraries.of(YAML_BITS).list().ofMaxSize(60).map(l -> String.join("", l));
    Arbitrary<String> chars = Arbitraries.strings().withChars(":-# \n{}[],&*!|>'\"$%@`\\tab0123456789").ofMaxLength(200);
    Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(100);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, bits), net.jqwik.api.Tuple.of(3, chars), net.jqwik.api.Tuple.of(1, unicode));
  }

  /** Environment variables, some referencing each other (cycles included) or holding YAML. */
  @Provide
  Arbitrary<Map<String, String>> envs() {
    Arbitrary<String> value = Arbitraries.of(
        "", "x", "http://127.0.0.1:9/api/v1/write", "${env:A}", "${env:B}", "${A}", "$${env:A}", "[a, b]", "{k: v}", "a: b",
        "- x", "123", "true", "${env:UNSET}", "${env:A}${env:B}", "\n", ":", "${");
    return Combinators.combine(value.optional(), value.optional(), value.optional()).as((a, b, c) -> {
      Map<String, String> m = new HashMap<>();
      a.ifPresent(v -> m.put("A", v));
      b.ifPresent(v -> m.put("B", v));
      c.ifPresent(v -> m.put("AMP_REMOTE_WRITE_URL", v));
      return m;
    });
  }

  @Provide
  Arbitrary<String> mutatedConfigs() {
    List<String> all = seeds();
    Arbitrary<LineMutation> m = Combinators.combine(
            Arbitraries.integers().between(0, 7), Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1),
            Arbitraries.of(YAML_BITS))
        .as(LineMutation::new);
    return Combinators.combine(Arbitraries.of(all), m.list().ofMinSize(1).ofMaxSize(6)).as((s, ms) -> {
      String out = s;
      for (LineMutation x : ms) {
        out = x.apply(out);
      }
      return out;
    });
  }

  record LineMutation(int kind, double where, double other, String bit) {
    String apply(String text) {
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      int i = Math.min(lines.size() - 1, (int) (where * lines.size()));
      int j = Math.min(lines.size() - 1, (int) (other * lines.size()));
      String line = lines.get(i);
      switch (kind) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(j, line);
        case 2 -> lines.set(i, "  " + line);
        case 3 -> lines.set(i, line.length() >= 2 ? line.substring(2) : line);
        case 4 -> { // insert a YAML bit inside the line
          int at = (int) (other * line.length());
          lines.set(i, line.substring(0, at) + bit + line.substring(at));
        }
        case 5 -> { // replace the value after the first colon
          int c = line.indexOf(':');
          if (c >= 0) {
            lines.set(i, line.substring(0, c + 1) + " " + bit);
          }
        }
        case 6 -> { // move a line elsewhere
          lines.remove(i);
          lines.add(Math.min(j, lines.size()), line);
        }
        default -> { // flip one character
          if (!line.isEmpty()) {
            int at = (int) (other * line.length());
            lines.set(i, line.substring(0, at) + bit.charAt(0) + line.substring(Math.min(line.length(), at + 1)));
          }
        }
      }
      return String.join("\n", lines);
    }
  }

  @Provide
  Arbitrary<String> bombs() {
    return Arbitraries.integers().between(1, 4).flatMap(kind -> Arbitraries.integers().between(8, 60).map(n -> switch (kind) {
      case 1 -> billionLaughs(n);
      case 2 -> "receivers: " + "[".repeat(n * 200) + "]".repeat(n * 200) + "\n";
      case 3 -> "receivers:\n" + nestedMaps(n * 50);
      // a long value (SnakeYAML scans one scalar in quadratic time: 400k chars ~0.5 s, 3M ~10 s), or
      // a document over SnakeYAML's 3M code point limit, refused before it is scanned
      default -> "exporters:\n  testexp:\n    k: \"" + "x".repeat(n < 30 ? n * 10_000 : 3_200_000) + "\"\n";
    }));
  }

  static String billionLaughs(int levels) {
    StringBuilder sb = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < levels; i++) {
      sb.append("a").append(i).append(": &a").append(i).append(" [");
      for (int k = 0; k < 9; k++) {
        sb.append(k == 0 ? "" : ",").append("*a").append(i - 1);
      }
      sb.append("]\n");
    }
    return sb.append("receivers:\n  testrcv:\n    k: *a").append(levels - 1).append('\n').toString();
  }

  static String nestedMaps(int depth) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      sb.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
    }
    return sb.toString();
  }

  /** The real configs (scenarios, ADOT's shipped configs) and this module's config test files. */
  static synchronized List<String> seeds() {
    if (seeds == null) {
      List<String> out = new ArrayList<>();
      Path shared = Path.of(System.getProperty("otelcol.shared.dir", "../../shared"));
      for (Path dir : List.of(shared.resolve("scenarios"), shared.resolve("fixtures/adot/config"))) {
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path p : s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
            out.add(Files.readString(p));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      for (String name : List.of("valid.yaml", "invalid_empty_sections.yaml", "invalid_pipelines.yaml",
          "invalid_sigv4_not_enabled.yaml", "invalid_unknown_key_and_type.yaml")) {
        try (InputStream in = ConfigLoaderFuzzTest.class.getResourceAsStream(name)) {
          out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      assertThat(out).as("configs under %s", shared).hasSizeGreaterThan(20);
      seeds = out;
    }
    return seeds;
  }
}
