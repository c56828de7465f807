package dev.otelcoljava.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.testing.FactoryContract;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExporterConfigTest {
  @Test
  void factories_meetContract() throws Exception {
    FactoryContract.verify(new OtlpGrpcExporterFactory(), "endpoint: 127.0.0.1:1\ntls: {insecure: true}");
    FactoryContract.verify(new OtlpHttpExporterFactory(), "endpoint: http://127.0.0.1:1");
    assertThat(new OtlpGrpcExporterFactory().type()).isEqualTo("otlp_grpc");
    assertThat(new OtlpGrpcExporterFactory().deprecatedTypes()).containsExactly("otlp");
    assertThat(new OtlpHttpExporterFactory().type()).isEqualTo("otlp_http");
    assertThat(new OtlpHttpExporterFactory().deprecatedTypes()).containsExactly("otlphttp");
  }

  @Test
  void grpc_defaults() throws Exception {
    Support.Read<OtlpGrpcExporterConfig> r = Support.read(new OtlpGrpcExporterFactory(), "endpoint: collector:4317");
    assertThat(r.problems().errors()).isEmpty();
    OtlpGrpcExporterConfig c = r.config();
    assertThat(c.compression()).isEqualTo("gzip");
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.tls()).isEqualTo(CommonConfig.Tls.DEFAULT);
    assertThat(c.queue()).isEqualTo(new CommonConfig.Queue(true, 10, 1000, false));
    assertThat(c.retry()).isEqualTo(new CommonConfig.Retry(true, Duration.ofSeconds(5), 0.5, 1.5, Duration.ofSeconds(30), Duration.ofMinutes(5)));
  }

  @Test
  void grpc_fullConfig() throws Exception {
    Support.Read<OtlpGrpcExporterConfig> r = Support.read(new OtlpGrpcExporterFactory(), """
        endpoint: https://gateway:4317
        tls: {insecure_skip_verify: true, ca_file: /ca.pem, cert_file: /c.pem, key_file: /k.pem, server_name_override: gw.local}
        headers: {x-scope-orgid: tenant1}
        compression: none
        timeout: 10s
        sending_queue: {enabled: false, num_consumers: 2, queue_size: 50}
        retry_on_failure: {enabled: true, initial_interval: 1s, randomization_factor: 0.1, multiplier: 2, max_interval: 10s, max_elapsed_time: 1m}
        auth: {authenticator: oauth2client}
        keepalive: {time: 20s, timeout: 3s, permit_without_stream: true}
        balancer_name: round_robin
        """);
    assertThat(r.problems().errors()).isEmpty();
    assertThat(r.config()).isEqualTo(new OtlpGrpcExporterConfig("https://gateway:4317",
        new CommonConfig.Tls(false, true, "/ca.pem", "/c.pem", "/k.pem", "gw.local", "1.2"), Map.of("x-scope-orgid", "tenant1"),
        "none", Duration.ofSeconds(10), new CommonConfig.Queue(false, 2, 50, false),
        new CommonConfig.Retry(true, Duration.ofSeconds(1), 0.1, 2, Duration.ofSeconds(10), Duration.ofMinutes(1)),
        ComponentId.of("oauth2client"), "", Duration.ofSeconds(20), Duration.ofSeconds(3), true));
    assertThat(new OtlpGrpcExporterFactory().extensionReferences(r.config())).containsEntry("auth::authenticator", ComponentId.of("oauth2client"));
  }

  @Test
  void http_endpointsAndEncoding() throws Exception {
    Support.Read<OtlpHttpExporterConfig> r = Support.read(new OtlpHttpExporterFactory(), "endpoint: https://gw:4318/\nencoding: json");
    assertThat(r.problems().errors()).isEmpty();
    assertThat(r.config().metricsUrl()).isEqualTo(URI.create("https://gw:4318/v1/metrics"));
    assertThat(r.config().json()).isTrue();
    assertThat(r.config().timeout()).isEqualTo(Duration.ofSeconds(30));
    Support.Read<OtlpHttpExporterConfig> o = Support.read(new OtlpHttpExporterFactory(),
        "endpoint: https://gw:4318\nmetrics_endpoint: https://aps.example/api/v1/otlp/v1/metrics\ntraces_endpoint: https://t\nauth: {authenticator: sigv4auth}");
    assertThat(o.problems().errors()).isEmpty();
    assertThat(o.config().metricsUrl()).isEqualTo(URI.create("https://aps.example/api/v1/otlp/v1/metrics"));
    assertThat(o.config().json()).isFalse();
    assertThat(new OtlpHttpExporterFactory().extensionReferences(o.config())).containsEntry("auth::authenticator", ComponentId.of("sigv4auth"));
  }

  @Test
  void invalid_configsNameTheirPaths() throws Exception {
    assertThat(Support.read(new OtlpGrpcExporterFactory(), "").problems().errors()).containsExactly(
        "exporters::otlp_grpc::endpoint: is required; set it to host:port of the OTLP/gRPC server, e.g. collector:4317");
    assertThat(Support.read(new OtlpHttpExporterFactory(), "").problems().errors()).containsExactly(
        "exporters::otlp_http: at least one endpoint must be specified; set endpoint (e.g. http://collector:4318) or metrics_endpoint");
    assertThat(Support.read(new OtlpHttpExporterFactory(), """
        endpoint: ftp://x
        encoding: xml
        compression: brotli
        sending_queue: {queue_size: 0, storage: file_storage}
        retry_on_failure: {randomization_factor: 2}
        tls: {cert_file: /c.pem}
        """).problems().errors()).containsExactlyInAnyOrder(
        "exporters::otlp_http::endpoint: \"ftp://x/v1/metrics\" must be an http:// or https:// URL",
        "exporters::otlp_http::encoding: \"xml\" must be in [proto, json]",
        "exporters::otlp_http::compression: unsupported compression type \"brotli\"; use gzip or none",
        "exporters::otlp_http::sending_queue::queue_size: (0) must be > 0",
        "exporters::otlp_http::sending_queue::storage: a persistent sending queue is not supported by the OTLP exporters yet; remove storage",
        "exporters::otlp_http::retry_on_failure::randomization_factor: (2.0) must be within [0, 1]",
        "exporters::otlp_http::tls: provide both cert_file and key_file for a client certificate, or neither");
  }

  @Test
  void zstd_fallsBackToGzipWithWarning() throws Exception {
    Support.Read<OtlpGrpcExporterConfig> r = Support.read(new OtlpGrpcExporterFactory(), "endpoint: x:4317\ncompression: zstd");
    assertThat(r.problems().errors()).isEmpty();
    assertThat(r.config().compression()).isEqualTo("gzip");
    assertThat(r.problems().warnings()).containsExactly(
        "exporters::otlp_grpc: compression \"zstd\" is not supported by this exporter; using gzip instead");
  }

  @Test
  void retryAfter_parsesSecondsAndDates() {
    assertThat(HttpSender.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(HttpSender.retryAfter("-5")).isNull();
    assertThat(HttpSender.retryAfter("garbage")).isNull();
    assertThat(HttpSender.retryAfter(null)).isNull();
    assertThat(HttpSender.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
  }
}
