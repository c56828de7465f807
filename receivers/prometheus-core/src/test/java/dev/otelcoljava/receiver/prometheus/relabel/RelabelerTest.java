package dev.otelcoljava.receiver.prometheus.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Relabeling with Prometheus' documented semantics (model/relabel), table-driven. The trickiest
 * rows ($1x, invalid expanded target, literal on empty value, hashmod incl. a modulus above 2^63,
 * labelmap, uppercase of empty, named groups, malformed and $$ references, lowercase of a joined
 * value) and the validation messages were checked once against a real Prometheus 2.42.0 (target
 * relabeling read back from /api/v1/targets; promtool check config).
 */
class RelabelerTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<RelabelConfig> rules(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    List<RelabelConfig> r = read(yaml, problems);
    assertThat(problems.errors()).as(yaml).isEmpty();
    return r;
  }

  static List<RelabelConfig> read(String yaml, ConfigProblems problems) {
    try {
      Object tree = YAML.readValue("relabel_configs:\n" + yaml, Object.class);
      ConfigNode root = ConfigNode.root(tree, "scrape_configs[0]", problems);
      List<RelabelConfig> r = RelabelConfig.readList(root, "relabel_configs");
      root.reportUnknownKeys();
      return r;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Labels from "a=1,b=2" (values may not contain commas); "" is the empty set. */
  static Labels labels(String spec) {
    Labels.Builder b = new Labels.Builder();
    if (!spec.isEmpty()) {
      for (String kv : spec.split(",")) {
        int eq = kv.indexOf('=');
        b.set(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return b.build();
  }

  /**
   * Each row: rules (YAML flow list; '~' stands for a newline-free separator-less rule list), input
   * labels, expected labels or DROP.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '¦', quoteCharacter = '`', textBlock = """
      default replace copies                 ¦ [{source_labels: [a], target_label: b}]                                   ¦ a=x          ¦ a=x,b=x
      regex is anchored: no partial match    ¦ [{source_labels: [a], regex: o, target_label: b}]                         ¦ a=foo        ¦ a=foo
      regex is anchored: whole value         ¦ [{source_labels: [a], regex: '(f.*)', target_label: b}]                   ¦ a=foo        ¦ a=foo,b=foo
      $1x names group 1x: empty, deletes     ¦ [{source_labels: [a], regex: '(f)oo', target_label: b, replacement: '$1x'}] ¦ a=foo,b=old ¦ a=foo
      ${1}x is group 1 then x                ¦ [{source_labels: [a], regex: '(f)oo', target_label: b, replacement: '${1}x'}] ¦ a=foo    ¦ a=foo,b=fx
      named group                            ¦ [{source_labels: [a], regex: '(?P<first>f)(o+)', target_label: b, replacement: '${first}-$2'}] ¦ a=foo ¦ a=foo,b=f-oo
      $$ is a literal dollar                 ¦ [{source_labels: [a], target_label: b, replacement: 'x$$1'}]              ¦ a=foo        ¦ a=foo,b=x$1
      malformed reference kept as text       ¦ [{source_labels: [a], target_label: b, replacement: 'x$-'}]               ¦ a=foo        ¦ a=foo,b=x$-
      target from a group                    ¦ [{source_labels: [a], regex: '(.*)', target_label: 'l_$1', replacement: v}] ¦ a=x        ¦ a=x,l_x=v
      invalid target after expansion: no-op  ¦ [{source_labels: [a], regex: '(.*)', target_label: '$1'}]                 ¦ a=1abc       ¦ a=1abc
      empty result deletes                   ¦ [{source_labels: [a], regex: 'f(.*)', target_label: b, replacement: '$2'}] ¦ a=foo,b=y   ¦ a=foo
      no match: no-op                        ¦ [{source_labels: [a], regex: x, target_label: b, replacement: z}]         ¦ a=y          ¦ a=y
      empty value, default regex, literal    ¦ [{source_labels: [missing], target_label: t, replacement: lit}]           ¦ a=1          ¦ a=1,t=lit
      empty value literal empty deletes      ¦ [{source_labels: [missing], target_label: t, replacement: ''}]            ¦ a=1,t=old    ¦ a=1
      empty value, explicit regex: match     ¦ [{source_labels: [missing], regex: '', target_label: t, replacement: set}] ¦ a=1         ¦ a=1,t=set
      missing source labels join as empty    ¦ [{source_labels: [a, missing, b], separator: '-', target_label: t}]       ¦ a=1,b=2      ¦ a=1,b=2,t=1--2
      default separator is ;                 ¦ [{source_labels: [a, b], regex: '1;2', target_label: t, replacement: ok}] ¦ a=1,b=2      ¦ a=1,b=2,t=ok
      dot matches newline (?s)               ¦ [{source_labels: [a], regex: 'x.y', action: drop}]                        ¦ `a=x\ny`     ¦ DROP
      keep on match                          ¦ [{source_labels: [a], regex: 'fo+', action: keep}]                        ¦ a=foo        ¦ a=foo
      keep drops on no match                 ¦ [{source_labels: [a], regex: 'fo', action: keep}]                         ¦ a=foo        ¦ DROP
      drop on match                          ¦ [{source_labels: [a], regex: 'foo|bar', action: drop}]                    ¦ a=bar        ¦ DROP
      drop keeps on no match                 ¦ [{source_labels: [a], regex: 'foo', action: drop}]                        ¦ a=foox       ¦ a=foox
      keep with missing label matches empty  ¦ [{source_labels: [missing], regex: '', action: keep}]                     ¦ a=1          ¦ a=1
      keepequal equal                        ¦ [{source_labels: [a], target_label: b, action: keepequal}]                ¦ a=1,b=1      ¦ a=1,b=1
      keepequal differs                      ¦ [{source_labels: [a], target_label: b, action: keepequal}]                ¦ a=1,b=2      ¦ DROP
      dropequal equal                        ¦ [{source_labels: [a], target_label: b, action: dropequal}]                ¦ a=1,b=1      ¦ DROP
      dropequal differs                      ¦ [{source_labels: [a], target_label: b, action: dropequal}]                ¦ a=1,b=2      ¦ a=1,b=2
      hashmod foo mod 10                     ¦ [{source_labels: [a], modulus: 10, target_label: h, action: hashmod}]     ¦ a=foo        ¦ a=foo,h=6
      hashmod address mod 1000               ¦ [{source_labels: [a], modulus: 1000, target_label: h, action: hashmod}]   ¦ a=127.0.0.1:9090 ¦ a=127.0.0.1:9090,h=318
      hashmod joined value                   ¦ [{source_labels: [a, b], modulus: 1000, target_label: h, action: HashMod}] ¦ a=a,b=b     ¦ a=a,b=b,h=74
      hashmod modulus above 2^63             ¦ [{source_labels: [a], modulus: 9223372036854775813, target_label: h, action: hashmod}] ¦ a=foo ¦ a=foo,h=7921661662980252883
      hashmod of empty value, 2^63+5       ¦ [{source_labels: [missing], modulus: 9223372036854775813, target_label: h, action: hashmod}] ¦ a=1 ¦ a=1,h=7602086723416769145
      labelmap copies matching names         ¦ [{action: labelmap, regex: '__meta_(.+)', replacement: 'm_$1'}]           ¦ __meta_x=1,y=2 ¦ __meta_x=1,m_x=1,y=2
      labelmap default replacement           ¦ [{action: labelmap, regex: '__meta_(.+)'}]                               ¦ __meta_x=1,y=2 ¦ __meta_x=1,x=1,y=2
      labelmap anchored                      ¦ [{action: labelmap, regex: 'meta_(.+)'}]                                 ¦ __meta_x=1   ¦ __meta_x=1
      labeldrop                              ¦ [{action: labeldrop, regex: '__tmp.*|b'}]                                 ¦ __tmp_a=1,a=2,b=3 ¦ a=2
      labelkeep                              ¦ [{action: labelkeep, regex: 'a|__name__'}]                                ¦ __name__=m,a=2,b=3 ¦ __name__=m,a=2
      lowercase                              ¦ [{source_labels: [a, b], target_label: l, action: lowercase}]             ¦ a=AbC,b=D    ¦ a=AbC,b=D,l=abc;d
      uppercase                              ¦ [{source_labels: [a], target_label: a, action: UPPERCASE}]                ¦ a=abc        ¦ a=ABC
      uppercase of empty deletes             ¦ [{source_labels: [missing], target_label: a, action: uppercase}]          ¦ a=abc,b=1    ¦ b=1
      rules apply in order                   ¦ [{source_labels: [a], target_label: b}, {source_labels: [b], regex: x, action: drop}] ¦ a=x ¦ DROP
      """)
  void process_table(String name, String yaml, String in, String expected) {
    Labels result = Relabeler.process(labels(in.replace("\\n", "\n")), rules("  " + "- " + yaml.substring(1, yaml.length() - 1).replace("}, {", "}\n  - {")));
    if (expected.equals("DROP")) {
      assertThat(result).isNull();
    } else {
      assertThat(result).isEqualTo(labels(expected));
    }
  }

  @Test
  void process_noRules_returnsInput() {
    Labels in = Labels.of("a", "1");
    assertThat(Relabeler.process(in, List.of())).isSameAs(in);
  }

  @Test
  void read_defaults() {
    RelabelConfig c = rules("  - target_label: t\n").get(0);
    assertThat(c).isEqualTo(new RelabelConfig(List.of(), ";", "(.*)", 0, "t", "$1", Action.REPLACE));
  }

  @Test
  void readList_absent_isEmpty() {
    ConfigProblems problems = new ConfigProblems();
    ConfigNode root = ConfigNode.root(Map.of(), "x", problems);
    assertThat(RelabelConfig.readList(root, "metric_relabel_configs")).isEmpty();
    assertThat(problems.errors()).isEmpty();
  }

  @Test
  void readList_testdataConfig_loadsAndRuns() throws IOException {
    Object tree;
    try (InputStream in = getClass().getResourceAsStream("relabel_configs.yaml")) {
      tree = YAML.readValue(in, Object.class);
    }
    ConfigProblems problems = new ConfigProblems();
    ConfigNode root = ConfigNode.root(tree, "scrape_configs[0]", problems);
    List<RelabelConfig> rules = RelabelConfig.readList(root, "relabel_configs");
    root.reportUnknownKeys();
    assertThat(problems.errors()).isEmpty();
    assertThat(rules).hasSize(8);
    assertThat(rules.get(1))
        .isEqualTo(new RelabelConfig(
            List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"), ";",
            "([^:]+)(?::\\d+)?;(\\d+)", 0, "__address__", "$1:$2", Action.REPLACE));
    Labels target = Labels.of(
        "__address__", "10.0.0.1:8080",
        "__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true",
        "__meta_kubernetes_pod_annotation_prometheus_io_port", "9102",
        "__meta_kubernetes_pod_label_app", "web",
        "__meta_kubernetes_pod_label_pod_template_hash", "abc",
        "__meta_kubernetes_pod_label_namespace", "prod",
        "__meta_kubernetes_pod_label_namespace_app", "prod/web");
    Labels out = Relabeler.process(target, rules);
    assertThat(out).isNotNull();
    assertThat(out.get("__address__")).isEqualTo("10.0.0.1:9102");
    assertThat(out.get("app")).isEqualTo("web");
    assertThat(out.has("pod_template_hash")).isFalse();
    assertThat(out.get("namespace_upper")).isEqualTo("PROD");
    assertThat(out.get("__tmp_hash")).isEqualTo(Long.toString(Relabeler.hashmod("10.0.0.1:9102", 4)));
    // without the scrape annotation the target is dropped by the first rule
    assertThat(Relabeler.process(Labels.of("__address__", "x:1"), rules)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      unknown action          | {action: foo, source_labels: [a]}                 | scrape_configs[0]::relabel_configs[0]::action: unknown relabel action "foo"
      empty action            | {action: '', target_label: a}                     | scrape_configs[0]::relabel_configs[0]::action: unknown relabel action ""
      hashmod needs modulus   | {action: hashmod, source_labels: [a], target_label: h} | scrape_configs[0]::relabel_configs[0]: relabel configuration for hashmod requires non-zero modulus
      replace needs target    | {source_labels: [a]}                              | scrape_configs[0]::relabel_configs[0]: relabel configuration for replace action requires 'target_label' value
      lowercase needs target  | {source_labels: [a], action: lowercase}           | scrape_configs[0]::relabel_configs[0]: relabel configuration for lowercase action requires 'target_label' value
      keepequal needs target  | {source_labels: [a], action: keepequal}           | scrape_configs[0]::relabel_configs[0]: relabel configuration for keepequal action requires 'target_label' value
      invalid replace target  | {source_labels: [a], target_label: 'a-b'}         | scrape_configs[0]::relabel_configs[0]: "a-b" is invalid 'target_label' for replace action
      invalid hashmod target  | {source_labels: [a], target_label: '$1', modulus: 2, action: hashmod} | scrape_configs[0]::relabel_configs[0]: "$1" is invalid 'target_label' for hashmod action
      uppercase replacement   | {source_labels: [a], target_label: b, replacement: x, action: uppercase} | scrape_configs[0]::relabel_configs[0]: 'replacement' can not be set for uppercase action
      labelmap replacement    | {action: labelmap, regex: '(.*)', replacement: 'a-$1'} | scrape_configs[0]::relabel_configs[0]: "a-$1" is invalid 'replacement' for labelmap action
      keepequal with regex    | {source_labels: [a], target_label: b, regex: 'x', action: keepequal} | scrape_configs[0]::relabel_configs[0]: keepequal action requires only 'source_labels' and `target_label`, and no other fields
      labeldrop with sources  | {source_labels: [a], regex: 'x', action: labeldrop} | scrape_configs[0]::relabel_configs[0]: labeldrop action requires only 'regex', and no other fields
      labelkeep with target   | {target_label: a, regex: 'x', action: labelkeep}  | scrape_configs[0]::relabel_configs[0]: labelkeep action requires only 'regex', and no other fields
      invalid source label    | {source_labels: ['a.b'], target_label: c}         | scrape_configs[0]::relabel_configs[0]::source_labels: "a.b" is not a valid label name
      negative modulus        | {source_labels: [a], target_label: h, modulus: -1, action: hashmod} | scrape_configs[0]::relabel_configs[0]::modulus: expected an unsigned 64-bit integer, got "-1"
      unknown key             | {source_labels: [a], target_label: c, regexp: x}  | scrape_configs[0]::relabel_configs[0]: unknown key "regexp"; did you mean "regex"?
      """)
  void read_invalid_reportsPrometheusErrorWithPath(String name, String yaml, String expected) {
    ConfigProblems problems = new ConfigProblems();
    read("  - " + yaml + "\n", problems);
    assertThat(problems.errors()).anySatisfy(e -> assertThat(e).startsWith(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      backreference   | '(a)\\1'
      lookahead       | 'a(?=b)'
      negative lookbehind | '(?<!a)b'
      possessive      | 'a++'
      """)
  void read_patternRe2CannotCompile_isConfigErrorNamingRuleAndPattern(String name, String regex) {
    ConfigProblems problems = new ConfigProblems();
    String pattern = regex.substring(1, regex.length() - 1).replace("\\\\", "\\");
    read("  - {source_labels: [a], target_label: b}\n  - {source_labels: [a], target_label: b, regex: " + regex + "}\n", problems);
    assertThat(problems.errors()).hasSize(1);
    assertThat(problems.errors().get(0))
        .startsWith("scrape_configs[0]::relabel_configs[1]::regex: invalid regex \"" + pattern + "\"")
        .contains("RE2");
  }

  @Test
  void constructor_invalidRegex_throws() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RelabelConfig.of(Action.KEEP, List.of("a"), "(a)\\1", "", "$1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(a)\\1");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void process_redosPatterns_onLongValues_complete() {
    String as = "a".repeat(50_000) + "!";
    String xs = "x".repeat(50_000);
    List<RelabelConfig> r1 = rules("  - {source_labels: [v], regex: '(a+)+$', action: keep}\n");
    List<RelabelConfig> r2 = rules("  - {source_labels: [v], regex: '(x+x+)+y', action: drop}\n");
    List<RelabelConfig> r3 = rules("  - {source_labels: [v], regex: '(a+)+', target_label: w, replacement: '$1'}\n");
    assertThat(Relabeler.process(Labels.of("v", as), r1)).isNull(); // no match: "!" at the end
    assertThat(Relabeler.process(Labels.of("v", xs), r2)).isNotNull(); // no match: never a y
    assertThat(Relabeler.process(Labels.of("v", "a".repeat(50_000)), r3).get("w")).hasSize(50_000);
  }

  @Test
  void hashmod_knownMd5Values() {
    // md5("foo") = acbd18db4cc2f85c edef654fccc4a4d8 (md5sum); 0xedef654fccc4a4d8 % 10 = 6.
    assertThat(Relabeler.hashmod("foo", 10)).isEqualTo(6);
    // md5("127.0.0.1:9090") ends in d19b6586d4822cee; % 1000 = 318.
    assertThat(Relabeler.hashmod("127.0.0.1:9090", 1000)).isEqualTo(318);
  }
}
