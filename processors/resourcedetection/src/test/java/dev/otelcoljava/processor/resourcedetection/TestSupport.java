package dev.otelcoljava.processor.resourcedetection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.io.InputStream;
import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

final class TestSupport {
  private TestSupport() {}

  /** A System.Logger that keeps every message (level + text). */
  static final class CapturingLogger implements System.Logger {
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      messages.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      messages.add(level + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
    }

    boolean contains(String text) {
      return messages.stream().anyMatch(m -> m.contains(text));
    }
  }

  static CreateSettings settings(System.Logger logger) {
    return new CreateSettings(ComponentId.of("resourcedetection"), ComponentKind.PROCESSOR,
        MeterProvider.noop().get("test"), logger, MetricsLevel.BASIC,
        new BuildInfo("otelcol-java", "test", "0.0.0"));
  }

  static Object yaml(InputStream in) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
  }

  static ConfigNode load(String resource, ConfigProblems problems) throws IOException {
    Object value = null;
    if (resource != null) {
      try (InputStream in = TestSupport.class.getResourceAsStream(resource)) {
        value = yaml(in);
      }
    }
    return ConfigNode.root(value, "processors::resourcedetection", problems);
  }

  static ConfigNode node(String yamlText, ConfigProblems problems) throws IOException {
    Object value = new ObjectMapper(new YAMLFactory()).readValue(yamlText, Object.class);
    return ConfigNode.root(value, "processors::resourcedetection", problems);
  }
}
