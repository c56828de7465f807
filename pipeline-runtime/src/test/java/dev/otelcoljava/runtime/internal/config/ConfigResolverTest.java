package dev.otelcoljava.runtime.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Expansion and merging against otelcol's documented confmap behaviour (docs/rfcs/env-vars.md). */
class ConfigResolverTest {
  private static final Map<String, String> ENV = Map.of(
      "HOST", "localhost",
      "PORT", "8080",
      "EMPTY", "",
      "BOOL", "true",
      "MAPV", "{a: 1, b: [x, y]}",
      "NESTED", "${HOST}",
      "LEADING_ZERO", "0123",
      "DOLLARS", "a$$b",
      "YES", "yes");

  static Stream<Arguments> expansions() {
    return Stream.of(
        Arguments.of("${env:HOST}", "localhost"),
        Arguments.of("${HOST}", "localhost"),
        Arguments.of("${env:PORT}", 8080),
        Arguments.of("${env:BOOL}", true),
        Arguments.of("${env:MAPV}", Map.of("a", 1, "b", List.of("x", "y"))),
        Arguments.of("${env:LEADING_ZERO}", "0123"),
        Arguments.of("${env:YES}", "yes"),
        Arguments.of("http://${env:HOST}:${env:PORT}/api", "http://localhost:8080/api"),
        Arguments.of("x${env:PORT}", "x8080"),
        Arguments.of("${env:UNSET:-fallback}", "fallback"),
        Arguments.of("${env:UNSET:-}", ""),
        Arguments.of("${env:EMPTY:-fallback}", ""),
        Arguments.of("${env:UNSET}", ""),
        Arguments.of("${env:NESTED}", "localhost"),
        Arguments.of("$$", "$"),
        Arguments.of("$$$$", "$$"),
        Arguments.of("$${env:HOST}", "${env:HOST}"),
        Arguments.of("$$${env:HOST}", "$localhost"),
        Arguments.of("$$$${env:HOST}", "$${env:HOST}"),
        Arguments.of("$$$$${env:HOST}", "$$localhost"),
        Arguments.of("$$${env:HOST}$$", "$localhost$"),
        Arguments.of("$HOST", "$HOST"),
        Arguments.of("$1", "$1"),
        Arguments.of("$$1", "$1"),
        Arguments.of("$$HOST", "$HOST"),
        Arguments.of("${env:DOLLARS}", "a$b"),
        Arguments.of("${env:HOST", "${env:HOST"),
        Arguments.of("{HOST}", "{HOST}"),
        Arguments.of("$${env:HOST} ${env:PORT}", "${env:HOST} 8080"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("expansions")
  void resolveYaml_expandsLikeConfmap(String raw, Object expected) throws Exception {
    ConfigResolver.Resolved r = ConfigResolver.resolveYaml("v: '" + raw + "'\n", EnvLookup.of(ENV));
    assertThat(r.config().get("v")).isEqualTo(expected);
  }

  @Test
  void resolveYaml_scalarTyping_followsYaml12CoreLikeGoYaml() throws Exception {
    ConfigResolver.Resolved r = ConfigResolver.resolveYaml("""
        a: yes
        b: on
        c: 0x10
        d: 010
        e: ~
        f: 2024-01-01
        g: 1e3
        h: .inf
        i: True
        j: 1.5
        k: 12345678901234
        l: "123"
        m: 09
        n: null
        base: &base {x: 1, y: 2}
        merged:
          <<: *base
          y: 3
        """, EnvLookup.of(ENV));
    Map<String, Object> c = r.config();
    assertThat(c.get("a")).isEqualTo("yes");
    assertThat(c.get("b")).isEqualTo("on");
    assertThat(c.get("c")).isEqualTo(16);
    assertThat(c.get("d")).isEqualTo(8);
    assertThat(c.get("e")).isNull();
    assertThat(c.get("f")).isEqualTo("2024-01-01");
    assertThat(c.get("g")).isEqualTo(1000.0);
    assertThat(c.get("h")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(c.get("i")).isEqualTo(true);
    assertThat(c.get("j")).isEqualTo(1.5);
    assertThat(c.get("k")).isEqualTo(12345678901234L);
    assertThat(c.get("l")).isEqualTo("123");
    assertThat(c.get("m")).isEqualTo(9);
    assertThat(c).containsKey("n");
    assertThat(c.get("merged")).isEqualTo(Map.of("x", 1, "y", 3));
  }

  @Test
  void resolveYaml_duplicateKey_fails() {
    assertThatThrownBy(() -> ConfigResolver.resolveYaml("a: 1\na: 2\n", EnvLookup.of(ENV)))
        .hasMessageContaining("cannot parse YAML")
        .hasMessageContaining("duplicate key a");
  }

  @Test
  void resolveYaml_unsetVariable_warns() throws Exception {
    ConfigResolver.Resolved r = ConfigResolver.resolveYaml("a: ${env:NOPE}\nb: ${NOPE}\n", EnvLookup.of(ENV));
    assertThat(r.config()).containsEntry("a", "").containsEntry("b", "");
    assertThat(r.warnings()).containsExactly("Configuration references unset environment variable \"NOPE\"");
  }

  @Test
  void resolveYaml_invalidName_fails() {
    assertThatThrownBy(() -> ConfigResolver.resolveYaml("exporters:\n  x:\n    v: ${1}\n", EnvLookup.of(ENV)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "exporters::x::v: environment variable \"1\" has invalid name: must match regex ^[a-zA-Z_][a-zA-Z0-9_]*$");
  }

  @Test
  void resolveYaml_unknownScheme_fails() {
    assertThatThrownBy(() -> ConfigResolver.resolveYaml("v: ${s3:bucket/key}\n", EnvLookup.of(ENV)))
        .hasMessageContaining("v: scheme \"s3\" is not supported");
  }

  @Test
  void resolveYaml_selfReferencingMap_fails() {
    Map<String, String> env = Map.of("M", "{a: '${M}'}");
    assertThatThrownBy(() -> ConfigResolver.resolveYaml("v: ${M}\n", EnvLookup.of(env)))
        .hasMessageContaining("too many recursive expansions");
  }

  @Test
  void resolveYaml_endlessRecursion_fails() {
    Map<String, String> env = Map.of("LOOP", "${LOOP}");
    assertThatThrownBy(() -> ConfigResolver.resolveYaml("v: ${LOOP}\n", EnvLookup.of(env)))
        .hasMessageContaining("v: too many recursive expansions");
  }

  @Test
  void resolveYaml_fileReference_inlinesAndTypes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("part.yaml");
    Files.writeString(f, "endpoint: http://x\nport: 9\n");
    Path t = dir.resolve("token");
    Files.writeString(t, "s3cr3t");
    ConfigResolver.Resolved r = ConfigResolver.resolveYaml(
        "a: ${file:" + f + "}\nb: Bearer ${file:" + t + "}\n", EnvLookup.of(ENV));
    assertThat(r.config().get("a")).isEqualTo(Map.of("endpoint", "http://x", "port", 9));
    assertThat(r.config().get("b")).isEqualTo("Bearer s3cr3t");
  }

  @Test
  void resolve_mergesMapsAndReplacesLists(@TempDir Path dir) throws Exception {
    Path base = dir.resolve("base.yaml");
    Files.writeString(base, """
        receivers:
          r: {interval: 10s, targets: [a, b]}
        service:
          telemetry: {logs: {level: info}}
        """);
    Path over = dir.resolve("over.yaml");
    Files.writeString(over, """
        receivers:
          r: {targets: [c]}
        service::telemetry::logs::encoding: json
        """);
    ConfigResolver.Resolved r = ConfigResolver.resolve(
        List.of(base.toString(), "file:" + over, "yaml:receivers::r::interval: 5s"), EnvLookup.of(ENV), false);
    assertThat(r.config()).isEqualTo(Map.of(
        "receivers", Map.of("r", Map.of("interval", "5s", "targets", List.of("c"))),
        "service", Map.of("telemetry", Map.of("logs", Map.of("level", "info", "encoding", "json")))));
  }

  @Test
  void resolve_appendGate_appendsLists() throws Exception {
    ConfigResolver.Resolved r = ConfigResolver.resolve(
        List.of("yaml:l: [a, b]", "yaml:l: [b, c]"), EnvLookup.of(ENV), true);
    assertThat(r.config().get("l")).isEqualTo(List.of("a", "b", "c"));
  }

  @Test
  void resolve_expandsAfterMerging() throws Exception {
    ConfigResolver.Resolved r = ConfigResolver.resolve(
        List.of("yaml:a: ${env:HOST}", "env:MAPV"), EnvLookup.of(ENV), false);
    // env:MAPV ({a: 1, b: [x, y]}) is merged over the first source before anything is expanded.
    assertThat(r.config()).isEqualTo(Map.of("a", 1, "b", List.of("x", "y")));
  }

  @Test
  void resolve_emptyDocument_fails() {
    Map<String, String> env = Map.of("AOT_CONFIG_CONTENT", "");
    assertThatThrownBy(() -> ConfigResolver.resolve(List.of("env:AOT_CONFIG_CONTENT"), EnvLookup.of(env), false))
        .hasMessageContaining("env:AOT_CONFIG_CONTENT: empty configuration file");
  }

  @Test
  void resolve_missingFile_namesIt() {
    assertThatThrownBy(() -> ConfigResolver.resolve(List.of("/nonexistent/x.yaml"), EnvLookup.of(ENV), false))
        .hasMessageContaining("/nonexistent/x.yaml: unable to read the file /nonexistent/x.yaml: no such file");
  }

  @Test
  void resolve_badYaml_givesPositionWithoutContent() {
    Map<String, String> env = Map.of("C", "a: [unclosed\nsecret: hunter2\n");
    assertThatThrownBy(() -> ConfigResolver.resolve(List.of("env:C"), EnvLookup.of(env), false))
        .hasMessageContaining("env:C: cannot parse YAML")
        .hasMessageContaining("line ")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void resolve_httpSourceAndInlineReference_fetchBody() throws Exception {
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/cfg.yaml", ex -> {
      byte[] body = "receivers:\n  r:\n    endpoint: ${env:HOST}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.createContext("/missing", ex -> {
      ex.sendResponseHeaders(404, -1);
      ex.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      ConfigResolver.Resolved r = ConfigResolver.resolve(
          List.of(base + "/cfg.yaml", "yaml:inline: ${" + base + "/cfg.yaml}"), EnvLookup.of(ENV), false);
      assertThat(r.config().get("receivers")).isEqualTo(Map.of("r", Map.of("endpoint", "localhost")));
      assertThat(r.config().get("inline")).isEqualTo(Map.of("receivers", Map.of("r", Map.of("endpoint", "localhost"))));
      assertThatThrownBy(() -> ConfigResolver.resolve(List.of(base + "/missing?token=s3cr3t"), EnvLookup.of(ENV), false))
          .hasMessageContaining(base + "/missing?<redacted>: failed to load the configuration: HTTP status 404")
          .hasMessageNotContaining("s3cr3t");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void select_setFlags_appliedLastAsYaml() throws Exception {
    ConfigResolver.Selection s = ConfigResolver.select(
        List.of("a.yaml"), List.of("processors.batch.timeout=5s"), EnvLookup.of(Map.of()));
    assertThat(s.uris()).containsExactly("a.yaml", "yaml:processors::batch::timeout: 5s");
  }

  @Test
  void select_setWithoutEqualSign_fails() {
    assertThatThrownBy(() -> ConfigResolver.select(List.of("a.yaml"), List.of("foo"), EnvLookup.of(Map.of())))
        .hasMessageContaining("invalid argument \"foo\" for \"--set\" flag: missing equal sign");
  }

  @Test
  void select_aotConfigContentSet_winsOverFlags() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AOT_CONFIG_CONTENT", "receivers: {}");
    ConfigResolver.Selection s = ConfigResolver.select(List.of("a.yaml"), List.of("x.y=1"), EnvLookup.of(env));
    assertThat(s.uris()).containsExactly("env:AOT_CONFIG_CONTENT");
    assertThat(s.notes()).anyMatch(n -> n.contains("--config and --set are ignored") && n.contains("--config=a.yaml"));
  }

  @Test
  void select_aotConfigContentEmpty_stillWins() throws Exception {
    ConfigResolver.Selection s = ConfigResolver.select(
        List.of("a.yaml"), List.of(), EnvLookup.of(Map.of("AOT_CONFIG_CONTENT", "")));
    assertThat(s.uris()).containsExactly("env:AOT_CONFIG_CONTENT");
  }

  @Test
  void select_nothingGiven_explainsHow() {
    assertThatThrownBy(() -> ConfigResolver.select(new ArrayList<>(), List.of(), EnvLookup.of(Map.of())))
        .hasMessageContaining("at least one config flag must be provided")
        .hasMessageContaining("AOT_CONFIG_CONTENT");
  }
}
