package dev.otelcoljava.processor.metricsgeneration;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;

/** The {@code metricsgeneration} (formerly {@code experimental_metricsgeneration}) processor config. */
public record MetricsGenerationConfig(List<Rule> rules) {
  static final List<String> TYPES = List.of("calculate", "scale");
  static final List<String> OPERATIONS = List.of("add", "subtract", "multiply", "divide", "percent");

  /** One rule; {@code metric2} is used by calculate, {@code scaleBy} by scale. */
  public record Rule(String name, String unit, String type, String metric1, String metric2, String operation, double scaleBy) {}

  static MetricsGenerationConfig read(ConfigNode node) {
    List<Rule> rules = new ArrayList<>();
    for (ConfigNode r : node.list("rules")) {
      Rule rule = new Rule(r.string("name", ""), r.string("unit", ""), r.string("type", ""), r.string("metric1", ""),
          r.string("metric2", ""), r.string("operation", ""), r.number("scale_by", 0));
      String err = validate(rule);
      if (err != null) {
        r.error(err);
      }
      rules.add(rule);
    }
    return new MetricsGenerationConfig(List.copyOf(rules));
  }

  private static String quoted(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i > 0 ? " " : "").append('"').append(values.get(i)).append('"');
    }
    return sb.append(']').toString();
  }

  /** contrib's first validation error for the rule, or null. */
  static String validate(Rule r) {
    if (r.name().isEmpty()) {
      return "missing required field \"name\"";
    }
    if (r.type().isEmpty()) {
      return "missing required field \"type\"";
    }
    if (!TYPES.contains(r.type())) {
      return "\"type\" must be in " + quoted(TYPES);
    }
    if (r.metric1().isEmpty()) {
      return "missing required field \"metric1\"";
    }
    if (r.type().equals("calculate") && r.metric2().isEmpty()) {
      return "missing required field \"metric2\" for generation type \"calculate\"";
    }
    if (r.type().equals("scale") && r.scaleBy() <= 0) {
      return "field \"scale_by\" required to be greater than 0 for generation type \"scale\"";
    }
    if (!r.operation().isEmpty() && !OPERATIONS.contains(r.operation())) {
      return "\"operation\" must be in " + quoted(OPERATIONS);
    }
    if (r.name().equals(r.metric1())) {
      return "value of field \"name\" may not match value of field \"metric1\"";
    }
    if (r.name().equals(r.metric2())) {
      return "value of field \"name\" may not match value of field \"metric2\"";
    }
    return null;
  }
}
