package dev.otelcoljava.receiver.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

final class TestSupport {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Host HOST = new Host() {
    @Override
    public Optional<Extension> extension(ComponentId id) {
      return Optional.empty();
    }

    @Override
    public Map<ComponentId, Extension> extensions() {
      return Map.of();
    }
  };

  private TestSupport() {}

  static CreateSettings settings() {
    return new CreateSettings(ComponentId.of("otlp"), ComponentKind.RECEIVER, MeterProvider.noop().get("test"),
        System.getLogger("otlp"), MetricsLevel.NORMAL, new BuildInfo("otelcol-java", "test", "test"));
  }

  record Read(OtlpReceiverConfig config, ConfigProblems problems) {}

  static Read read(Object tree) {
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(tree, "receivers::otlp", problems);
    OtlpReceiverConfig cfg = new OtlpReceiverFactory().createConfig(node, "otlp");
    node.reportUnknownKeys();
    return new Read(cfg, problems);
  }

  static Read readYaml(String yaml) throws IOException {
    return read(YAML.readValue(yaml, Object.class));
  }

  static Read readResource(String name) throws IOException {
    try (InputStream in = TestSupport.class.getResourceAsStream(name)) {
      return read(YAML.readValue(in, Object.class));
    }
  }

  /** A receiver on loopback ephemeral ports with both protocols. */
  static OtlpReceiver start(dev.otelcoljava.runtime.api.MetricsConsumer next) throws Exception {
    OtlpReceiverConfig cfg = readYaml("protocols: {grpc: {endpoint: '127.0.0.1:0'}, http: {endpoint: '127.0.0.1:0'}}").config();
    OtlpReceiver r = (OtlpReceiver) new OtlpReceiverFactory().createReceiver(settings(), cfg, next);
    r.start(HOST);
    return r;
  }
}
