package dev.otelcoljava.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.FactoryContract;
import dev.otelcoljava.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OtlpReceiverConfigTest {
  @Test
  void createConfig_emptyProtocolsEnablesDefaults() throws Exception {
    TestSupport.Read r = TestSupport.readYaml("protocols:\n  grpc:\n  http:\n");
    assertThat(r.problems().errors()).isEmpty();
    assertThat(r.config().grpc().endpoint()).isEqualTo("0.0.0.0:4317");
    assertThat(r.config().grpc().maxRecvMsgSizeMib()).isEqualTo(4);
    assertThat(r.config().grpc().readBufferSize()).isEqualTo(512 * 1024);
    assertThat(r.config().grpc().tls()).isNull();
    assertThat(r.config().http().endpoint()).isEqualTo("0.0.0.0:4318");
    assertThat(r.config().http().metricsUrlPath()).isEqualTo("/v1/metrics");
    assertThat(r.config().http().maxRequestBodySize()).isEqualTo(20L * 1024 * 1024);
  }

  @Test
  void createConfig_onlyGrpcLeavesHttpOff() throws Exception {
    TestSupport.Read r = TestSupport.readYaml("protocols:\n  grpc:\n    endpoint: 0.0.0.0:55680\n");
    assertThat(r.problems().errors()).isEmpty();
    assertThat(r.config().grpc().endpoint()).isEqualTo("0.0.0.0:55680");
    assertThat(r.config().http()).isNull();
  }

  @Test
  void createConfig_fullConfigLoadsToExpectedRecord() throws Exception {
    TestSupport.Read r = TestSupport.readResource("config.yaml");
    assertThat(r.problems().errors()).isEmpty();
    OtlpReceiverConfig expected = new OtlpReceiverConfig(
        new OtlpReceiverConfig.Grpc("127.0.0.1:55680", 32, 16, 1024 * 1024, 524288,
            new OtlpReceiverConfig.Keepalive(Duration.ofSeconds(11), Duration.ofSeconds(12), Duration.ofSeconds(13),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10), true),
            new OtlpReceiverConfig.Tls("/etc/otel/cert.pem", "/etc/otel/key.pem", "", "/etc/otel/ca.pem", "1.2", ""), true),
        new OtlpReceiverConfig.Http("127.0.0.1:55681", "/custom/metrics", List.of("https://*.example.com", "http://localhost:3000"),
            List.of("X-Custom"), 7200, null, true, 10L * 1024 * 1024));
    assertThat(r.config()).isEqualTo(expected);
  }

  @Test
  void createConfig_noProtocolsFails() throws Exception {
    assertThat(TestSupport.readResource("invalid_no_protocols.yaml").problems().errors()).containsExactly(
        "receivers::otlp::protocols: must specify at least one protocol when using the OTLP receiver; add grpc: or http: under protocols");
  }

  @Test
  void createConfig_invalidValuesNameTheirPaths() throws Exception {
    assertThat(TestSupport.readResource("invalid_values.yaml").problems().errors()).containsExactlyInAnyOrder(
        "receivers::otlp::protocols::grpc::endpoint: \"localhost\" must be host:port, e.g. 0.0.0.0:4317",
        "receivers::otlp::protocols::grpc::max_recv_msg_size_mib: (0) must be > 0",
        "receivers::otlp::protocols::grpc::auth: server authenticators are not supported by this collector yet; remove auth "
            + "(terminate authentication in front of the collector) or bind the endpoint to localhost",
        "receivers::otlp::protocols::http::tls: a server needs both cert_file and key_file; set both or remove tls",
        "receivers::otlp::protocols::http::cors: unknown key \"allowed_origin\"; did you mean \"allowed_origins\"? "
            + "(known keys: allowed_headers, allowed_origins, max_age)");
  }

  @Test
  void factory_meetsContract() throws Exception {
    FactoryContract.verify(new OtlpReceiverFactory(), "protocols: {grpc: {endpoint: '127.0.0.1:0'}, http: {endpoint: '127.0.0.1:0'}}");
  }

  /** Every otlp receiver section in ADOT's shipped configs loads without a problem. */
  @Test
  void createConfig_everyAdotOtlpSectionLoads() throws Exception {
    Path dir = SharedFiles.sharedDir().resolve("fixtures/adot/config");
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    int found = 0;
    for (Path f : files) {
      Map<?, ?> root = TestSupport.YAML.readValue(f.toFile(), Map.class);
      Map<?, ?> receivers = (Map<?, ?>) root.get("receivers");
      if (receivers == null || !receivers.containsKey("otlp")) {
        continue;
      }
      found++;
      TestSupport.Read r = TestSupport.read(receivers.get("otlp"));
      assertThat(r.problems().errors()).as(f.toString()).isEmpty();
      assertThat(r.config().grpc()).as(f.toString()).isNotNull();
      assertThat(r.config().grpc().endpoint()).as(f.toString()).isEqualTo("0.0.0.0:4317");
      assertThat(r.config().http().endpoint()).as(f.toString()).isEqualTo("0.0.0.0:4318");
    }
    assertThat(found).isEqualTo(9);
  }
}
