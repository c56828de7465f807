package dev.otelcoljava.processor.resourcedetection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.runtime.api.data.Attributes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ec2}: reads the instance identity document and host name from IMDS. Off EC2 (endpoint
 * unreachable or no instance id) it returns an empty resource, or fails when {@code
 * fail_on_missing_metadata} is set. Tags matching {@code tags} become {@code ec2.tag.<key>}, read
 * from IMDS when {@code tags_from_imds} is true (the instance must allow tags in metadata).
 */
final class Ec2Detector implements Detector {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ResourceDetectionConfig.Ec2Settings settings;
  private final List<Pattern> tagPatterns = new ArrayList<>();

  Ec2Detector(ResourceDetectionConfig config) {
    this.settings = config.ec2();
    for (String t : settings.tags()) {
      tagPatterns.add(Pattern.compile(t));
    }
  }

  @Override
  public Attributes detect(Context ctx) throws Exception {
    Imds imds = new Imds(ctx, settings.maxAttempts(), settings.maxBackoff());
    if (imds.disabled()) {
      return notOnEc2(ctx, "AWS_EC2_METADATA_DISABLED is true");
    }
    try {
      String id = imds.get("/latest/meta-data/instance-id").trim();
      if (id.isEmpty()) {
        return notOnEc2(ctx, "empty instance id");
      }
    } catch (IOException e) {
      return notOnEc2(ctx, e.getMessage());
    }
    JsonNode doc = JSON.readTree(imds.get("/latest/dynamic/instance-identity/document"));
    String hostname = imds.get("/latest/meta-data/hostname").trim();
    Attributes a = new Attributes();
    a.put("cloud.provider", "aws");
    a.put("cloud.platform", "aws_ec2");
    a.put("cloud.account.id", doc.path("accountId").asText(""));
    a.put("cloud.region", doc.path("region").asText(""));
    a.put("cloud.availability_zone", doc.path("availabilityZone").asText(""));
    a.put("host.id", doc.path("instanceId").asText(""));
    a.put("host.image.id", doc.path("imageId").asText(""));
    a.put("host.type", doc.path("instanceType").asText(""));
    a.put("host.name", hostname);
    if (!tagPatterns.isEmpty()) {
      if (settings.tagsFromImds()) {
        String keys = imds.get("/latest/meta-data/tags/instance");
        for (String key : keys.split("\n")) {
          key = key.trim();
          if (!key.isEmpty() && matches(key)) {
            a.put("ec2.tag." + key, imds.get("/latest/meta-data/tags/instance/" + key));
          }
        }
      } else {
        ctx.logger().log(System.Logger.Level.WARNING, "ec2 detector: reading tags with the EC2"
            + " DescribeTags API is not supported; set tags_from_imds: true and allow tags in instance"
            + " metadata to get ec2.tag.* attributes");
      }
    }
    return a;
  }

  private boolean matches(String key) {
    for (Pattern p : tagPatterns) {
      if (p.matcher(key).find()) {
        return true;
      }
    }
    return false;
  }

  private Attributes notOnEc2(Context ctx, String why) throws IOException {
    if (settings.failOnMissingMetadata()) {
      throw new IOException("EC2 metadata not available: " + why);
    }
    ctx.logger().log(System.Logger.Level.DEBUG, "EC2 metadata unavailable: " + why);
    return new Attributes();
  }
}
