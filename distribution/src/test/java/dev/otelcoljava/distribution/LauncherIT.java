package dev.otelcoljava.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's JVM flags for given cgroup limits (dry run: the java command is printed). */
class LauncherIT {
  private static String dryRun(Path dir, Path cgroupRoot, Map<String, String> extra) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put("OTELCOL_JAVA_DRY_RUN", "1");
    env.put("OTELCOL_JAVA_CGROUP_ROOT", cgroupRoot.toString());
    AppDir.Result r = AppDir.run(List.of("/bin/sh", AppDir.launcher().toString(), "--config=x.yaml"), env, dir);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output().trim();
  }

  @Test
  void launcher_cgroupV2SidecarLimits_serialGcAndHeapShare(@TempDir Path dir) throws Exception {
    Path cg = Files.createDirectories(dir.resolve("cg2"));
    Files.writeString(cg.resolve("memory.max"), Long.toString(96L << 20) + "\n");
    Files.writeString(cg.resolve("cpu.max"), "50000 100000\n");
    Path cds = Files.createDirectories(dir.resolve("cds"));
    String cmd = dryRun(dir, cg, Map.of("JAVA_OPTS", "-Dfrom.java.opts=1", "OTELCOL_JAVA_OPTS", "-Xmx50m",
        "OTELCOL_JAVA_CDS_DIR", cds.toString()));
    // 96 MiB - 64 MiB; as -Xmx, because below ~250 MiB the JVM ignores MaxRAMPercentage (it uses
    // MinRAMPercentage, 50%), which gave a 48 MiB heap that Serial GC filled until the kernel's OOM kill.
    assertThat(cmd).contains(" -XX:MaxRAM=100663296 -Xmx32m ").doesNotContain("RAMPercentage")
        .contains(" -XX:+UseSerialGC ")
        .contains(" -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=4 ")
        .contains(" -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 ")
        .contains(" -XX:+ExitOnOutOfMemoryError ")
        .contains(" -cp " + AppDir.home() + "/lib/* dev.otelcoljava.runtime.cli.Main --config=x.yaml");
    // User options come after the launcher's, so they win.
    assertThat(cmd.indexOf("-Xmx50m")).isGreaterThan(cmd.indexOf("-Xmx32m"));
    assertThat(cmd.indexOf("-Dfrom.java.opts=1")).isLessThan(cmd.indexOf("-Xmx50m"));
    String java = cmd.substring(0, cmd.indexOf(' '));
    Path release = Path.of(java).getParent().getParent().resolve("release");
    int major = Integer.parseInt(Files.readString(release).replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1"));
    assertThat(major).isGreaterThanOrEqualTo(21);
    if (major >= 25) {
      assertThat(cmd).contains(" -XX:+UseCompactObjectHeaders ").doesNotContain("UnlockExperimentalVMOptions");
    }
    // At 96 MiB the start-up cache is never written (dumping it at exit got the sidecar
    // OOM-killed), and used only when it is already there.
    assertThat(cmd).doesNotContain("AutoCreateSharedArchive").doesNotContain("SharedArchiveFile")
        .doesNotContain("AOTCache");
    if (major < 25) {
      Files.write(cds.resolve("otelcol-java-jdk" + major + ".jsa"), new byte[] {1});
      String withArchive = dryRun(dir, cg, Map.of("OTELCOL_JAVA_CDS_DIR", cds.toString()));
      assertThat(withArchive).contains(" -XX:SharedArchiveFile=" + cds.resolve("otelcol-java-jdk" + major + ".jsa") + " ")
          .doesNotContain("AutoCreateSharedArchive");
    } else {
      // A cache file without the launcher's stamp (or with another one) is not trusted.
      Files.write(cds.resolve("otelcol-java-jdk" + major + ".aot"), new byte[] {1});
      assertThat(dryRun(dir, cg, Map.of("OTELCOL_JAVA_CDS_DIR", cds.toString()))).doesNotContain("AOTCache");
    }
  }

  private static int jdkMajor(String cmd) throws Exception {
    String java = cmd.substring(0, cmd.indexOf(' '));
    Path release = Path.of(java).getParent().getParent().resolve("release");
    return Integer.parseInt(Files.readString(release).replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1"));
  }

  private static Path cgroupV2(Path dir, long memoryBytes) throws Exception {
    Path cg = Files.createDirectories(dir.resolve("cg2-" + memoryBytes));
    Files.writeString(cg.resolve("memory.max"), memoryBytes + "\n");
    Files.writeString(cg.resolve("cpu.max"), "max 100000\n");
    return cg;
  }

  @Test
  void launcher_largeOrNoMemoryLimit_writesTheStartCacheAtExit(@TempDir Path dir) throws Exception {
    Path cds = Files.createDirectories(dir.resolve("cds"));
    Map<String, String> env = Map.of("OTELCOL_JAVA_CDS_DIR", cds.toString());
    String noLimit = dryRun(dir, dir.resolve("no-cgroup"), env);
    int major = jdkMajor(noLimit);
    if (major >= 25) {
      // The AOT cache is assembled at exit by a second JVM: only with no limit or more than 1 GiB.
      assertThat(noLimit).contains(" -XX:AOTCacheOutput=" + cds + "/otelcol-java-jdk" + major + ".aot ");
      assertThat(dryRun(dir, cgroupV2(dir, 2L << 30), env)).contains(" -XX:AOTCacheOutput=");
      assertThat(dryRun(dir, cgroupV2(dir, 1L << 30), env)).doesNotContain("AOTCache");
      // A dry run writes nothing.
      assertThat(cds).isEmptyDirectory();
    } else {
      assertThat(dryRun(dir, cgroupV2(dir, 1L << 30), env))
          .contains(" -XX:SharedArchiveFile=" + cds + "/otelcol-java-jdk").contains(" -XX:+AutoCreateSharedArchive ");
    }
  }

  /**
   * bin/write-start-cache writes the cache with a real training run; the launcher then maps it in
   * a 96 MiB container (the JVM says it uses the AOT-linked classes), and stops trusting it when its
   * stamp (JDK and jars) no longer matches.
   */
  @Test
  void writeStartCache_cacheUsedInTheSidecarAndDroppedWhenStale(@TempDir Path dir) throws Exception {
    Path cds = Files.createDirectories(dir.resolve("cds"));
    // Remote write posts to the training run's own telemetry port (the script's default).
    Map<String, String> env = Map.of("OTELCOL_JAVA_CDS_DIR", cds.toString(),
        "OTELCOL_TRAINING_METRICS_PORT", Integer.toString(FreePorts.find()));
    AppDir.Result written = AppDir.run(
        List.of("/bin/sh", AppDir.home().resolve("bin/write-start-cache").toString(), "4"), env, dir);
    assertThat(written.exitCode()).as(written.output()).isZero();
    String noLimit = dryRun(dir, dir.resolve("no-cgroup"), Map.of("OTELCOL_JAVA_CDS_DIR", cds.toString()));
    int major = jdkMajor(noLimit);
    String file = "otelcol-java-jdk" + major + (major >= 25 ? ".aot" : ".jsa");
    assertThat(written.output()).contains("wrote ").contains(file);
    assertThat(cds.resolve(file)).isNotEmptyFile();

    Path cg = Files.createDirectories(dir.resolve("cg96"));
    Files.writeString(cg.resolve("memory.max"), Long.toString(96L << 20) + "\n");
    Files.writeString(cg.resolve("cpu.max"), "12500 100000\n");
    String sidecar = dryRun(dir, cg, Map.of("OTELCOL_JAVA_CDS_DIR", cds.toString()));
    if (major < 25) {
      assertThat(sidecar).contains(" -XX:SharedArchiveFile=" + cds.resolve(file) + " ");
      return;
    }
    assertThat(sidecar).contains(" -XX:AOTCache=" + cds.resolve(file) + " ").doesNotContain("AOTCacheOutput");

    // A real start with it and the sidecar's flags (TERM after 5 s): the JVM maps the cache.
    Map<String, String> run = new java.util.HashMap<>(env);
    run.put("OTELCOL_JAVA_CGROUP_ROOT", cg.toString());
    run.put("OTELCOL_JAVA_OPTS", "-Xlog:aot=info");
    AppDir.Result r = AppDir.run(List.of("timeout", "-s", "TERM", "5", "/bin/sh", AppDir.launcher().toString(),
        "--config=" + AppDir.home().resolve("config/start-cache-training.yaml")), run, dir);
    assertThat(r.output()).contains("Using AOT-linked classes: true").contains("Everything is ready");

    // Another JDK or other jars: the stamp differs, so the cache is neither used nor kept.
    Files.writeString(cds.resolve(file + ".stamp"), "0\n");
    assertThat(dryRun(dir, cg, Map.of("OTELCOL_JAVA_CDS_DIR", cds.toString()))).doesNotContain("AOTCache");
    assertThat(dryRun(dir, dir.resolve("no-cgroup"), Map.of("OTELCOL_JAVA_CDS_DIR", cds.toString())))
        .contains(" -XX:AOTCacheOutput=" + cds.resolve(file) + " ");
  }

  @Test
  void launcher_cgroupV1Unlimited_leavesHeapAndGcToTheJvm(@TempDir Path dir) throws Exception {
    Path cg = dir.resolve("cg1");
    Files.createDirectories(cg.resolve("memory"));
    Files.createDirectories(cg.resolve("cpu"));
    Files.writeString(cg.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
    Files.writeString(cg.resolve("cpu/cpu.cfs_quota_us"), "-1\n");
    Files.writeString(cg.resolve("cpu/cpu.cfs_period_us"), "100000\n");
    String cmd = dryRun(dir, cg, Map.of("OTELCOL_JAVA_CDS", "off"));
    assertThat(cmd).doesNotContain("MaxRAM").doesNotContain("-Xmx").doesNotContain("SharedArchiveFile")
        .doesNotContain("TieredStopAtLevel").doesNotContain("TrimNativeHeapInterval")
        .doesNotContain("ArchiveRelocationMode");
    // Without a limit, G1 is asked to keep its heap small instead of growing to 1/4 of the host.
    assertThat(cmd).contains("-XX:GCTimeRatio=4 -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10");
    // ... and to grow it in small steps (an experimental flag, given only to the JDKs measured).
    if (Runtime.version().feature() <= 25) {
      assertThat(cmd).contains("-XX:+UnlockExperimentalVMOptions -XX:G1ExpandByPercentOfAvailable=5");
    } else {
      assertThat(cmd).doesNotContain("G1ExpandByPercentOfAvailable");
    }
    if (Runtime.getRuntime().availableProcessors() > 1) {
      assertThat(cmd).doesNotContain("UseSerialGC");
    }
  }

  @Test
  void launcher_cgroupV1Limits_heapShareCappedAt75Percent(@TempDir Path dir) throws Exception {
    Path cg = dir.resolve("cg1");
    Files.createDirectories(cg.resolve("memory"));
    Files.createDirectories(cg.resolve("cpu"));
    Files.writeString(cg.resolve("memory/memory.limit_in_bytes"), Long.toString(512L << 20));
    Files.writeString(cg.resolve("cpu/cpu.cfs_quota_us"), "100000");
    Files.writeString(cg.resolve("cpu/cpu.cfs_period_us"), "100000");
    String cmd = dryRun(dir, cg, Map.of());
    // 512 - 64 = 448 MiB is more than 75% of 512 MiB.
    assertThat(cmd).contains(" -XX:MaxRAM=536870912 -Xmx384m ").contains(" -XX:+UseSerialGC ")
        .doesNotContain("TieredStopAtLevel").doesNotContain("ArchiveRelocationMode");
  }

  @Test
  void launcher_heapPercentOverride_setsBothRamPercentages(@TempDir Path dir) throws Exception {
    Path cg = dir.resolve("cg1");
    Files.createDirectories(cg.resolve("memory"));
    Files.createDirectories(cg.resolve("cpu"));
    Files.writeString(cg.resolve("memory/memory.limit_in_bytes"), Long.toString(96L << 20));
    Files.writeString(cg.resolve("cpu/cpu.cfs_quota_us"), "12500");
    Files.writeString(cg.resolve("cpu/cpu.cfs_period_us"), "100000");
    String cmd = dryRun(dir, cg, Map.of("OTELCOL_JAVA_HEAP_PERCENT", "30"));
    // The JVM reads MinRAMPercentage for small limits and MaxRAMPercentage for large ones.
    assertThat(cmd).contains(" -XX:MaxRAM=100663296 -XX:MinRAMPercentage=30 -XX:MaxRAMPercentage=30 ")
        .doesNotContain("-Xmx");
  }

  @Test
  void launcher_96MiBSidecar_jvmTakesTheHeapTheLauncherChose(@TempDir Path dir) throws Exception {
    Path cg = dir.resolve("cg1");
    Files.createDirectories(cg.resolve("memory"));
    Files.createDirectories(cg.resolve("cpu"));
    Files.writeString(cg.resolve("memory/memory.limit_in_bytes"), Long.toString(96L << 20));
    Files.writeString(cg.resolve("cpu/cpu.cfs_quota_us"), "12500");
    Files.writeString(cg.resolve("cpu/cpu.cfs_period_us"), "100000");
    String cmd = dryRun(dir, cg, Map.of("OTELCOL_JAVA_CDS", "off"));
    // Run the JVM with the launcher's flags and ask it for the heap it really takes.
    String java = cmd.substring(0, cmd.indexOf(' '));
    List<String> argv = new java.util.ArrayList<>(List.of(java));
    for (String a : cmd.substring(java.length(), cmd.indexOf(" -cp ")).trim().split(" +")) {
      argv.add(a);
    }
    argv.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    AppDir.Result r = AppDir.run(argv, Map.of(), dir);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).containsPattern("\\bMaxHeapSize += 33554432\\b");
  }

  @Test
  void launcher_shortCommands_doNotUseOrWriteTheCdsArchive(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("OTELCOL_JAVA_DRY_RUN", "1", "OTELCOL_JAVA_CGROUP_ROOT", dir.resolve("none").toString());
    for (String sub : List.of("validate", "components", "--version")) {
      AppDir.Result r = AppDir.run(List.of("/bin/sh", AppDir.launcher().toString(), sub), env, dir);
      assertThat(r.exitCode()).isZero();
      assertThat(r.output()).doesNotContain("SharedArchiveFile").doesNotContain("AOTCache").endsWith("dev.otelcoljava.runtime.cli.Main " + sub + "\n");
    }
  }

  @Test
  void launcher_javaHomeTooOld_fallsBackToANewerJdk(@TempDir Path dir) throws Exception {
    Path fake = Files.createDirectories(dir.resolve("jdk17/bin"));
    Path java = fake.resolve("java");
    Files.writeString(java, "#!/bin/sh\nexit 3\n");
    java.toFile().setExecutable(true);
    Files.writeString(dir.resolve("jdk17/release"), "JAVA_VERSION=\"17.0.2\"\n");
    String cmd = dryRun(dir, dir.resolve("no-cgroup"), Map.of("JAVA_HOME", dir.resolve("jdk17").toString()));
    assertThat(cmd).doesNotStartWith(java.toString());
  }
}
