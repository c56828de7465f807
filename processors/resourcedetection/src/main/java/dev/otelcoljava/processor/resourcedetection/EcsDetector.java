package dev.otelcoljava.processor.resourcedetection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelcoljava.runtime.api.data.Attributes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ecs}: reads the task metadata endpoint ({@code ECS_CONTAINER_METADATA_URI_V4}, else the v3
 * {@code ECS_CONTAINER_METADATA_URI}; neither set = not on ECS, an empty resource): {@code /task}
 * for the task attributes and {@code /} (this container) to leave the collector's own logs out of
 * {@code aws.log.*}. Sets no {@code aws.ecs.cluster.name}, as upstream.
 */
final class EcsDetector implements Detector {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String V4 = "ECS_CONTAINER_METADATA_URI_V4";
  static final String V3 = "ECS_CONTAINER_METADATA_URI";

  @Override
  public Attributes detect(Context ctx) throws Exception {
    String base = ctx.getenv(V4).trim();
    if (base.isEmpty()) {
      base = ctx.getenv(V3).trim();
    }
    if (base.isEmpty()) {
      return new Attributes();
    }
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    JsonNode task = get(ctx, base + "/task");
    Attributes a = new Attributes();
    a.put("cloud.provider", "aws");
    a.put("cloud.platform", "aws_ecs");
    String arn = task.path("TaskARN").asText("");
    a.put("aws.ecs.task.arn", arn);
    a.put("aws.ecs.task.family", task.path("Family").asText(""));
    a.put("aws.ecs.task.revision", task.path("Revision").asText(""));
    String region = "";
    String account = "";
    String[] parts = arn.split(":", -1);
    if (parts.length >= 6) {
      region = parts[3];
      account = parts[4];
      String[] info = parts[5].split("/", -1);
      String taskId = info[info.length - 1];
      if (!account.isEmpty()) {
        a.put("cloud.account.id", account);
      }
      if (!region.isEmpty()) {
        a.put("cloud.region", region);
      }
      if (!taskId.isEmpty()) {
        a.put("aws.ecs.task.id", taskId);
      }
    }
    String cluster = task.path("Cluster").asText("");
    a.put("aws.ecs.cluster.arn", cluster.indexOf(':') >= 0 ? cluster
        : "arn:aws:ecs:" + region + ":" + account + ":cluster/" + cluster);
    String az = task.path("AvailabilityZone").asText("");
    if (!az.isEmpty()) {
      a.put("cloud.availability_zone", az);
    }
    String lt = task.path("LaunchType").asText("").toLowerCase(Locale.ROOT);
    if (lt.equals("ec2") || lt.equals("fargate")) {
      a.put("aws.ecs.launchtype", lt);
    }
    JsonNode self = get(ctx, base);
    addLogData(task.path("Containers"), self.path("DockerId").asText(""), account, a);
    return a;
  }

  /** Log groups and streams of the task's other running awslogs containers. */
  private static void addLogData(JsonNode containers, String selfId, String account, Attributes a) {
    List<Object> groupNames = new ArrayList<>();
    List<Object> groupArns = new ArrayList<>();
    List<Object> streamNames = new ArrayList<>();
    List<Object> streamArns = new ArrayList<>();
    for (JsonNode c : containers) {
      JsonNode lo = c.path("LogOptions");
      String group = lo.path("awslogs-group").asText("");
      String region = lo.path("awslogs-region").asText("");
      String stream = lo.path("awslogs-stream").asText("");
      boolean hasLogOptions = !group.isEmpty() || !region.isEmpty() || !stream.isEmpty();
      if ("NORMAL".equals(c.path("Type").asText(""))
          && "RUNNING".equals(c.path("KnownStatus").asText(""))
          && "awslogs".equals(c.path("LogDriver").asText(""))
          && !selfId.equals(c.path("DockerId").asText(""))
          && hasLogOptions) {
        String groupArn = "arn:aws:logs:" + region + ":" + account + ":log-group:" + group;
        groupNames.add(group);
        groupArns.add(groupArn);
        streamNames.add(stream);
        streamArns.add(groupArn + ":log-stream:" + stream);
      }
    }
    if (!groupNames.isEmpty()) {
      a.put("aws.log.group.names", groupNames);
      a.put("aws.log.group.arns", groupArns);
      a.put("aws.log.stream.names", streamNames);
      a.put("aws.log.stream.arns", streamArns);
    }
  }

  private static JsonNode get(Context ctx, String url) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url))
        .timeout(ctx.requestTimeout(Duration.ofSeconds(5))).GET().build();
    HttpResponse<byte[]> resp = ctx.http().send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() != 200) {
      throw new IOException("unable to fetch task metadata: " + url + " answered HTTP " + resp.statusCode());
    }
    try {
      JsonNode n = JSON.readTree(resp.body());
      if (n == null || !n.isObject()) {
        throw new IOException("unable to fetch task metadata: " + url + " did not answer a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException("unable to fetch task metadata: invalid JSON from " + url + ": " + e.getOriginalMessage(), e);
    }
  }
}
