package dev.otelcoljava.distribution.containerinsights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.SharedFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/otelcol-java explain} as a user runs it: the eks-fargate-container-insights scenario
 * file unchanged, the saved cAdvisor page and the one taken a minute later, the Fargate node's
 * discovered labels, and the cluster name in OTEL_RESOURCE_ATTRIBUTES. Standard output equals the
 * golden report that {@link ExplainContainerInsightsTest} pins in-process; nothing is scraped or
 * sent (the in-cluster token and CA files do not exist here).
 */
class ExplainCliIT {
  @Test
  void explain_onTheRealLauncher_printsTheGoldenReport(@TempDir Path dir) throws Exception {
    Path home = Path.of(System.getProperty("otelcol.app.dir", "target/otelcol-java")).toAbsolutePath();
    Path launcher = home.resolve("bin/otelcol-java");
    assertThat(launcher).as("app directory (run mvn -B -DskipTests package first)").isExecutable();
    Path second = dir.resolve("kubelet-metrics-cadvisor+60s.txt");
    Files.write(second, ContainerInsightsRun.scrape2());
    List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString(), "explain",
        "--config", SharedFiles.scenarios().resolve("eks-fargate-container-insights.yaml").toString(),
        "--input", ContainerInsightsRun.fixture().toString(), "--input", second.toString(),
        "--time", "2026-06-26T10:14:40Z", "--max-items", "3"));
    ContainerInsightsRun.nodeTarget().forEach((k, v) -> {
      cmd.add("--target");
      cmd.add(k + "=" + v);
    });
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("AOT_CONFIG_CONTENT");
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    pb.environment().put("OTEL_RESOURCE_ATTRIBUTES", "ClusterName=" + ContainerInsightsRun.CLUSTER);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("explain finished").isTrue();
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stderr).isZero();
    String golden = Files.readString(SharedFiles.repoDir()
        .resolve("distribution/src/test/resources/containerinsights/explain-eks-fargate-container-insights.txt"));
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(golden);
    assertThat(stderr).contains("does not exist here; not needed offline");
  }
}
