package dev.otelcoljava.receiver.awscontainerinsight;

import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskReservationsTest {
  @TempDir
  Path tmp;

  private TaskReservations reservations() {
    return new TaskReservations(new HostPaths(tmp.resolve("proc"), tmp.resolve("sys"), tmp),
        System.getLogger("test"));
  }

  private static EcsAgentClient.Task task(String id, String... containers) {
    return new EcsAgentClient.Task("arn:aws:ecs:us-west-2:123456789012:task/c1/" + id, "RUNNING",
        List.of(containers));
  }

  @Test
  void fixtureTasks_sharesAndHardLimit_taskLimitAndContainerLimits() throws Exception {
    TestSupport.sysWithEcsTasks(tmp.resolve("sys"), false);
    List<EcsAgentClient.Task> running = List.of(
        new EcsAgentClient.Task("arn:aws:ecs:us-west-2:123456789012:task/otelcol-java-ci/0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5",
            "RUNNING", List.of("9d7c")),
        new EcsAgentClient.Task("arn:aws:ecs:us-west-2:123456789012:task/6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2f10",
            "RUNNING", List.of("1f2e3d4c5b6a79881726354453627180a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4",
                "2a3b4c5d6e7f80918273645546372819a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5")));
    assertThat(reservations().of(running, "otelcol-java-ci")).isEqualTo(new TaskReservations.Reserved(
        TestSupport.FIXTURE_CPU_UNITS, TestSupport.FIXTURE_MEMORY_BYTES));
  }

  @Test
  void defaultTwoShares_reserveNothing_legacyClusterPath_missingCgroup() throws Exception {
    Path cpu = tmp.resolve("sys/fs/cgroup/cpu/ecs");
    write(cpu.resolve("t1/cpu.shares"), "2\n");
    write(cpu.resolve("c1/t2/cpu.shares"), "1024\n");
    write(cpu.resolve("c1/t2/cpu.cfs_quota_us"), "-1\n");
    write(tmp.resolve("sys/fs/cgroup/memory/ecs/c1/t2/memory.limit_in_bytes"), "1048576\n");
    TaskReservations r = reservations();
    assertThat(r.of(List.of(task("t1"), task("t2"), task("t3")), "c1"))
        .isEqualTo(new TaskReservations.Reserved(1024, 1048576));
    assertThat(r.of(List.of(new EcsAgentClient.Task("not-an-arn", "RUNNING", List.of())), "c1"))
        .isEqualTo(new TaskReservations.Reserved(0, 0));
  }

  @Test
  void hardCpuLimit_roundsUp() throws Exception {
    Path d = tmp.resolve("sys/fs/cgroup/cpu/ecs/t1");
    write(d.resolve("cpu.cfs_quota_us"), "33333\n");
    write(d.resolve("cpu.cfs_period_us"), "100000\n");
    write(d.resolve("cpu.shares"), "4096\n");
    assertThat(reservations().cpuOf("t1", "c1")).isEqualTo(342); // ceil(341.33)
  }

  @Test
  void arns_bothFormats() {
    assertThat(EcsAgentClient.taskId("arn:aws:ecs:us-west-2:1:task/abc")).isEqualTo("abc");
    assertThat(EcsAgentClient.taskId("arn:aws:ecs:us-west-2:1:task/cl/abc")).isEqualTo("abc");
    assertThat(EcsAgentClient.taskId("arn:aws:ecs:us-west-2:1:task")).isNull();
    assertThat(EcsAgentClient.taskId("arn:aws:ecs:us-west-2:1:task/a/b/c")).isNull();
    assertThat(EcsAgentClient.containerInstanceId(
        "arn:aws:ecs:us-west-2:1:container-instance/cl/5c3b")).isEqualTo("5c3b");
    assertThat(EcsAgentClient.containerInstanceId("")).isNull();
  }
}
