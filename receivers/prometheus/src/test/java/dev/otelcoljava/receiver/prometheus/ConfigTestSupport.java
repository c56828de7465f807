package dev.otelcoljava.receiver.prometheus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Loads testdata YAML the way the runtime does: the receiver node, then unknown-key reporting. */
final class ConfigTestSupport {
  record Loaded(PrometheusReceiverConfig config, ConfigProblems problems) {}

  private ConfigTestSupport() {}

  static Loaded load(String resource) {
    try (InputStream in = ConfigTestSupport.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("missing resource " + resource);
      }
      Map<?, ?> root = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
      Object receiver = ((Map<?, ?>) root.get("receivers")).get("prometheus");
      return loadNode(receiver);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Loaded loadYaml(String yaml) {
    try {
      return loadNode(new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Loaded loadNode(Object receiver) {
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(receiver, "receivers::prometheus", problems);
    PrometheusReceiverConfig c = new PrometheusReceiverFactory().createConfig(node, "prometheus");
    node.reportUnknownKeys();
    return new Loaded(c, problems);
  }
}
