package dev.otelcoljava.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ADOT's {@code /opt/aws/aws-otel-collector/etc/extracfg.txt}: {@code key=value} lines, {@code #}
 * starting a comment. {@code loggingLevel} adds {@code --config=yaml:service::telemetry::logs::level:
 * <v>}; {@code awsProfile} and {@code awsCredentialFile} select the AWS profile and credentials file
 * (through the AWS SDK's system properties {@code aws.profile} and {@code aws.sharedCredentialsFile},
 * since a JVM cannot change its own environment). Unknown keys are ignored, as ADOT does.
 *
 * @param configs extra {@code --config} sources
 * @param systemProperties system properties to set before components are created
 */
record AdotExtraConfig(List<String> configs, Map<String, String> systemProperties) {
  static final Path DEFAULT_PATH = Path.of("/opt/aws/aws-otel-collector/etc/extracfg.txt");

  /** Reads the file; a missing or unreadable file yields nothing. */
  static AdotExtraConfig read(Path path) {
    List<String> configs = new ArrayList<>();
    Map<String, String> props = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new AdotExtraConfig(List.of(), Map.of());
    }
    for (String raw : lines) {
      String line = raw;
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq).trim();
      String value = line.substring(eq + 1).trim();
      if (value.isEmpty()) {
        continue;
      }
      switch (key) {
        case "loggingLevel" ->
            configs.add("yaml:service::telemetry::logs::level: " + value.toLowerCase(Locale.ROOT));
        case "awsProfile" -> props.put("aws.profile", value);
        case "awsCredentialFile" -> props.put("aws.sharedCredentialsFile", value);
        default -> {
          // ADOT ignores other keys too.
        }
      }
    }
    return new AdotExtraConfig(List.copyOf(configs), Map.copyOf(props));
  }
}
