package dev.otelcoljava.receiver.awsecscontainermetrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The deployment files in configs/ecs and configs/local are valid and say what the README says. */
class DeploymentFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ECS = SharedFiles.repoDir().resolve("configs/ecs");
  private static final Path LOCAL = SharedFiles.repoDir().resolve("configs/local");

  private static JsonNode container(JsonNode taskDef, String name) {
    for (JsonNode c : taskDef.path("containerDefinitions")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name);
  }

  @Test
  void taskDefinition_collectorSidecarLimitsSecretHealthCheck() throws Exception {
    JsonNode td = JSON.readTree(ECS.resolve("task-definition.json").toFile());
    assertThat(td.path("requiresCompatibilities").get(0).asText()).isEqualTo("FARGATE");
    assertThat(td.path("networkMode").asText()).isEqualTo("awsvpc");
    JsonNode col = container(td, "aws-otel-collector");
    assertThat(col.path("memory").asInt()).isEqualTo(96);
    assertThat(col.path("cpu").asInt()).isEqualTo(128);
    assertThat(col.path("image").asText()).isEqualTo("<account>.dkr.ecr.<region>.amazonaws.com/otelcol-java:latest");
    assertThat(col.path("secrets").get(0).path("name").asText()).isEqualTo("AOT_CONFIG_CONTENT");
    assertThat(col.path("secrets").get(0).path("valueFrom").asText()).startsWith("arn:aws:ssm:");
    assertThat(col.path("healthCheck").path("command").toString())
        .isEqualTo("[\"CMD\",\"/opt/otelcol-java/bin/healthcheck\"]");
    assertThat(col.path("logConfiguration").path("logDriver").asText()).isEqualTo("awslogs");
    JsonNode app = container(td, "spring-app");
    assertThat(app.path("portMappings").get(0).path("containerPort").asInt()).isEqualTo(8081);
    assertThat(app.path("dependsOn").get(0).path("containerName").asText()).isEqualTo("aws-otel-collector");
    // The containers' memory fits the task's.
    assertThat(col.path("memory").asInt() + app.path("memory").asInt()).isLessThanOrEqualTo(td.path("memory").asInt());
  }

  @Test
  void policies_grantRemoteWriteSsmAndLogs() throws Exception {
    String task = Files.readString(ECS.resolve("task-role-policy.json"));
    String exec = Files.readString(ECS.resolve("execution-role-policy.json"));
    JSON.readTree(task);
    JSON.readTree(exec);
    JSON.readTree(ECS.resolve("ecs-tasks-trust-policy.json").toFile());
    assertThat(task).contains("aps:RemoteWrite").contains("workspace/<workspace-id>");
    assertThat(exec).contains("ssm:GetParameters").contains("parameter/otel-collector-config")
        .contains("logs:PutLogEvents");
  }

  @Test
  void configs_areTheScenariosUnchanged() throws Exception {
    assertThat(Files.readString(ECS.resolve("otel-collector-config.yaml")))
        .isEqualTo(Files.readString(SharedFiles.scenarios().resolve("ecs-sidecar-amp.yaml")));
    assertThat(Files.readString(LOCAL.resolve("otel-agent-config.yaml")))
        .isEqualTo(Files.readString(SharedFiles.scenarios().resolve("local-compose-amp.yaml")));
    JsonNode compose = YAML.readTree(LOCAL.resolve("docker-compose.yaml").toFile());
    JsonNode col = compose.path("services").path("collector");
    assertThat(col.path("command").get(0).asText()).isEqualTo("--config=/etc/otel-agent-config.yaml");
    assertThat(col.path("ports").toString()).contains("55680:55680").contains("8888:8888");
    assertThat(col.path("volumes").toString()).contains("~/.aws:/aws:ro");
    assertThat(compose.path("services").path("app").path("ports").toString()).contains("8081:8081");
  }
}
