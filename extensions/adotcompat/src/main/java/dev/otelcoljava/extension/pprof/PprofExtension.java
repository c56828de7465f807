package dev.otelcoljava.extension.pprof;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** Logs the JVM mapping of pprof at start; with save_to_file, records JFR and writes it at shutdown. */
final class PprofExtension implements Extension {
  private final CreateSettings settings;
  private final PprofConfig config;
  private Recording recording;

  PprofExtension(CreateSettings settings, PprofConfig config) {
    this.settings = settings;
    this.config = config;
  }

  @Override
  public synchronized void start(Host host) throws Exception {
    settings.logger().log(System.Logger.Level.INFO, "pprof: Go's profiling endpoint " + config.endpoint()
        + " is not served on the JVM; profile with Java Flight Recorder instead (jcmd <pid> JFR.start)"
        + (config.saveToFile().isEmpty() ? "" : "; a JFR recording is written to " + config.saveToFile() + " at shutdown"));
    if (!config.saveToFile().isEmpty()) {
      recording = new Recording(Configuration.getConfiguration("profile"));
      recording.setName("otelcol-pprof");
      recording.setToDisk(true);
      recording.start();
    }
  }

  /** True while a JFR recording is running (tests). */
  synchronized boolean recording() {
    return recording != null;
  }

  @Override
  public synchronized void shutdown(Duration timeout) throws Exception {
    if (recording != null) {
      try {
        recording.stop();
        recording.dump(Path.of(config.saveToFile()));
      } finally {
        recording.close();
        recording = null;
      }
    }
  }
}
