package dev.otelcoljava.exporter.awsemf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The published EMF schema's rules (fixtures/emf/aws-docs/emf-schema.json) plus the
 * specification's cross-field rules, checked without a schema library: {@code _aws.Timestamp}
 * integer; directives with Namespace (1-1024), Dimensions (at least one set, each at most 30
 * references of 1-250 chars naming a root member whose value is a string), Metrics (at most 100,
 * Name 1-1024 naming a root member holding a number, an array of at most 100 numbers, or a
 * statistic set / values-counts object), Unit from the CloudWatch list, StorageResolution 1 or 60.
 * Accepts v0 documents (top-level CloudWatchMetrics, string Timestamp) too.
 */
final class EmfSchemaRules {
  private static final Pattern UNIT = Pattern.compile("^(Seconds|Microseconds|Milliseconds|Bytes|Kilobytes|Megabytes|"
      + "Gigabytes|Terabytes|Bits|Kilobits|Megabits|Gigabits|Terabits|Percent|Count|Bytes/Second|Kilobytes/Second|"
      + "Megabytes/Second|Gigabytes/Second|Terabytes/Second|Bits/Second|Kilobits/Second|Megabits/Second|"
      + "Gigabits/Second|Terabits/Second|Count/Second|None)$");

  private EmfSchemaRules() {}

  static List<String> validate(JsonNode root) {
    List<String> p = new ArrayList<>();
    if (!root.isObject()) {
      p.add("root is not an object");
      return p;
    }
    JsonNode directives;
    JsonNode aws = root.get("_aws");
    if (aws != null) {
      if (!aws.isObject()) {
        p.add("_aws is not an object");
        return p;
      }
      if (aws.get("Timestamp") == null || !aws.get("Timestamp").isIntegralNumber()) {
        p.add("_aws.Timestamp must be an integer");
      }
      directives = aws.get("CloudWatchMetrics");
      if (!"1".equals(text(root.get("Version")))) {
        p.add("Version must be \"1\" with _aws");
      }
    } else if (root.has("CloudWatchMetrics")) {
      directives = root.get("CloudWatchMetrics");
      if (!"0".equals(text(root.get("Version"))) || root.get("Timestamp") == null || !root.get("Timestamp").isTextual()) {
        p.add("v0 documents need Version \"0\" and a string Timestamp");
      }
    } else {
      return p; // a plain log event (no metrics extracted) is valid
    }
    if (directives == null || !directives.isArray()) {
      p.add("CloudWatchMetrics must be an array");
      return p;
    }
    for (JsonNode d : directives) {
      String ns = text(d.get("Namespace"));
      if (ns == null || ns.isEmpty() || ns.length() > 1024) {
        p.add("Namespace must have 1-1024 characters");
      }
      JsonNode dims = d.get("Dimensions");
      if (dims == null || !dims.isArray() || dims.size() < 1) {
        p.add("Dimensions must be an array with at least one set");
      } else {
        for (JsonNode set : dims) {
          if (!set.isArray() || set.size() > 30) {
            p.add("DimensionSet must be an array of at most 30 references: " + set);
            continue;
          }
          for (JsonNode ref : set) {
            String r = text(ref);
            if (r == null || r.isEmpty() || r.length() > 250) {
              p.add("DimensionReference must have 1-250 characters: " + ref);
            } else if (root.get(r) == null || !root.get(r).isTextual()) {
              p.add("dimension " + r + " must name a root member with a string value");
            }
          }
        }
      }
      JsonNode metrics = d.get("Metrics");
      if (metrics == null || !metrics.isArray() || metrics.size() > 100) {
        p.add("Metrics must be an array of at most 100 definitions");
        continue;
      }
      for (JsonNode m : metrics) {
        String name = text(m.get("Name"));
        if (name == null || name.isEmpty() || name.length() > 1024) {
          p.add("Metric Name must have 1-1024 characters");
          continue;
        }
        JsonNode v = root.get(name);
        if (v == null || !(v.isNumber() || (v.isArray() && v.size() <= 100) || (v.isObject() && v.has("Count")))) {
          p.add("metric " + name + " must name a root member holding a number, numbers or a statistic set");
        }
        if (m.has("Unit") && !UNIT.matcher(text(m.get("Unit")) == null ? "" : text(m.get("Unit"))).matches()) {
          p.add("metric " + name + " has an invalid Unit " + m.get("Unit"));
        }
        if (m.has("StorageResolution")) {
          JsonNode sr = m.get("StorageResolution");
          if (!sr.isIntegralNumber() || (sr.asInt() != 1 && sr.asInt() != 60)) {
            p.add("metric " + name + " has StorageResolution " + sr + ", expected 1 or 60");
          }
        }
      }
    }
    return p;
  }

  private static String text(JsonNode n) {
    return n == null || !n.isTextual() ? null : n.textValue();
  }
}
