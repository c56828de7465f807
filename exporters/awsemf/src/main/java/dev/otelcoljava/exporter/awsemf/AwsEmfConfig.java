package dev.otelcoljava.exporter.awsemf;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code awsemf} exporter's config, with otelcol-contrib's keys and defaults (spec section 11).
 * Immutable; {@link #read} reports every problem through the config node and drops invalid metric
 * declarations and descriptors with a warning, as contrib does.
 */
public record AwsEmfConfig(
    String namespace,
    String logGroupName,
    String logStreamName,
    int logRetention,
    Map<String, String> tags,
    String dimensionRollupOption,
    List<MetricDeclaration> metricDeclarations,
    List<MetricDescriptor> metricDescriptors,
    String outputDestination,
    boolean resourceToTelemetryConversion,
    List<String> parseJsonEncodedAttrValues,
    boolean detailedMetrics,
    boolean retainInitialValueOfDeltaMetric,
    boolean eksFargateContainerInsightsEnabled,
    boolean disableMetricExtraction,
    String version,
    AwsSession session) {

  public static final String ZERO_AND_SINGLE = "ZeroAndSingleDimensionRollup";
  public static final String SINGLE_ONLY = "SingleDimensionRollupOnly";
  public static final String NO_ROLLUP = "NoDimensionRollup";
  static final Set<Integer> RETENTION_DAYS = Set.of(0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
      731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
  static final Set<String> CLOUDWATCH_UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
      "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
      "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
  private static final java.util.regex.Pattern TAG_KEY = java.util.regex.Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}$");
  private static final java.util.regex.Pattern TAG_VALUE = java.util.regex.Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}$");

  /**
   * The AWS session settings shared by contrib's AWS exporters ({@code awsutil}).
   *
   * @param maxRetries SDK retries per request (default 2)
   */
  public record AwsSession(String region, String endpoint, String roleArn, String externalId, String proxyAddress,
      boolean noVerifySsl, Duration requestTimeout, int maxRetries) {}

  /** {@code metric_descriptors[]}: a unit for a metric, overwriting the metric's own unit only if asked. */
  public record MetricDescriptor(String metricName, String unit, boolean overwrite) {}

  /** {@code label_matchers[]}: the values of {@code label_names} joined by {@code separator} must match {@code regex}. */
  public record LabelMatcher(List<String> labelNames, String separator, Pattern regex) {
    boolean matches(Map<String, String> labels) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < labelNames.size(); i++) {
        if (i > 0) {
          sb.append(separator);
        }
        String v = labels.get(labelNames.get(i));
        if (v != null) {
          sb.append(v);
        }
      }
      return regex.matcher(sb).find();
    }
  }

  /**
   * {@code metric_declarations[]}: dimension sets (each sorted, deduplicated, at most 10 labels) for
   * metrics whose name matches a selector and whose labels match a matcher (or there are none).
   */
  public record MetricDeclaration(List<List<String>> dimensions, List<Pattern> metricNameSelectors,
      List<LabelMatcher> labelMatchers) {
    boolean matchesLabels(Map<String, String> labels) {
      if (labelMatchers.isEmpty()) {
        return true;
      }
      for (LabelMatcher m : labelMatchers) {
        if (m.matches(labels)) {
          return true;
        }
      }
      return false;
    }

    boolean matchesName(String name) {
      for (Pattern p : metricNameSelectors) {
        if (p.matcher(name).find()) {
          return true;
        }
      }
      return false;
    }

    List<List<String>> extractDimensions(Map<String, String> labels) {
      List<List<String>> out = new ArrayList<>();
      outer:
      for (List<String> set : dimensions) {
        for (String l : set) {
          if (!labels.containsKey(l)) {
            continue outer;
          }
        }
        out.add(set);
      }
      return out;
    }
  }

  /** The defaults, as contrib's createDefaultConfig. */
  public static AwsEmfConfig defaults() {
    return new AwsEmfConfig("", "", "", 0, Map.of(), ZERO_AND_SINGLE, List.of(), List.of(), "cloudwatch", false,
        List.of(), false, false, false, false, "1",
        new AwsSession("", "", "", "", "", false, Duration.ofSeconds(30), 2));
  }

  static AwsEmfConfig read(ConfigNode node) {
    String namespace = node.string("namespace", "");
    String logGroup = node.string("log_group_name", "");
    String logStream = node.string("log_stream_name", "");
    int retention = node.integer("log_retention", 0);
    if (!RETENTION_DAYS.contains(retention)) {
      node.error("log_retention", "invalid value for retention policy (" + retention + "); use one of "
          + new TreeSet<>(RETENTION_DAYS) + " (0: never expire)");
      retention = 0;
    }
    Map<String, String> tags = node.stringMap("tags");
    if (tags.size() > 50) {
      node.error("tags", "invalid amount of items (" + tags.size() + "); use at most 50 tags");
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (!TAG_KEY.matcher(t.getKey()).matches()) {
        node.error("tags", "key \"" + t.getKey() + "\" is invalid: 1-128 letters, digits, spaces or _.:/=+-@");
      } else if (!TAG_VALUE.matcher(t.getValue()).matches()) {
        node.error("tags", "value of \"" + t.getKey() + "\" is invalid: 0-256 letters, digits, spaces or _.:/=+-@");
      }
    }
    String rollup = node.string("dimension_rollup_option", ZERO_AND_SINGLE);
    if (!rollup.equals(ZERO_AND_SINGLE) && !rollup.equals(SINGLE_ONLY) && !rollup.equals(NO_ROLLUP)) {
      // contrib accepts any value and then rolls nothing up; say so instead of failing.
      node.warn("dimension_rollup_option \"" + rollup + "\" is not one of " + List.of(ZERO_AND_SINGLE, SINGLE_ONLY, NO_ROLLUP)
          + "; no rollup dimensions are added");
    }
    List<MetricDeclaration> decls = new ArrayList<>();
    for (ConfigNode d : node.list("metric_declarations")) {
      MetricDeclaration md = readDeclaration(d);
      if (md != null) {
        decls.add(md);
      }
    }
    List<MetricDescriptor> descriptors = new ArrayList<>();
    for (ConfigNode d : node.list("metric_descriptors")) {
      String name = d.string("metric_name", "");
      String unit = d.string("unit", "");
      boolean overwrite = d.bool("overwrite", false);
      if (name.isEmpty()) {
        d.warn("dropped metric descriptor: metric_name is empty");
      } else if (!CLOUDWATCH_UNITS.contains(unit)) {
        d.warn("dropped metric descriptor: unit \"" + unit + "\" is not a CloudWatch unit " + new TreeSet<>(CLOUDWATCH_UNITS));
      } else {
        descriptors.add(new MetricDescriptor(name, unit, overwrite));
      }
    }
    String output = node.string("output_destination", "cloudwatch").toLowerCase(Locale.ROOT);
    if (!output.equals("cloudwatch") && !output.equals("stdout")) {
      // contrib treats anything but stdout as cloudwatch; a config ADOT loaded must keep loading
      node.get("output_destination").warn("\"" + output + "\" is not cloudwatch or stdout; using cloudwatch");
      output = "cloudwatch";
    }
    boolean r2t = node.get("resource_to_telemetry_conversion").bool("enabled", false);
    List<String> parseJson = node.stringList("parse_json_encoded_attr_values");
    boolean detailed = node.bool("detailed_metrics", false);
    boolean retain = node.bool("retain_initial_value_of_delta_metric", false);
    boolean fargate = node.bool("eks_fargate_container_insights_enabled", false);
    boolean disableExtraction = node.bool("disable_metric_extraction", false);
    String version = node.string("version", "1");
    if (!version.equals("0") && !version.equals("1")) {
      // contrib writes v0 documents for any version but "1"; keep loading, say so
      node.get("version").warn("\"" + version + "\" is not \"0\" or \"1\"; writing version 0 documents as contrib does");
      version = "0";
    }
    // Accepted for config compatibility; they have no effect here (see README).
    node.accept("enhanced_container_insights", "middleware", "local_mode", "resource_arn", "num_workers",
        "imds_retries", "certificate_file_path", "profile", "shared_credentials_file", "add_entity", "sts_region");
    String region = node.string("region", "");
    String endpoint = node.string("endpoint", "");
    if (!endpoint.isEmpty()) {
      try {
        java.net.URI u = new java.net.URI(endpoint);
        if (u.getScheme() == null || u.getHost() == null) {
          node.error("endpoint", "\"" + endpoint + "\" must be an absolute URL such as https://logs.us-west-2.amazonaws.com");
        }
      } catch (java.net.URISyntaxException e) {
        node.error("endpoint", "\"" + endpoint + "\" is not a URL: " + e.getReason());
      }
    }
    String roleArn = node.string("role_arn", "");
    String externalId = node.string("external_id", "");
    String proxy = node.string("proxy_address", "");
    boolean noVerify = node.bool("no_verify_ssl", false);
    int timeoutSeconds = node.integer("request_timeout_seconds", 30);
    if (timeoutSeconds <= 0) {
      node.error("request_timeout_seconds", "(" + timeoutSeconds + ") must be > 0");
      timeoutSeconds = 30;
    }
    int maxRetries = node.integer("max_retries", 2);
    if (maxRetries < 0) {
      node.error("max_retries", "(" + maxRetries + ") must be >= 0");
      maxRetries = 2;
    }
    return new AwsEmfConfig(namespace, logGroup, logStream, retention, Map.copyOf(tags), rollup, List.copyOf(decls),
        List.copyOf(descriptors), output, r2t, List.copyOf(parseJson), detailed, retain, fargate, disableExtraction,
        version, new AwsSession(region, endpoint, roleArn, externalId, proxy, noVerify,
            Duration.ofSeconds(timeoutSeconds), maxRetries));
  }

  private static MetricDeclaration readDeclaration(ConfigNode d) {
    List<List<String>> dims = new ArrayList<>();
    Set<List<String>> seen = new LinkedHashSet<>();
    for (ConfigNode set : d.list("dimensions")) {
      List<String> names = new ArrayList<>();
      for (ConfigNode n : set.items()) {
        String s = n.asString();
        if (s != null) {
          names.add(s);
        }
      }
      List<String> sorted = new ArrayList<>(new TreeSet<>(names));
      if (sorted.size() > 10) {
        set.warn("dropped dimension set: more than 10 dimensions specified");
        continue;
      }
      if (seen.add(sorted)) {
        dims.add(List.copyOf(sorted));
      }
    }
    List<Pattern> selectors = new ArrayList<>();
    List<String> selectorTexts = d.stringList("metric_name_selectors");
    boolean bad = false;
    for (String s : selectorTexts) {
      try {
        selectors.add(Pattern.compile(s));
      } catch (PatternSyntaxException e) {
        d.warn("dropped metric declaration: metric_name_selectors \"" + s + "\" is not a valid regex: " + e.getMessage());
        bad = true;
      }
    }
    List<LabelMatcher> matchers = new ArrayList<>();
    for (ConfigNode m : d.list("label_matchers")) {
      List<String> labelNames = m.stringList("label_names");
      String separator = m.string("separator", ";");
      String regex = m.string("regex", "");
      if (labelNames.isEmpty()) {
        m.warn("dropped metric declaration: label matcher must have at least one label name");
        bad = true;
        continue;
      }
      if (regex.isEmpty()) {
        m.warn("dropped metric declaration: label matcher must have a regex");
        bad = true;
        continue;
      }
      try {
        matchers.add(new LabelMatcher(List.copyOf(labelNames), separator, Pattern.compile(regex)));
      } catch (PatternSyntaxException e) {
        m.warn("dropped metric declaration: regex \"" + regex + "\" is invalid: " + e.getMessage());
        bad = true;
      }
    }
    if (selectorTexts.isEmpty()) {
      d.warn("dropped metric declaration: invalid metric declaration: no metric name selectors defined");
      return null;
    }
    if (bad) {
      return null;
    }
    return new MetricDeclaration(List.copyOf(dims), List.copyOf(selectors), List.copyOf(matchers));
  }

  /** The descriptors by metric name (last one wins, as contrib's map). */
  Map<String, MetricDescriptor> descriptorsByName() {
    Map<String, MetricDescriptor> m = new LinkedHashMap<>();
    for (MetricDescriptor d : metricDescriptors) {
      m.put(d.metricName(), d);
    }
    return m;
  }
}
