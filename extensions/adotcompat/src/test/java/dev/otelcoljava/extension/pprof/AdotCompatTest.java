package dev.otelcoljava.extension.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.extension.awsproxy.AwsProxyExtensionFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.testing.FactoryContract;
import io.opentelemetry.api.metrics.MeterProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdotCompatTest {
  private static final Host HOST = new Host() {
    @Override
    public Optional<Extension> extension(ComponentId id) {
      return Optional.empty();
    }

    @Override
    public Map<ComponentId, Extension> extensions() {
      return Map.of();
    }
  };

  private static CreateSettings settings(String type) {
    return new CreateSettings(ComponentId.of(type), ComponentKind.EXTENSION, MeterProvider.noop().get("t"), System.getLogger(type),
        MetricsLevel.NONE, new BuildInfo("c", "d", "v"));
  }

  @Test
  void pprof_emptyConfigLoadsAndRuns() throws Exception {
    FactoryContract.verify(new PprofExtensionFactory(), "");
    assertThat(FactoryContract.readConfig(new PprofExtensionFactory(), "endpoint: localhost:1777\nblock_profile_fraction: 3"))
        .isEqualTo(new PprofConfig("localhost:1777", 3, 0, ""));
  }

  @Test
  void pprof_saveToFileWritesJfrRecording(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("cpu.jfr");
    PprofExtension e = (PprofExtension) new PprofExtensionFactory().createExtension(settings("pprof"),
        new PprofConfig("localhost:1777", 0, 0, out.toString()));
    e.start(HOST);
    assertThat(e.recording()).isTrue();
    e.shutdown(Duration.ofSeconds(5));
    assertThat(Files.size(out)).isGreaterThan(0);
    assertThat(RecordingFile.readAllEvents(out)).isNotEmpty();
    e.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void awsproxy_configLoadsButCreationIsRefused() throws Exception {
    AwsProxyExtensionFactory f = new AwsProxyExtensionFactory();
    FactoryContract.checkTypeNames(f);
    AwsProxyExtensionFactory.Config c = (AwsProxyExtensionFactory.Config) FactoryContract.readConfig(f,
        "endpoint: 0.0.0.0:2000\nregion: us-west-2\nlocal_mode: true");
    assertThatThrownBy(() -> f.createExtension(settings("awsproxy"), c))
        .hasMessage("this collector handles metrics only: awsproxy serves the AWS X-Ray API for traces; remove it from "
            + "service::extensions or run it in another collector");
  }
}
