package dev.otelcoljava.processor.resourcedetection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvDetectorTest {
  private static Detector.Context ctx(Map<String, String> env) {
    return new Detector.Context(env::get, null, System.nanoTime() + 1_000_000_000L, System.getLogger("t"));
  }

  @Test
  void parse_multipleValidAttributes_trimsAndUnescapes() {
    assertThat(EnvDetector.parse(" example.org/test-1 =  test $ %3A \\\" ,  Abc=Def  ").toMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of("example.org/test-1", "test $ : \\\"", "Abc", "Def"));
    assertThat(EnvDetector.parse("single=key").toMap()).isEqualTo(Map.of("single", "key"));
    assertThat(EnvDetector.parse("service.name=my+app,empty=").toMap())
        .isEqualTo(Map.of("service.name", "my app", "empty", ""));
    assertThat(EnvDetector.parse("k=%E2%9C%93").toMap()).isEqualTo(Map.of("k", "\u2713"));
  }

  @Test
  void parse_badInput_failsWithUpstreamMessages() {
    assertThatThrownBy(() -> EnvDetector.parse("invalid=url-%3-encoding"))
        .hasMessage("invalid resource format in attribute: \"invalid=url-%3-encoding\", err: invalid URL escape \"%3-\"");
    assertThatThrownBy(() -> EnvDetector.parse("invalid-char-\u00fc=test"))
        .hasMessage("invalid resource format: \"invalid-char-\u00fc=test\"");
    assertThatThrownBy(() -> EnvDetector.parse("invalid-char=\u00fc-test"))
        .hasMessage("invalid resource format: \"invalid-char=\u00fc-test\"");
    assertThatThrownBy(() -> EnvDetector.parse("extra=chars, a"))
        .hasMessage("invalid resource format, invalid text: \" a\"");
    assertThatThrownBy(() -> EnvDetector.parse("invalid=char,\u00fcbetween=attributes"))
        .hasMessage("invalid resource format, invalid text: \"\u00fc\"");
    assertThatThrownBy(() -> EnvDetector.parse("key=value,key"))
        .hasMessage("invalid resource format, invalid text: \"key\"");
  }

  @Test
  void detect_variables_primaryThenDeprecatedThenNothing() {
    EnvDetector d = new EnvDetector();
    assertThat(d.detect(ctx(Map.of("OTEL_RESOURCE_ATTRIBUTES", "a=1", "OTEL_RESOURCE", "b=2"))).toMap())
        .isEqualTo(Map.of("a", "1"));
    assertThat(d.detect(ctx(Map.of("OTEL_RESOURCE_ATTRIBUTES", "  ", "OTEL_RESOURCE", "b=2"))).toMap())
        .isEqualTo(Map.of("b", "2"));
    assertThat(d.detect(ctx(Map.of())).isEmpty()).isTrue();
  }
}
