package dev.otelcoljava.processor.resourcedetection;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Factory of the {@code resource_detection} processor; the old type {@code resourcedetection} still
 * loads (with a deprecation warning from the loader). Stateless and thread-safe. Config keys: {@code
 * detectors} ([env]), {@code override} (true), {@code timeout} (5s), {@code refresh_interval} (0),
 * the removed {@code attributes} allow-list (emulated, with a warning), {@code
 * <detector>::resource_attributes::<attr>::enabled}, {@code system::hostname_sources}, {@code
 * ec2::{tags,tags_from_imds,max_attempts,max_backoff,fail_on_missing_metadata}}, {@code
 * eks::node_from_env_var}; the confighttp client keys are accepted and ignored.
 */
public final class ResourceDetectionProcessorFactory implements ProcessorFactory<ResourceDetectionConfig> {
  public static final String TYPE = "resource_detection";
  public static final String DEPRECATED_TYPE = "resourcedetection";
  static final List<String> KNOWN_DETECTORS = List.of("env", "system", "ecs", "ec2", "eks");
  private static final List<String> HTTP_CLIENT_KEYS = List.of("endpoint", "proxy_url", "tls",
      "read_buffer_size", "write_buffer_size", "headers", "compression", "auth", "max_idle_conns",
      "max_idle_conns_per_host", "max_conns_per_host", "idle_conn_timeout", "disable_keep_alives",
      "http2_read_idle_timeout", "http2_ping_timeout", "cookies", "middlewares", "force_attempt_http2");

  private final Function<String, String> env;
  private final Path root;

  /** The ServiceLoader constructor: the process environment and file system. */
  public ResourceDetectionProcessorFactory() {
    this(System::getenv, Path.of("/"));
  }

