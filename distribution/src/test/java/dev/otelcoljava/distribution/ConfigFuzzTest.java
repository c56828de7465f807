package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.internal.config.ComponentRegistry;
import dev.otelcoljava.runtime.internal.config.ConfigException;
import dev.otelcoljava.runtime.internal.config.ConfigResolver;
import dev.otelcoljava.runtime.internal.config.EnvLookup;
import dev.otelcoljava.runtime.internal.config.ServiceConfigLoader;
import dev.otelcoljava.testing.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Property-based fuzzing of config loading with every component this distribution installs, so
 * that each component's own config reader is fuzzed too (relabel rules, durations, endpoints, TLS
 * and auth blocks, processor rule lists...). Inputs: random mutations of the real configs in
 * ../shared/scenarios and ../shared/fixtures/adot/config (lines removed, duplicated, moved,
 * re-indented; values replaced by YAML oddities: anchors, tags, flow collections, numbers in other
 * bases, {@code ${...}} references, huge and negative numbers). Properties: loading ends in a
 * config or a {@link ConfigException} whose problems are sentences (never another exception, never
 * an exception's toString), within {@link #PER_INPUT_SECONDS}. Nothing is started: only the
 * config is read and validated, as {@code otelcol-java validate} does.
 *
 * <p>Tries: {@code jqwik.tries.default} (src/test/resources/junit-platform.properties; the long run
 * is described in scripts/README.md).
 */
class ConfigFuzzTest {
  static final long PER_INPUT_SECONDS = 5;
  private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "config-fuzz");
    t.setDaemon(true);
    return t;
  });
  private static final ComponentRegistry REGISTRY = ComponentRegistry.loadInstalled();
  private static final Map<String, String> ENV = Map.of(
      "AMP_REMOTE_WRITE_URL", "http://127.0.0.1:9/api/v1/write", "AWS_REGION", "us-west-2", "NODE_NAME", "node-1",
      "K8S_NODE_NAME", "node-1", "HOST_IP", "127.0.0.1", "HOST_NAME", "node-1", "K8S_NAMESPACE", "default",
      "AWS_PROMETHEUS_ENDPOINT", "http://127.0.0.1:9/api/v1/remote_write", "POD_NAME", "pod-1");
  private static List<String> seeds;

  @AfterContainer
  static void stopRunner() {
    RUNNER.shutdownNow();
  }

  @Property
  void mutatedRealConfigs_configOrCleanConfigError(@ForAll("mutatedConfigs") String yaml) {
    Map<String, String> env = new HashMap<>(ENV);
    env.put(ConfigResolver.AOT_CONFIG_CONTENT, yaml);
    Future<Throwable> f = RUNNER.submit(() -> {
      try {
        ConfigResolver.Resolved r = ConfigResolver.resolve(List.of("env:" + ConfigResolver.AOT_CONFIG_CONTENT), EnvLookup.of(env), false);
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
      throw new AssertionError("config not decided within " + PER_INPUT_SECONDS + " s:\n" + yaml);
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
    if (t != null) {
      throw new AssertionError("config threw " + t + " instead of a config error:\n" + yaml, t);
    }
  }

  /** Null if every problem is a sentence, else an AssertionError naming the first that is not. */
  static Throwable cleanError(ConfigException e) {
    if (e.problems().isEmpty()) {
      return new AssertionError("ConfigException without problems: " + e.getMessage());
    }
    for (String p : e.problems()) {
      if (p == null || p.isBlank() || p.equals("null") || p.endsWith(": null") || p.contains("java.") || p.matches("(?s).*\\b[A-Z]\\w*Exception\\b.*")) {
        return new AssertionError("unclean config problem: " + p, e);
      }
    }
    return null;
  }

  static final List<String> BITS = List.of(
      "", "0", "-1", "1.5", "1e309", "-9223372036854775809", "99999999999999999999", "0x10", "010", ".inf", ".nan", "~", "null",
      "true", "on", "[]", "{}", "[a, b]", "{a: 1}", "\"\"", "''", "&a x", "*a", "*undefined", "!!binary x", "!!int x", "!!map",
      "!!seq", "!!str 5", "!!float x", "!!timestamp x", "|", ">-", "${env:UNSET}", "${env:AWS_REGION}", "$$", "${", "${unknown:x}",
      "-5s", "5", "5x", "1h2m", "0s", "99999h", "http://", "://x", "127.0.0.1:99999", "[::1]:0", "a b", "\t", "(", "[a-", "*+",
      "\\", "\u00e9", "__name__", "keep", "labelmap", "hashmod", "drop", "replace", "sigv4auth", "prometheusremotewrite", "metrics",
      "metrics/x", "receivers", "exporters", "processors", "extensions", "pipelines", "service", "- x", "? x", ": x", "k: v");

  @Provide
  Arbitrary<String> mutatedConfigs() {
    List<String> all = seeds();
    Arbitrary<int[]> m = Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofSize(4);
    return Combinators.combine(Arbitraries.of(all), m.list().ofMinSize(1).ofMaxSize(6)).as((s, ms) -> {
      String out = s;
      for (int[] x : ms) {
        out = mutate(out, x[0] % 8, x[1], x[2], BITS.get(x[3] % BITS.size()));
      }
      return out;
    });
  }

  static String mutate(String text, int kind, int a, int b, String bit) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int i = a % lines.size();
    int j = b % lines.size();
    String line = lines.get(i);
    switch (kind) {
      case 0 -> lines.remove(i);
      case 1 -> lines.add(j, line);
      case 2 -> lines.set(i, "  " + line);
      case 3 -> lines.set(i, line.length() >= 2 ? line.substring(2) : line);
      case 4 -> {
        int at = b % (line.length() + 1);
        lines.set(i, line.substring(0, at) + bit + line.substring(at));
      }
      case 5, 7 -> { // a value replaced (the most common way a config goes wrong)
        int c = line.indexOf(": ");
        int dash = line.indexOf("- ");
        if (c >= 0) {
          lines.set(i, line.substring(0, c + 2) + bit);
        } else if (dash >= 0) {
          lines.set(i, line.substring(0, dash + 2) + bit);
        }
      }
      default -> {
        lines.remove(i);
        lines.add(Math.min(j, lines.size()), line);
      }
    }
    return String.join("\n", lines);
  }

  static synchronized List<String> seeds() {
    if (seeds == null) {
      List<String> out = new ArrayList<>();
      for (Path dir : List.of(SharedFiles.scenarios(), SharedFiles.fixtures().resolve("adot/config"))) {
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path p : s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
            out.add(Files.readString(p));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      assertThat(out).hasSizeGreaterThan(20);
      seeds = out;
    }
    return seeds;
  }
}
