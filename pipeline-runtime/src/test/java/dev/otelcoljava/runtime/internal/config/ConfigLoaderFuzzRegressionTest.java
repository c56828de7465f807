package dev.otelcoljava.runtime.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inputs that {@link ConfigLoaderFuzzTest} once found failing, kept as plain tests. */
class ConfigLoaderFuzzRegressionTest {
  /**
   * A 6 MB value: SnakeYAML scanned the whole scalar (quadratic, ~50 s) before applying its 3M
   * code point limit. Now refused up front, with SnakeYAML's message. (The bound only tells a hang
   * from an answer; the check itself takes milliseconds.)
   */
  @Test
  void oversizedDocument_refusedBeforeScanning() {
    String yaml = "exporters:\n  testexp:\n    k: \"" + "x".repeat(6_000_000) + "\"\n";
    assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        assertThatThrownBy(() -> ConfigResolver.resolve(List.of("env:C"), EnvLookup.of(Map.of("C", yaml)), false))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("env:C")
            .hasMessageContaining("exceeds the limit: 3145728 code points"));
  }

  /** Just under the limit in characters but over it in code points is impossible; at the limit, the document still parses. */
  @Test
  void documentAtTheLimit_stillParses() throws Exception {
    String yaml = "k: [" + "1,".repeat(100_000) + "1]\n";
    assertThat(Yaml.parse(yaml)).isInstanceOf(Map.class);
  }

  /**
   * A character outside the BMP (a surrogate pair) whose high half ends one of SnakeYAML 2.3's
   * 1024-char reads: its StreamReader then read one more char past the end of its buffer
   * (IndexOutOfBoundsException, found by the fuzz test on a mutated config). Valid YAML, so it must
   * parse, wherever the pair falls.
   */
  @Test
  void surrogatePairAcrossSnakeYamlsReadBoundary_parses() throws Exception {
    for (int at = 1000; at < 1040; at++) {
      String prefix = "k: \"" + "x".repeat(at - 4);
      String yaml = prefix + "\ud83d\ude00y\"\n";
      assertThat(yaml.charAt(at)).isEqualTo('\ud83d');
      Object parsed = Yaml.parse(yaml);
      assertThat(parsed).as("pair at %d", at)
          .isEqualTo(Map.of("k", "x".repeat(at - 4) + "\ud83d\ude00y"));
    }
    // A lone high surrogate at the end of a read is refused cleanly, not with an exception.
    for (String lone : List.of("k: \"" + "x".repeat(1019) + "\ud83d\"\n", "k: " + "x".repeat(1020) + "\ud83d")) {
      assertThatThrownBy(() -> ConfigResolver.resolve(List.of("env:C"), EnvLookup.of(Map.of("C", lone)), false))
          .isInstanceOf(ConfigException.class).hasMessageContaining("env:C");
    }
  }

  /** `!!map` on a scalar made SnakeYAML throw a ClassCastException, which escaped the loader. */
  @Test
  void explicitTagOnTheWrongKindOfNode_configError() {
    for (String yaml : List.of("!!map", "receivers: !!map x\n", "receivers: !!seq {a: 1}\n", "k: !!set [a]\n")) {
      assertThatThrownBy(() -> ConfigResolver.resolve(List.of("env:C"), EnvLookup.of(Map.of("C", yaml)), false))
          .as(yaml)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("env:C")
          .hasMessageContaining("an explicit tag does not fit its value");
    }
    assertThatThrownBy(() -> Yaml.parse("receivers: !!map x\n")).hasMessage(
        "an explicit tag does not fit its value (a scalar where the tag needs a mapping)");
  }

  /**
   * Variables whose values reference each other so that the text doubles at every expansion step:
   * the 1000 steps ran out of memory. Now a clean error naming the path.
   */
  @Test
  void selfReferencingVariables_cleanErrorNotMemoryExhaustion() {
    Map<String, String> env = Map.of("A", "${env:B}", "B", "${env:A}${env:B}",
        "C", "exporters:\n  x:\n    endpoint: http://${env:B}/write\n");
    assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        assertThatThrownBy(() -> ConfigResolver.resolve(List.of("env:C"), EnvLookup.of(env), false))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("exporters::x::endpoint: expanded value longer than 4194304 characters"));
  }
}
