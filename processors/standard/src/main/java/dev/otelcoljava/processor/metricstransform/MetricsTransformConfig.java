package dev.otelcoljava.processor.metricstransform;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code metrics_transform} (alias {@code metricstransform}) processor config: an ordered list
 * of transforms, each validated as contrib validates it.
 */
public record MetricsTransformConfig(List<Transform> transforms) {
  static final List<String> ACTIONS = List.of("update", "insert", "combine", "group");
  static final List<String> MATCH_TYPES = List.of("strict", "regexp");
  static final List<String> AGGREGATION_TYPES = List.of("sum", "mean", "min", "max", "count", "median");
  static final List<String> SUBMATCH_CASES = List.of("lower", "upper");
  static final List<String> OPERATION_ACTIONS = List.of("add_label", "update_label", "delete_label_value",
      "toggle_scalar_data_type", "experimental_scale_value", "aggregate_labels", "aggregate_label_values");

  /**
   * One transform.
   *
   * @param matchType "strict" (default) or "regexp"
   * @param matchLabels {@code experimental_match_labels}: label to value (regex in regexp mode)
   * @param groupResourceLabels null when absent
   */
  public record Transform(
      String include,
      String matchType,
      Map<String, String> matchLabels,
      String action,
      String newName,
      Map<String, String> groupResourceLabels,
      String aggregationType,
      String submatchCase,
      List<Operation> operations) {}

  /** One operation; unused fields are empty. */
  public record Operation(
      String action,
      String label,
      String newLabel,
      List<ValueAction> valueActions,
      String aggregationType,
      List<String> labelSet,
      List<String> aggregatedValues,
      String newValue,
      String labelValue,
      double scale) {}

  public record ValueAction(String value, String newValue) {}

  static MetricsTransformConfig read(ConfigNode node) {
    List<Transform> transforms = new ArrayList<>();
    for (ConfigNode t : node.list("transforms")) {
      Transform tr = new Transform(
          t.string("include", ""),
          t.string("match_type", ""),
          t.stringMap("experimental_match_labels"),
          t.string("action", ""),
          t.string("new_name", ""),
          t.has("group_resource_labels") ? t.stringMap("group_resource_labels") : null,
          t.string("aggregation_type", ""),
          t.string("submatch_case", ""),
          readOperations(t));
      String err = validate(tr);
      if (err != null) {
        t.error(err);
      }
      transforms.add(tr);
    }
    return new MetricsTransformConfig(List.copyOf(transforms));
  }

  private static List<Operation> readOperations(ConfigNode t) {
    List<Operation> ops = new ArrayList<>();
    for (ConfigNode o : t.list("operations")) {
      List<ValueAction> vas = new ArrayList<>();
      for (ConfigNode va : o.list("value_actions")) {
        vas.add(new ValueAction(va.string("value", ""), va.string("new_value", "")));
      }
      ops.add(new Operation(
          o.string("action", ""),
          o.string("label", ""),
          o.string("new_label", ""),
          List.copyOf(vas),
          o.string("aggregation_type", ""),
          o.stringList("label_set"),
          o.stringList("aggregated_values"),
          o.string("new_value", ""),
          o.string("label_value", ""),
          o.number("experimental_scale", 0)));
    }
    return List.copyOf(ops);
  }

  private static String quoted(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append('"').append(values.get(i)).append('"');
    }
    return sb.append(']').toString();
  }

  /** Returns contrib's first validation error for the transform, or null. */
  static String validate(Transform t) {
    if (t.include().isEmpty()) {
      return "missing required field \"include\"";
    }
    if (!t.matchType().isEmpty() && !MATCH_TYPES.contains(t.matchType())) {
      return "\"match_type\" must be in " + quoted(MATCH_TYPES);
    }
    if (t.matchType().equals("regexp")) {
      try {
        Pattern.compile(t.include());
      } catch (PatternSyntaxException e) {
        return "\"include\", error parsing regexp: " + e.getDescription();
      }
      for (Map.Entry<String, String> e : t.matchLabels().entrySet()) {
        try {
          Pattern.compile(e.getValue());
        } catch (PatternSyntaxException ex) {
          return "\"experimental_match_labels\" " + e.getKey() + ", error parsing regexp: " + ex.getDescription();
        }
      }
    }
    if (!ACTIONS.contains(t.action())) {
      return "\"action\" must be in " + quoted(ACTIONS);
    }
    if ((t.action().equals("insert") || t.action().equals("combine")) && t.newName().isEmpty()) {
      return "missing required field \"new_name\" while \"action\" is " + t.action();
    }
    if (t.action().equals("group") && t.groupResourceLabels() == null) {
      return "missing required field \"group_resource_labels\" while \"action\" is group";
    }
    if (t.action().equals("combine") && t.aggregationType().isEmpty()) {
      return "missing required field \"aggregation_type\" while \"action\" is combine";
    }
    if (!t.aggregationType().isEmpty() && !AGGREGATION_TYPES.contains(t.aggregationType())) {
      return "\"aggregation_type\" must be in " + quoted(AGGREGATION_TYPES);
    }
    if (!t.submatchCase().isEmpty() && !SUBMATCH_CASES.contains(t.submatchCase())) {
      return "\"submatch_case\" must be in " + quoted(SUBMATCH_CASES);
    }
    for (int i = 0; i < t.operations().size(); i++) {
      Operation op = t.operations().get(i);
      String p = "operation " + (i + 1) + ": ";
      if (!OPERATION_ACTIONS.contains(op.action())) {
        return p + "\"action\" must be in " + quoted(OPERATION_ACTIONS);
      }
      String missing = switch (op.action()) {
        case "update_label" -> op.label().isEmpty() ? "label" : null;
        case "add_label" -> op.newLabel().isEmpty() ? "new_label" : op.newValue().isEmpty() ? "new_value" : null;
        case "experimental_scale_value" -> op.scale() == 0 ? "experimental_scale" : null;
        default -> null;
      };
      if (missing != null) {
        return p + "missing required field \"" + missing + "\" while \"action\" is " + op.action();
      }
      if (!op.aggregationType().isEmpty() && !AGGREGATION_TYPES.contains(op.aggregationType())) {
        return p + "\"aggregation_type\" must be in " + quoted(AGGREGATION_TYPES);
      }
    }
    return null;
  }
}
