package dev.otelcoljava.processor.attributes;

import static dev.otelcoljava.processor.internal.TestSupport.batch;
import static dev.otelcoljava.processor.internal.TestSupport.dbl;
import static dev.otelcoljava.processor.internal.TestSupport.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.processor.internal.AttributeActions;
import dev.otelcoljava.processor.internal.TestSupport;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.testing.MetricsSink;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributesProcessorTest {
  private static final String DIR = "/dev/otelcoljava/processor/attributes/";
  private final AttributesProcessorFactory factory = new AttributesProcessorFactory();

  @Test
  void createConfig_absent_failsWithRequiredKeyError() {
    assertThat(TestSupport.loadTree(factory, null, "attributes").problems().errors())
        .containsExactly("processors::attributes: missing required field \"actions\"");
  }

  @Test
  void createConfig_fullTestdata_loadsEveryKey() throws Exception {
    TestSupport.Loaded<AttributesConfig> l = TestSupport.load(factory, DIR + "config.yaml", "attributes/example");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config().actions()).hasSize(7);
    assertThat(l.config().actions().get(1)).isEqualTo(new AttributeActions.Action("redacted_span", true, "", "", "", "", "upsert"));
    assertThat(l.config().actions().get(3)).isEqualTo(new AttributeActions.Action("account_id", 2245L, "", "", "", "", "insert"));
    TestSupport.Loaded<AttributesConfig> e = TestSupport.load(factory, DIR + "config.yaml", "attributes/extract");
    assertThat(e.problems().errors()).isEmpty();
    assertThat(e.config().include()).isEqualTo(new AttributesConfig.Match("regexp", List.of("^http_")));
    assertThat(e.config().exclude()).isEqualTo(new AttributesConfig.Match("strict", List.of("http_skip")));
  }

  @Test
  void createConfig_invalidFiles_failWithContribMessages() throws Exception {
    assertThat(TestSupport.load(factory, DIR + "invalid_extract_no_groups.yaml", "attributes").problems().errors()).containsExactly(
        "processors::attributes::actions: error with key \"a\" (0-th action): error creating AttrProc. Field \"pattern\" contains no named matcher groups");
    assertThat(TestSupport.load(factory, DIR + "invalid_convert_type.yaml", "attributes").problems().errors()).containsExactly(
        "processors::attributes::actions: error with key \"a\" (0-th action): error creating AttrProc due to invalid value \"float\" in field \"converted_type\" for action \"convert\"");
  }

  @Test
  void readmeExample_onPointAttributes() throws Exception {
    TestSupport.Loaded<AttributesConfig> l = TestSupport.load(factory, DIR + "config.yaml", "attributes/example");
    MetricsSink sink = new MetricsSink();
    factory.createProcessor(new TestSupport.Telemetry().settings("attributes"), l.config(), sink).consume(batch(gauge("g",
        dbl(1, "db.table", "users", "copy_key", "x", "key_original", "orig", "account_password", "secret",
            "account_email", "john@example.com", "http.status_code", "404"))));
    Attributes a = sink.allMetrics().get(0).points().get(0).attributes();
    assertThat(a).isEqualTo(Attributes.of("copy_key", "orig", "key_original", "orig",
        "account_email", "855f96e983f1f8e8be944692b6f719fd54329826cb62e98015efee8e2e071dd4",
        "http.status_code", 404L, "redacted_span", true, "account_id", 2245L));
  }

  @Test
  void extract_onIncludedMetricsOnly() throws Exception {
    TestSupport.Loaded<AttributesConfig> l = TestSupport.load(factory, DIR + "config.yaml", "attributes/extract");
    MetricsSink sink = new MetricsSink();
    String url = "http://example.com/path?a=1";
    factory.createProcessor(new TestSupport.Telemetry().settings("attributes"), l.config(), sink).consume(batch(
        gauge("http_requests", dbl(1, "http.url", url)), gauge("http_skip", dbl(2, "http.url", url)),
        gauge("other", dbl(3, "http.url", url))));
    List<Metric> ms = sink.allMetrics();
    assertThat(ms.get(0).points().get(0).attributes()).isEqualTo(Attributes.of("http.url", url,
        "http_protocol", "http", "http_domain", "example.com", "http_path", "path", "http_query_params", "a=1"));
    assertThat(ms.get(1).points().get(0).attributes()).isEqualTo(Attributes.of("http.url", url));
    assertThat(ms.get(2).points().get(0).attributes()).isEqualTo(Attributes.of("http.url", url));
  }

  @Test
  void deleteAndHashByPattern_andConvertTable() {
    AttributeActions a = AttributeActions.of(List.of(
        new AttributeActions.Action("", null, "", "", "^tmp_", "", "delete"),
        new AttributeActions.Action("i", null, "", "", "", "double", "convert"),
        new AttributeActions.Action("d", null, "", "", "", "int", "convert"),
        new AttributeActions.Action("s", null, "", "", "", "string", "convert"),
        new AttributeActions.Action("bad", null, "", "", "", "int", "convert")));
    Attributes attrs = Attributes.of("tmp_a", "1", "tmp_b", "2", "keep", "3", "i", 5L, "d", 2.9, "s", true, "bad", "x1");
    a.apply(attrs);
    assertThat(attrs).isEqualTo(Attributes.of("keep", "3", "i", 5.0, "d", 2L, "s", "true", "bad", "x1"));
  }
}
