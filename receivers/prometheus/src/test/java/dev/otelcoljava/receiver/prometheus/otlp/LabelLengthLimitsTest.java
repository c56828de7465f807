package dev.otelcoljava.receiver.prometheus.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md case 15 at the scale it names: a 10,000-character label name, a 1 MiB label value
 * and 200 labels each fail the whole scrape under label_name_length_limit,
 * label_value_length_limit and label_limit (Prometheus semantics: up=0, nothing of the body sent),
 * with the message Prometheus 2.42 gives; the same body within the limits is sent whole.
 */
class LabelLengthLimitsTest {
  static final String TEXT = "text/plain; version=0.0.4";

  static TargetMapper mapper(long labelLimit, long nameLengthLimit, long valueLengthLimit) {
    return new TargetMapper(new MapperSettings(Labels.of("job", "limits", "instance", "localhost:9"),
        Labels.of("__scheme__", "http", "__address__", "localhost:9"), false, true, false, List.of(), 0, labelLimit,
        nameLengthLimit, valueLengthLimit, Labels.EMPTY, TEXT, "1.2.3", false, Duration.ofSeconds(15)));
  }

  static byte[] body(String hostile) {
    return ("ok_metric 1\n" + hostile + " 2\nafter_metric 3\n").getBytes(StandardCharsets.UTF_8);
  }

  static void assertWholeScrapeFails(TargetMapper m, byte[] body, String messageStart) throws Exception {
    m.beginScrape(1000);
    assertThatThrownBy(() -> m.appendBody(body, body.length, TEXT)).isInstanceOf(ScrapeException.class)
        .hasMessageStartingWith(messageStart);
    MetricsBatch b = m.fail(new TargetMapper.Report(false, 0));
    assertThat(TargetMapperTest.metric(b, "up").numberPoints().get(0).value()).isZero();
    assertThat(TargetMapperTest.metric(b, "ok_metric")).as("nothing partial is sent").isNull();
    assertThat(TargetMapperTest.metric(b, "after_metric")).isNull();
  }

  static void assertWholeScrapeSent(TargetMapper m, byte[] body) throws Exception {
    m.beginScrape(1000);
    m.appendBody(body, body.length, TEXT);
    MetricsBatch b = m.commit(new TargetMapper.Report(true, 0.1));
    assertThat(TargetMapperTest.metric(b, "up").numberPoints().get(0).value()).isEqualTo(1.0);
    assertThat(TargetMapperTest.metric(b, "ok_metric")).isNotNull();
    assertThat(TargetMapperTest.metric(b, "after_metric")).isNotNull();
  }

  @Test
  void labelNameOf10kCharacters_failsWholeScrapeUnderNameLengthLimit() throws Exception {
    String name = "n".repeat(10_000);
    byte[] body = body("hostile{" + name + "=\"v\"}");
    assertWholeScrapeFails(mapper(0, 100, 0), body,
        "label_name_length_limit exceeded (metric: hostile, label name: " + "n".repeat(50) + ", length: 10000, limit: 100)");
    assertWholeScrapeSent(mapper(0, 10_000, 0), body);
  }

  @Test
  void labelValueOf1MiB_failsWholeScrapeUnderValueLengthLimit() throws Exception {
    String value = "v".repeat(1 << 20);
    byte[] body = body("hostile{big=\"" + value + "\"}");
    assertWholeScrapeFails(mapper(0, 0, 1024), body,
        "label_value_length_limit exceeded (metric: hostile, label name: big, value: \"" + "v".repeat(50)
            + "\", length: 1048576, limit: 1024)");
    assertWholeScrapeSent(mapper(0, 0, 1 << 20), body);
  }

  @Test
  void twoHundredLabels_failWholeScrapeUnderLabelLimit() throws Exception {
    StringBuilder labels = new StringBuilder("hostile{");
    for (int i = 0; i < 200; i++) {
      labels.append(i == 0 ? "" : ",").append("l").append(i).append("=\"x\"");
    }
    byte[] body = body(labels.append('}').toString());
    // 200 scraped labels plus __name__, job and instance
    assertWholeScrapeFails(mapper(64, 0, 0), body, "label_limit exceeded (metric: hostile, number of labels: 203, limit: 64)");
    assertWholeScrapeSent(mapper(203, 0, 0), body);
  }

  @Test
  void lengthLimitsCountUtf8BytesAsPrometheusDoes() throws Exception {
    // "é" is two bytes in UTF-8: 6 characters, 12 bytes
    byte[] body = body("hostile{k=\"éééééé\"}");
    assertWholeScrapeFails(mapper(0, 0, 11), body, "label_value_length_limit exceeded (metric: hostile, label name: k");
    assertWholeScrapeSent(mapper(0, 0, 12), body);
  }
}
