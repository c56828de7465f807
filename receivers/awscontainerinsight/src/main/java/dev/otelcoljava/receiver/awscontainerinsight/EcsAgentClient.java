package dev.otelcoljava.receiver.awscontainerinsight;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ECS container agent's introspection API: {@code /v1/metadata} (cluster and container
 * instance ARN) and {@code /v1/tasks} (the tasks on this instance with their containers). Upstream
 * calls {@code http://<instance private IP>:51678}; {@code ECS_AGENT_INTROSPECTION_ENDPOINT}
 * replaces that base URL (tests, hosts where the agent listens elsewhere).
 */
final class EcsAgentClient {
  static final int PORT = 51678;
  static final String RUNNING = "RUNNING";

  record InstanceInfo(String cluster, String containerInstanceId) {}

  record Task(String arn, String knownStatus, List<String> dockerIds) {}

  private final HttpClient client;
  private final String override;
  private final Duration timeout;

  EcsAgentClient(HttpClient client, String override, Duration timeout) {
    this.client = client;
    this.override = override == null ? null
        : override.endsWith("/") ? override.substring(0, override.length() - 1) : override;
    this.timeout = timeout;
  }

  /** The base URL: the override, else the instance's private IP, else localhost (port 51678). */
  String base(String privateIp) {
    if (override != null) {
      return override;
    }
    String host = privateIp == null || privateIp.isEmpty() ? "localhost" : privateIp;
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + PORT;
  }

  InstanceInfo metadata(String privateIp) throws FetchException, InterruptedException {
    JsonNode n = Http.getJson(client, base(privateIp) + "/v1/metadata", timeout, null, null);
    String cluster = n.path("Cluster").asText("");
    String arn = n.path("ContainerInstanceArn").asText("");
    String id = containerInstanceId(arn);
    if (cluster.isEmpty() || id == null) {
      throw new FetchException("parse", "the ECS agent metadata has no Cluster or no valid"
          + " ContainerInstanceArn (" + arn + ")", null);
    }
    return new InstanceInfo(cluster, id);
  }

  List<Task> tasks(String privateIp) throws FetchException, InterruptedException {
    JsonNode n = Http.getJson(client, base(privateIp) + "/v1/tasks", timeout, null, null);
    List<Task> out = new ArrayList<>();
    for (JsonNode t : n.path("Tasks")) {
      List<String> ids = new ArrayList<>();
      for (JsonNode c : t.path("Containers")) {
        String id = c.path("DockerId").asText("");
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
      out.add(new Task(t.path("Arn").asText(""), t.path("KnownStatus").asText(""), ids));
    }
    return out;
  }

  /**
   * The id at the end of {@code arn:aws:ecs:region:account:container-instance/[cluster/]id}; null
   * when the ARN has neither form.
   */
  static String containerInstanceId(String arn) {
    return lastOfResource(arn);
  }

  /** The task id of {@code arn:aws:ecs:region:account:task/[cluster/]id}; null if malformed. */
  static String taskId(String arn) {
    return lastOfResource(arn);
  }

  private static String lastOfResource(String arn) {
    String[] parts = arn.split(":", -1);
    if (parts.length < 6) {
      return null;
    }
    String[] r = parts[5].split("/", -1);
    if (r.length == 2 || r.length == 3) {
      String id = r[r.length - 1];
      return id.isEmpty() ? null : id;
    }
    return null;
  }
}
