package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real user's config in {@code ../shared/scenarios} through {@code bin/otelcol-java validate},
 * unchanged: once as a file ({@code --config <file>}) and once only through {@code
 * AOT_CONFIG_CONTENT} (how ECS hands the SSM parameter to the ADOT image). Each must be accepted,
 * except {@code invalid-ecs-sidecar-sigv4-not-enabled.yaml}, which must be refused with a message
 * that names the exporter, its {@code auth::authenticator}, the extension and {@code
 * service::extensions}.
 *
 * <p>The environment is the one each config runs in: the {@code ${env:...}} values it names, the
 * ECS task metadata variable for the ECS sidecars, the in-cluster variables and the service account
 * files (through {@link PodNamespace}) for the EKS ones. Every address is on 127.0.0.1; {@code
 * validate} must not connect to any of them.
 */
class ScenariosIT {
  static final String INVALID = "invalid-ecs-sidecar-sigv4-not-enabled.yaml";
  private static final Pattern ENV_REF = Pattern.compile("(?<!\\$)\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> files = Files.list(SharedFiles.scenarios())) {
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
      assertThat(names).as("scenario files in " + SharedFiles.scenarios()).contains(INVALID).hasSizeGreaterThan(5);
      return names.stream();
    }
  }

  /** The environment variables a config names with {@code ${env:NAME}} ({@code $${...}} is a literal). */
  static TreeSet<String> envReferences(String configText) {
    TreeSet<String> names = new TreeSet<>();
    Matcher m = ENV_REF.matcher(configText);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * Plausible values for the variables the scenarios use, plus the environment of where each runs
   * (an ECS task, an EKS pod). Endpoints point at free 127.0.0.1 ports where nothing listens.
   */
  static Map<String, String> environment(String configText) {
    Map<String, String> env = new TreeMap<>();
    env.put("AWS_REGION", "us-west-2");
    env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLESCENARIO");
    env.put("AWS_SECRET_ACCESS_KEY", "scenario-test-secret-not-real");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AMP_REMOTE_WRITE_URL", "http://127.0.0.1:" + FreePorts.find() + "/workspaces/ws-0123abcd-4567-89ef/api/v1/remote_write");
    env.put("EKS_CLUSTER_ARN", "arn:aws:eks:us-west-2:111122223333:cluster/demo");
    env.put("NODE_NAME", "ip-192-168-12-34.us-west-2.compute.internal");
    if (configText.contains("awsecscontainermetrics") || configText.contains("- ecs")) {
      env.put("ECS_CONTAINER_METADATA_URI_V4", "http://127.0.0.1:" + FreePorts.find() + "/v4/0123456789abcdef0123456789abcdef-3681984407");
    }
    if (PodNamespace.needed(configText)) {
      env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
      env.put("KUBERNETES_SERVICE_PORT", Integer.toString(FreePorts.find()));
      env.put("OTEL_RESOURCE_ATTRIBUTES", "ClusterName=demo");
    }
    return env;
  }

  private static AppDir.Result validate(String name, boolean viaEnv, Path dir) throws Exception {
    Path file = SharedFiles.scenarios().resolve(name);
    String text = Files.readString(file);
    Map<String, String> env = new TreeMap<>(environment(text));
    assertThat(env.keySet()).as("values for the ${env:...} that " + name + " names").containsAll(envReferences(text));
    List<String> cmd = new ArrayList<>(List.of(AppDir.launcher().toString(), "validate"));
    if (viaEnv) {
      env.put("AOT_CONFIG_CONTENT", text);
    } else {
      cmd.addAll(List.of("--config", file.toString()));
    }
    if (PodNamespace.needed(text)) {
      cmd = PodNamespace.wrap(cmd, PodNamespace.serviceAccount(dir, "eyJhbGciOiJSUzI1NiJ9.scenario-token.sig",
          "(only its existence is checked by validate)\n", "amazon-cloudwatch"));
    }
    return AppDir.run(cmd, env, dir);
  }

  private static void assertOutcome(String name, AppDir.Result r) {
    assertThat(r.output()).as("no stack trace").doesNotContain("\tat ");
    if (name.equals(INVALID)) {
      assertThat(r.exitCode()).as(r.output()).isNotZero();
      assertThat(r.output()).contains("exporters::prometheusremotewrite").contains("auth::authenticator")
          .contains("sigv4auth").contains("service::extensions");
    } else {
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.output()).contains("configuration is valid").doesNotContain("\terror\t");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void validate_configFile(String name, @TempDir Path dir) throws Exception {
    assertOutcome(name, validate(name, false, dir));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void validate_onlyAotConfigContent(String name, @TempDir Path dir) throws Exception {
    AppDir.Result r = validate(name, true, dir);
    assertOutcome(name, r);
    assertThat(r.output()).contains("AOT_CONFIG_CONTENT");
  }

  @Test
  void invalidScenario_messageIsOneLineNamingPathProblemAndFix(@TempDir Path dir) throws Exception {
    AppDir.Result r = validate(INVALID, false, dir);
    String line = r.output().lines().filter(l -> l.contains("auth::authenticator")).findFirst().orElseThrow();
    assertThat(line.strip()).isEqualTo("exporters::prometheusremotewrite::auth::authenticator: references extension"
        + " \"sigv4auth\", which is configured but not enabled; add it to service::extensions (now [health_check])");
  }

  @Test
  void envReferences_skipsEscapedDollars() {
    assertThat(envReferences("a: ${env:A}\nb: $${env:B}\nc: x${env:C_1}y\n")).containsExactly("A", "C_1");
  }
}
