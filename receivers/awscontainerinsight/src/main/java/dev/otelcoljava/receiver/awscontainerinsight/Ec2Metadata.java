package dev.otelcoljava.receiver.awscontainerinsight;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The EC2 instance identity document from the instance metadata service, as upstream's host info
 * reads it (instance id, type, region, private IP): IMDSv2 (a token {@code PUT}, then the {@code GET}
 * with the token), falling back to IMDSv1 when the token call fails, as the AWS SDK does. The
 * endpoint is {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} or {@code http://169.254.169.254}.
 */
final class Ec2Metadata {
  static final String ENDPOINT_ENV = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
  static final String DEFAULT_ENDPOINT = "http://169.254.169.254";
  static final String DOCUMENT = "/latest/dynamic/instance-identity/document";

  /** What upstream takes from the identity document. */
  record Identity(String instanceId, String instanceType, String region, String privateIp) {}

  private final HttpClient client;
  private final String endpoint;
  private final int attempts;
  private final Duration timeout;

  Ec2Metadata(HttpClient client, String endpoint, int attempts, Duration timeout) {
    this.client = client;
    this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    this.attempts = Math.max(1, attempts);
    this.timeout = timeout;
  }

  String endpoint() {
    return endpoint;
  }

  Identity identity() throws FetchException, InterruptedException {
    FetchException last = null;
    for (int i = 0; i < attempts; i++) {
      try {
        String token = token();
        JsonNode doc = Http.getJson(client, endpoint + DOCUMENT, timeout,
            token == null ? null : "X-aws-ec2-metadata-token", token);
        String id = doc.path("instanceId").asText("");
        if (id.isEmpty()) {
          throw new FetchException("parse", "the EC2 identity document has no instanceId", null);
        }
        return new Identity(id, doc.path("instanceType").asText(""), doc.path("region").asText(""),
            doc.path("privateIp").asText(""));
      } catch (FetchException e) {
        last = e;
      }
    }
    throw last;
  }

  private String token() throws InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint + "/latest/api/token")).timeout(timeout)
        .header("X-aws-ec2-metadata-token-ttl-seconds", "21600")
        .PUT(HttpRequest.BodyPublishers.noBody()).build();
    try {
      return new String(Http.send(client, req, timeout), StandardCharsets.UTF_8).trim();
    } catch (FetchException e) {
      return null; // IMDSv1
    }
  }
}
