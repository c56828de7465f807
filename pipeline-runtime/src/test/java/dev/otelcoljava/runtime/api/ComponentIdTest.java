package dev.otelcoljava.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentIdTest {
  @Test
  void equalsAndHashCode_byTypeAndName() {
    ComponentId plain = ComponentId.parse("prometheus");
    assertThat(plain).isEqualTo(ComponentId.of("prometheus")).isEqualTo(new ComponentId("prometheus", null))
        .hasSameHashCodeAs(new ComponentId("prometheus", ""));
    assertThat(ComponentId.parse("prometheus/a")).isEqualTo(new ComponentId("prometheus", "a"))
        .hasSameHashCodeAs(new ComponentId("prometheus", "a"))
        .isNotEqualTo(plain)
        .isNotEqualTo(ComponentId.parse("prometheus/b"))
        .isNotEqualTo(ComponentId.parse("otlp/a"))
        .isNotEqualTo("prometheus/a")
        .isNotEqualTo(null);
    // Type and name are not interchangeable: "a/b" is not "b/a".
    assertThat(new ComponentId("a", "b")).isNotEqualTo(new ComponentId("b", "a"));
  }

  @Test
  void asMapKey_findsTheSameIdParsedAgain() {
    Map<ComponentId, String> m = new HashMap<>();
    m.put(ComponentId.parse("batch"), "1");
    m.put(ComponentId.parse("batch/x"), "2");
    assertThat(m).hasSize(2);
    assertThat(m.get(ComponentId.parse(" batch "))).isEqualTo("1");
    assertThat(m.get(ComponentId.parse("batch/x"))).isEqualTo("2");
    assertThat(m.get(ComponentId.parse("batch/y"))).isNull();
  }

  @Test
  void parse_otelcolErrorsAndToString() {
    assertThat(ComponentId.parse("otlp/grpc").toString()).isEqualTo("otlp/grpc");
    assertThat(ComponentId.parse("otlp").toString()).isEqualTo("otlp");
    assertThatThrownBy(() -> ComponentId.parse("/x")).hasMessageContaining("the part before / should not be empty");
    assertThatThrownBy(() -> ComponentId.parse("x/")).hasMessageContaining("the part after / should not be empty");
    assertThatThrownBy(() -> ComponentId.parse("9x")).hasMessageContaining("invalid character(s) in type");
  }
}
