package dev.otelcoljava.extension.pprof;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.ExtensionFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;

/**
 * The {@code pprof} extension. Go's pprof endpoints have no JVM equivalent, so the extension is
 * accepted and mapped to Java Flight Recorder: {@code save_to_file} records a JFR profile for the
 * collector's lifetime and writes it there at shutdown; {@code endpoint} is not served (a note at
 * start says to use {@code jcmd <pid> JFR.start} instead). Stateless.
 */
public final class PprofExtensionFactory implements ExtensionFactory<PprofConfig> {
  @Override
  public String type() {
    return "pprof";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public PprofConfig createConfig(ConfigNode node, String typeUsed) {
    return PprofConfig.read(node);
  }

  @Override
  public Extension createExtension(CreateSettings settings, PprofConfig config) {
    return new PprofExtension(settings, config);
  }
}
