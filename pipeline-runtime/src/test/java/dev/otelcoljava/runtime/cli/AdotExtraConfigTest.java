package dev.otelcoljava.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdotExtraConfigTest {
  @Test
  void read_extracfg_mapsLoggingLevelAndAwsSettings(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("extracfg.txt");
    Files.writeString(f, """
        # written by the ADOT container
        loggingLevel=DEBUG
        awsProfile = prod # trailing comment
        awsCredentialFile=/creds
        unknown=x
        broken line
        """);
    AdotExtraConfig c = AdotExtraConfig.read(f);
    assertThat(c.configs()).containsExactly("yaml:service::telemetry::logs::level: debug");
    assertThat(c.systemProperties())
        .isEqualTo(Map.of("aws.profile", "prod", "aws.sharedCredentialsFile", "/creds"));
  }

  @Test
  void read_missingFile_givesNothing(@TempDir Path dir) {
    AdotExtraConfig c = AdotExtraConfig.read(dir.resolve("none.txt"));
    assertThat(c.configs()).isEmpty();
    assertThat(c.systemProperties()).isEmpty();
  }
}
