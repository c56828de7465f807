package dev.otelcoljava.processor.resourcedetection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.runtime.api.data.Attributes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code eks}: active only inside Kubernetes ({@code KUBERNETES_SERVICE_HOST} set) with an EKS
 * marker: an IRSA web identity token ({@code AWS_WEB_IDENTITY_TOKEN_FILE}), EKS Pod Identity
 * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} on 169.254.170.23), or {@code -eks-} in the API
 * server's {@code /version}. Sets {@code cloud.provider=aws}, {@code cloud.platform=aws_eks}; the
 * off-by-default account, region, zone and host attributes come from IMDS when enabled. {@code
 * k8s.cluster.name} (EC2 DescribeInstances upstream) is not detected.
 */
final class EksDetector implements Detector {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ResourceDetectionConfig config;
  private final Path serviceAccountDir;

  EksDetector(ResourceDetectionConfig config, Path serviceAccountDir) {
    this.config = config;
    this.serviceAccountDir = serviceAccountDir;
  }

  private boolean on(String attr) {
    return config.enabled("eks", attr, DetectorSpec.ATTRIBUTES.get("eks").get(attr));
  }

  @Override
  public Attributes detect(Context ctx) throws Exception {
    if (ctx.getenv("KUBERNETES_SERVICE_HOST").isEmpty() || !eksMarker(ctx)) {
      return new Attributes();
    }
    Attributes a = new Attributes();
    a.put("cloud.provider", "aws");
    a.put("cloud.platform", "aws_eks");
    if (on("cloud.account.id") || on("cloud.region") || on("cloud.availability_zone")
        || on("host.id") || on("host.name")) {
      Imds imds = new Imds(ctx, config.ec2().maxAttempts(), config.ec2().maxBackoff());
      JsonNode doc = JSON.readTree(imds.get("/latest/dynamic/instance-identity/document"));
      a.put("cloud.account.id", doc.path("accountId").asText(""));
      a.put("cloud.region", doc.path("region").asText(""));
      a.put("cloud.availability_zone", doc.path("availabilityZone").asText(""));
      a.put("host.id", doc.path("instanceId").asText(""));
      if (on("host.name")) {
        a.put("host.name", imds.get("/latest/meta-data/hostname").trim());
      }
    }
    if (on("k8s.cluster.name")) {
      ctx.logger().log(System.Logger.Level.WARNING, "eks detector: k8s.cluster.name needs the EC2"
          + " DescribeInstances API, which is not supported; set it with the resource processor");
    }
    return a;
  }

  private boolean eksMarker(Context ctx) {
    if (!ctx.getenv("AWS_WEB_IDENTITY_TOKEN_FILE").isEmpty()) {
      return true;
    }
    if (ctx.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI").contains("169.254.170.23")
        || !ctx.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").isEmpty()) {
      return true;
    }
    try {
      String version = serverVersion(ctx);
      return version.contains("-eks-");
    } catch (Exception e) {
      ctx.logger().log(System.Logger.Level.DEBUG, "eks detector: cannot read the API server version: " + e);
      return false;
    }
  }

  /** The API server's gitVersion, read with the pod's service account. */
  private String serverVersion(Context ctx) throws Exception {
    Path token = serviceAccountDir.resolve("token");
    Path ca = serviceAccountDir.resolve("ca.crt");
    if (!Files.isReadable(token) || !Files.isReadable(ca)) {
      throw new IOException("no service account in " + serviceAccountDir);
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    String host = ctx.getenv("KUBERNETES_SERVICE_HOST");
    String port = ctx.getenv("KUBERNETES_SERVICE_PORT");
    String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + (port.isEmpty() ? "443" : port) + "/version";
    try (HttpClient client = HttpClient.newBuilder().sslContext(ssl)
        .connectTimeout(ctx.requestTimeout(Duration.ofSeconds(2))).build()) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(url))
          .timeout(ctx.requestTimeout(Duration.ofSeconds(2)))
          .header("Authorization", "Bearer " + Files.readString(token).trim()).GET().build();
      HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (resp.statusCode() != 200) {
        throw new IOException("/version answered HTTP " + resp.statusCode());
      }
      return JSON.readTree(resp.body()).path("gitVersion").asText("");
    }
  }
}
