package dev.otelcoljava.extension.sigv4auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import org.junit.jupiter.api.Test;

class SigV4AuthConfigTest {
  @Test
  void createConfig_absentNode_isValidDefault() {
    ConfigProblems problems = new ConfigProblems();
    SigV4AuthConfig c = new SigV4AuthExtensionFactory().createConfig(ConfigNode.root(null, "extensions::sigv4auth", problems), "sigv4auth");
    assertThat(problems.errors()).isEmpty();
    assertThat(c).isEqualTo(SigV4AuthConfig.defaults());
  }

  @Test
  void createConfig_fullTestdata_loadsEveryKey() throws Exception {
    TestSupport.Loaded l = TestSupport.load("config.yaml");
    assertThat(l.problems().errors()).isEmpty();
    assertThat(l.config()).isEqualTo(new SigV4AuthConfig("us-west-2", "aps", new SigV4AuthConfig.AssumeRole(
        "arn:aws:iam::123456789012:role/amp-writer", "collector", "us-east-1",
        "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", "ext-1")));
  }

  @Test
  void createConfig_tokenFileWithoutArn_fails() throws Exception {
    assertThat(TestSupport.load("invalid_token_without_arn.yaml").problems().errors()).containsExactly(
        "extensions::sigv4auth::assume_role: must specify ARN when using WebIdentityTokenFile; set assume_role::arn");
  }

  @Test
  void createConfig_unknownKey_namesNearest() throws Exception {
    assertThat(TestSupport.load("invalid_unknown_key.yaml").problems().errors()).singleElement().asString()
        .startsWith("extensions::sigv4auth: unknown key \"regoin\"; did you mean \"region\"?");
  }

  @Test
  void createConfig_stsRegionEmpty_defaultsToRegion() {
    ConfigProblems problems = new ConfigProblems();
    SigV4AuthConfig c = new SigV4AuthExtensionFactory().createConfig(ConfigNode.root(
        java.util.Map.of("region", "eu-west-1", "assume_role", java.util.Map.of("arn", "arn:aws:iam::1:role/r")),
        "extensions::sigv4auth", problems), "sigv4auth");
    assertThat(c.assumeRole().stsRegion()).isEqualTo("eu-west-1");
  }

  @Test
  void infer_knownHosts_giveServiceAndRegion() {
    assertThat(ServiceRegion.infer("aps-workspaces.us-west-2.amazonaws.com")).isEqualTo(new ServiceRegion("aps", "us-west-2"));
    assertThat(ServiceRegion.infer("search-logs-abc.eu-central-1.es.amazonaws.com")).isEqualTo(new ServiceRegion("es", "eu-central-1"));
    assertThat(ServiceRegion.infer("logs.ap-south-1.amazonaws.com")).isEqualTo(new ServiceRegion("logs", "ap-south-1"));
    assertThat(ServiceRegion.infer("xray.us-east-1.amazonaws.com")).isEqualTo(new ServiceRegion("xray", "us-east-1"));
    assertThat(ServiceRegion.infer("monitoring.us-east-2.amazonaws.com")).isEqualTo(new ServiceRegion("monitoring", "us-east-2"));
    assertThat(ServiceRegion.infer("127.0.0.1")).isEqualTo(new ServiceRegion("", ""));
  }

  @Test
  void serviceAndRegion_configWins_thenInference_thenEnvironment() {
    TestSupport.CapturingLogger log = new TestSupport.CapturingLogger();
    SigV4AuthExtension configured = new SigV4AuthExtension(new SigV4AuthConfig("eu-west-1", "aps", SigV4AuthConfig.AssumeRole.NONE), log, n -> "us-east-1");
    assertThat(configured.serviceAndRegion("aps-workspaces.us-west-2.amazonaws.com")).isEqualTo(new ServiceRegion("aps", "eu-west-1"));
    SigV4AuthExtension inferred = new SigV4AuthExtension(SigV4AuthConfig.defaults(), log, n -> "us-east-1");
    assertThat(inferred.serviceAndRegion("aps-workspaces.us-west-2.amazonaws.com")).isEqualTo(new ServiceRegion("aps", "us-west-2"));
    SigV4AuthExtension env = new SigV4AuthExtension(new SigV4AuthConfig("", "aps", SigV4AuthConfig.AssumeRole.NONE), log,
        n -> n.equals("AWS_DEFAULT_REGION") ? "ap-northeast-1" : null);
    assertThat(env.serviceAndRegion("127.0.0.1")).isEqualTo(new ServiceRegion("aps", "ap-northeast-1"));
    assertThat(log.lines).isEmpty();
  }

  @Test
  void serviceAndRegion_unknown_warnsOncePerHostAndFails() {
    TestSupport.CapturingLogger log = new TestSupport.CapturingLogger();
    SigV4AuthExtension ext = new SigV4AuthExtension(SigV4AuthConfig.defaults(), log, n -> null);
    for (int i = 0; i < 3; i++) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ext.serviceAndRegion("127.0.0.1"))
          .hasMessageContaining("service is unknown");
    }
    assertThat(log.lines).containsExactly("WARNING Unable to infer region and/or service from the URL. "
        + "Please provide values for region and/or service in the collector configuration.");
  }
}
