package dev.otelcoljava.extension.sigv4auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

final class TestSupport {
  private TestSupport() {}

  record Loaded(SigV4AuthConfig config, ConfigProblems problems) {}

  static Loaded load(String resource) throws IOException {
    Object tree;
    try (InputStream in = TestSupport.class.getResourceAsStream("/dev/otelcoljava/extension/sigv4auth/" + resource)) {
      tree = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
    }
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(tree, "extensions::sigv4auth", problems);
    SigV4AuthConfig c = new SigV4AuthExtensionFactory().createConfig(node, "sigv4auth");
    node.reportUnknownKeys();
    return new Loaded(c, problems);
  }

  /** A System.Logger that records every message at every level, including debug and trace. */
  static final class CapturingLogger implements System.Logger {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg + (thrown == null ? "" : " " + thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + (params == null ? format : java.text.MessageFormat.format(format, params)));
    }
  }
}