  /**
   * For tests: environment variables from {@code env} (null when unset), host files ({@code
   * /etc/machine-id}, {@code /proc/cpuinfo}, the Kubernetes service account) under {@code root}.
   */
  public ResourceDetectionProcessorFactory(Function<String, String> env, Path root) {
    this.env = Objects.requireNonNull(env);
    this.root = Objects.requireNonNull(root);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> deprecatedTypes() {
    return List.of(DEPRECATED_TYPE);
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public ResourceDetectionConfig createConfig(ConfigNode node, String typeUsed) {
    ResourceDetectionConfig d = ResourceDetectionConfig.defaults();
    List<String> detectors = node.has("detectors") && node.get("detectors").present()
        ? node.stringList("detectors") : d.detectors();
    List<String> valid = new ArrayList<>();
    for (int i = 0; i < detectors.size(); i++) {
      String name = detectors.get(i);
      if (!KNOWN_DETECTORS.contains(name)) {
        String hint = DetectorSpec.OTHER_CONTRIB.contains(name)
            ? " (an otelcol-contrib detector that otelcol-java does not implement)" : "";
        node.error("detectors[" + i + "]", "unknown detector \"" + name + "\"" + hint
            + "; known detectors: " + String.join(", ", new TreeSet<>(KNOWN_DETECTORS)));
      } else if (valid.contains(name)) {
        node.error("detectors[" + i + "]", "detector \"" + name + "\" is listed twice");
      } else {
        valid.add(name);
      }
    }
    boolean override = node.bool("override", d.override());
    Duration timeout = node.duration("timeout", d.timeout());
    if (timeout.isNegative() || timeout.isZero()) {
      node.error("timeout", "(" + node.get("timeout").asString() + ") must be greater than 0, e.g. 5s");
      timeout = d.timeout();
    }
    Duration refresh = node.duration("refresh_interval", d.refreshInterval());
    if (refresh.isNegative()) {
      node.error("refresh_interval", "(" + node.get("refresh_interval").asString()
          + ") must not be negative; 0 detects once");
      refresh = Duration.ZERO;
    }
    List<String> attributes = node.stringList("attributes");
    if (node.has("attributes") && node.get("attributes").present()) {
      node.warn("attributes is deprecated (removed from otelcol-contrib in v0.142); it still keeps"
          + " only the listed detected attributes here. Use <detector>::resource_attributes::<name>::enabled instead");
    }
    node.accept(HTTP_CLIENT_KEYS.toArray(new String[0]));
    node.accept(DetectorSpec.OTHER_CONTRIB.toArray(new String[0]));

    // One child node per section: each node remembers the keys read through it.
    Map<String, ConfigNode> sections = new LinkedHashMap<>();
    for (String det : KNOWN_DETECTORS) {
      sections.put(det, node.get(det));
    }
    Map<String, Map<String, Boolean>> resourceAttributes = new LinkedHashMap<>();
    for (String det : KNOWN_DETECTORS) {
      ConfigNode dn = sections.get(det);
      if (!dn.present()) {
        continue;
      }
      ConfigNode ra = dn.get("resource_attributes");
      if (ra.present()) {
        Map<String, Boolean> known = DetectorSpec.ATTRIBUTES.get(det);
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (String attr : ra.keys()) {
          if (!known.containsKey(attr)) {
            ra.accept(attr);
            ra.error(attr, "unknown resource attribute of the " + det + " detector; known: "
                + (known.isEmpty() ? "none (env sets the attributes it reads)" : String.join(", ", known.keySet())));
            continue;
          }
          m.put(attr, ra.get(attr).bool("enabled", known.get(attr)));
        }
        resourceAttributes.put(det, Map.copyOf(m));
      }
    }

    ConfigNode sys = sections.get("system");
    List<String> sources = d.system().hostnameSources();
    if (sys.present() && sys.has("hostname_sources") && sys.get("hostname_sources").present()) {
      sources = sys.stringList("hostname_sources");
      for (int i = 0; i < sources.size(); i++) {
        if (!List.of("dns", "os", "cname", "lookup").contains(sources.get(i))) {
          sys.error("hostname_sources[" + i + "]", "invalid hostname source \"" + sources.get(i)
              + "\"; use dns, os, cname or lookup");
        }
      }
    }

    ConfigNode ec2 = sections.get("ec2");
    ResourceDetectionConfig.Ec2Settings de = d.ec2();
    List<String> tags = ec2.present() ? ec2.stringList("tags") : List.of();
    for (int i = 0; i < tags.size(); i++) {
      try {
        Pattern.compile(tags.get(i));
      } catch (PatternSyntaxException e) {
        ec2.error("tags[" + i + "]", "invalid regular expression \"" + tags.get(i) + "\": " + e.getDescription());
      }
    }
    boolean tagsFromImds = ec2.present() ? ec2.bool("tags_from_imds", de.tagsFromImds()) : de.tagsFromImds();
    int maxAttempts = ec2.present() ? ec2.integer("max_attempts", de.maxAttempts()) : de.maxAttempts();
    if (maxAttempts < 1) {
      ec2.error("max_attempts", "(" + maxAttempts + ") must be at least 1");
      maxAttempts = de.maxAttempts();
    }
    Duration maxBackoff = ec2.present() ? ec2.duration("max_backoff", de.maxBackoff()) : de.maxBackoff();
    boolean failOnMissing = ec2.present()
        ? ec2.bool("fail_on_missing_metadata", de.failOnMissingMetadata()) : de.failOnMissingMetadata();

    ConfigNode eks = sections.get("eks");
    String nodeVar = eks.present() ? eks.string("node_from_env_var", d.eks().nodeFromEnvVar()) : d.eks().nodeFromEnvVar();

    return new ResourceDetectionConfig(List.copyOf(valid), override, timeout, refresh,
        List.copyOf(attributes), Map.copyOf(resourceAttributes),
        new ResourceDetectionConfig.SystemSettings(List.copyOf(sources)),
        new ResourceDetectionConfig.Ec2Settings(List.copyOf(tags), tagsFromImds, maxAttempts, maxBackoff, failOnMissing),
        new ResourceDetectionConfig.EksSettings(nodeVar));
  }

  @Override
  public Processor createProcessor(CreateSettings settings, ResourceDetectionConfig config, MetricsConsumer next) {
    Map<String, Detector> detectors = new LinkedHashMap<>();
    for (String name : config.detectors()) {
      detectors.put(name, switch (name) {
        case "env" -> new EnvDetector();
        case "system" -> new SystemDetector(config, root);
        case "ecs" -> new EcsDetector();
        case "ec2" -> new Ec2Detector(config);
        case "eks" -> new EksDetector(config, root.resolve("var/run/secrets/kubernetes.io/serviceaccount"));
        default -> throw new IllegalArgumentException("unknown detector \"" + name + "\"");
      });
    }
    return new ResourceDetectionProcessor(settings, config, detectors, env, next);
  }
}
