package dev.otelcoljava.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.otelcoljava.receiver.otlp.OtlpReceiverFactory;
import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ComponentKind;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.HttpClientAuthenticator;
import dev.otelcoljava.runtime.api.MetricsLevel;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.MetricsSink;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS between our exporters and our receiver, and request signing through an extension. */
class TlsAndAuthTest {
  @TempDir
  static Path dir;

  /** Writes a CA, a server certificate for 127.0.0.1/localhost and a client certificate, with openssl. */
  @BeforeAll
  static void certificates() throws Exception {
    ExternalProcess.requireBinary("openssl", "apt-get install -y openssl");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test-ca");
    for (String who : List.of("server", "client")) {
      run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", who + ".key");
      run("openssl", "req", "-new", "-key", who + ".key", "-out", who + ".csr", "-subj", "/CN=" + who);
      run("openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", who + ".pem",
          "-days", "2", "-extfile", "san.ext");
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static String f(String name) {
    return dir.resolve(name).toString();
  }

  private static Receiver receiver(String yaml, MetricsSink sink) throws Exception {
    OtlpReceiverFactory rf = new OtlpReceiverFactory();
    ConfigProblems problems = new ConfigProblems();
    var cfg = rf.createConfig(ConfigNode.root(Support.YAML.readValue(yaml, Object.class), "receivers::otlp", problems), "otlp");
    assertThat(problems.errors()).isEmpty();
    Receiver r = rf.createReceiver(new CreateSettings(ComponentId.of("otlp"), ComponentKind.RECEIVER, MeterProvider.noop().get("t"),
        System.getLogger("otlp"), MetricsLevel.NONE, new BuildInfo("c", "d", "v")), cfg, sink);
    r.start(Support.host(Map.of()));
    return r;
  }

  private static <C> Exporter exporter(ExporterFactory<C> f, String yaml, Map<ComponentId, Extension> ext) throws Exception {
    Support.Read<C> r = Support.read(f, yaml);
    assertThat(r.problems().errors()).isEmpty();
    Exporter e = f.createExporter(Support.settings(f.type(), new Support.Reader()), r.config());
    e.start(Support.host(ext));
    return e;
  }

  private static void roundTrip(String receiverYaml, ExporterFactory<?> f, String exporterYaml) throws Exception {
    MetricsSink sink = new MetricsSink();
    Receiver r = receiver(receiverYaml, sink);
    Exporter e = exporter(f, exporterYaml, Map.of());
    try {
      ExportMetricsServiceRequest sent = Support.everyKind();
      e.consume(OtlpConverter.fromRequest(sent));
      sink.awaitBatches(1, Duration.ofSeconds(20));
      assertThat(OtlpConverter.toRequest(sink.batches().get(0))).isEqualTo(sent);
    } finally {
      e.shutdown(Duration.ofSeconds(5));
      r.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void grpc_mutualTls() throws Exception {
    int port = FreePorts.find();
    roundTrip("protocols: {grpc: {endpoint: '127.0.0.1:" + port + "', tls: {cert_file: '" + f("server.pem") + "', key_file: '"
        + f("server.key") + "', client_ca_file: '" + f("ca.pem") + "'}}}",
        new OtlpGrpcExporterFactory(), "endpoint: 127.0.0.1:" + port + "\ntls: {ca_file: '" + f("ca.pem") + "', cert_file: '"
        + f("client.pem") + "', key_file: '" + f("client.key") + "'}\n");
  }

  @Test
  void http_tlsWithCaFile() throws Exception {
    int port = FreePorts.find();
    roundTrip("protocols: {http: {endpoint: '127.0.0.1:" + port + "', tls: {cert_file: '" + f("server.pem") + "', key_file: '"
        + f("server.key") + "'}}}", new OtlpHttpExporterFactory(), "endpoint: https://127.0.0.1:" + port + "\ntls: {ca_file: '" + f("ca.pem") + "'}\n");
  }

  @Test
  void http_insecureSkipVerify() throws Exception {
    int port = FreePorts.find();
    roundTrip("protocols: {http: {endpoint: '127.0.0.1:" + port + "', tls: {cert_file: '" + f("server.pem") + "', key_file: '"
        + f("server.key") + "'}}}", new OtlpHttpExporterFactory(), "endpoint: https://127.0.0.1:" + port + "\ntls: {insecure_skip_verify: true}\n");
  }

  /** A signing extension like sigv4auth: a digest of the exact body and a counter per attempt. */
  private static final class Signer implements Extension, HttpClientAuthenticator {
    @Override
    public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception {
      return Map.of("X-Test-Signature", method + " " + uri.getPath() + " " + headers.get("Content-Encoding") + " "
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }
  }

  @Test
  void http_authenticatorSignsTheExactBody() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      try {
        seen.put("expected", "POST /v1/metrics gzip " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        seen.put("signature", ex.getRequestHeaders().getFirst("X-Test-Signature"));
        seen.put("tenant", ex.getRequestHeaders().getFirst("X-Scope-OrgID"));
        ExportMetricsServiceRequest.parseFrom(new GZIPInputStream(new ByteArrayInputStream(body)));
        seen.put("parsed", "yes");
      } catch (Exception e) {
        throw new IOException(e);
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    Exporter e = exporter(new OtlpHttpExporterFactory(), "endpoint: http://127.0.0.1:" + server.getAddress().getPort()
        + "\nheaders: {X-Scope-OrgID: t1}\nauth: {authenticator: sigv4auth}\nsending_queue: {enabled: false}\n",
        Map.of(ComponentId.of("sigv4auth"), new Signer()));
    try {
      e.consume(OtlpConverter.fromRequest(Support.everyKind()));
      assertThat(seen.get("parsed")).isEqualTo("yes");
      assertThat(seen.get("signature")).isEqualTo(seen.get("expected"));
      assertThat(seen.get("tenant")).isEqualTo("t1");
    } finally {
      e.shutdown(Duration.ofSeconds(5));
      server.stop(0);
    }
  }

  @Test
  void grpc_signingAuthenticatorIsRefusedAtStart() throws Exception {
    OtlpGrpcExporterFactory f = new OtlpGrpcExporterFactory();
    Support.Read<OtlpGrpcExporterConfig> r = Support.read(f, "endpoint: 127.0.0.1:1\nauth: {authenticator: sigv4auth}");
    Exporter e = f.createExporter(Support.settings("otlp", new Support.Reader()), r.config());
    assertThatThrownBy(() -> e.start(Support.host(Map.of(ComponentId.of("sigv4auth"), new Signer()))))
        .hasMessage("auth::authenticator: \"sigv4auth\" signs HTTP requests, which this collector does not support over gRPC; "
            + "use the otlp_http exporter (otlphttp) with this authenticator");
    e.shutdown(Duration.ofSeconds(1));
  }
}
