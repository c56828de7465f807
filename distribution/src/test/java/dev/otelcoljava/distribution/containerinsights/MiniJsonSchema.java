package dev.otelcoljava.distribution.containerinsights;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small JSON Schema checker for the keywords the EMF schemas in fixtures/emf use (draft-04/07
 * subset): {@code type} (object, array, string, integer, number, boolean), {@code required},
 * {@code properties}, {@code additionalProperties: false}, {@code items} (one schema), {@code
 * minItems}, {@code maxItems}, {@code minLength}, {@code maxLength} (in code points) and {@code
 * pattern} (searched, as JSON Schema does). Annotation keywords ($id, title, examples,
 * description, $schema) are ignored; any other keyword fails loudly so that a schema using more
 * is never half-checked.
 */
final class MiniJsonSchema {
  private static final List<String> IGNORED = List.of("$id", "$schema", "title", "examples", "description");
  private static final List<String> KNOWN = List.of("type", "required", "properties", "additionalProperties", "items",
      "minItems", "maxItems", "minLength", "maxLength", "pattern");

  private MiniJsonSchema() {}

  /** The violations of {@code doc} against {@code schema}, each with its JSON path; empty if valid. */
  static List<String> validate(JsonNode schema, JsonNode doc) {
    List<String> out = new ArrayList<>();
    check(schema, doc, "$", out);
    return out;
  }

  private static void check(JsonNode s, JsonNode d, String path, List<String> out) {
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!IGNORED.contains(k) && !KNOWN.contains(k)) {
        throw new IllegalArgumentException("schema keyword " + k + " at " + path + " is not supported by this checker");
      }
    }
    if (s.has("type") && !typeOk(s.get("type").asText(), d)) {
      out.add(path + ": expected " + s.get("type").asText() + ", got " + d.getNodeType());
      return;
    }
    if (d.isObject()) {
      for (JsonNode r : s.path("required")) {
        if (!d.has(r.asText())) {
          out.add(path + ": required member " + r.asText() + " is missing");
        }
      }
      JsonNode props = s.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (props.has(e.getKey())) {
          check(props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), out);
        } else if (s.has("additionalProperties") && !s.get("additionalProperties").asBoolean(true)) {
          out.add(path + ": member " + e.getKey() + " is not allowed (additionalProperties: false)");
        }
      }
    }
    if (d.isArray()) {
      if (s.has("minItems") && d.size() < s.get("minItems").asInt()) {
        out.add(path + ": " + d.size() + " items, at least " + s.get("minItems").asInt() + " required");
      }
      if (s.has("maxItems") && d.size() > s.get("maxItems").asInt()) {
        out.add(path + ": " + d.size() + " items, at most " + s.get("maxItems").asInt() + " allowed");
      }
      if (s.has("items")) {
        for (int i = 0; i < d.size(); i++) {
          check(s.get("items"), d.get(i), path + "[" + i + "]", out);
        }
      }
    }
    if (d.isTextual()) {
      String v = d.asText();
      int len = v.codePointCount(0, v.length());
      if (s.has("minLength") && len < s.get("minLength").asInt()) {
        out.add(path + ": shorter than " + s.get("minLength").asInt());
      }
      if (s.has("maxLength") && len > s.get("maxLength").asInt()) {
        out.add(path + ": longer than " + s.get("maxLength").asInt());
      }
      if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(v).find()) {
        out.add(path + ": \"" + v + "\" does not match " + s.get("pattern").asText());
      }
    }
  }

  private static boolean typeOk(String type, JsonNode d) {
    return switch (type) {
      case "object" -> d.isObject();
      case "array" -> d.isArray();
      case "string" -> d.isTextual();
      case "integer" -> d.isIntegralNumber() || (d.isNumber() && d.asDouble() == Math.rint(d.asDouble()));
      case "number" -> d.isNumber();
      case "boolean" -> d.isBoolean();
      default -> throw new IllegalArgumentException("type " + type + " is not supported by this checker");
    };
  }
}
