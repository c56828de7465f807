package dev.otelcoljava.receiver.awscontainerinsight;

import static dev.otelcoljava.receiver.awscontainerinsight.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HostStats against this machine's real /proc and /sys (figures checked against independent
 * sources: the CPU time this thread burns, /sys/class/net, /sys/devices/system/cpu/online, statvfs
 * of the root file system), and against small hand-written trees for the exact arithmetic of
 * each source (cgroup v1, cgroup v2, /proc fallbacks, mountinfo parsing).
 */
class HostStatsTest {
  @TempDir
  Path tmp;

  private final HostStats real = new HostStats(HostPaths.local());

  @Test
  void realHost_cpuCounterAdvancesAtLeastByTheCpuThisThreadBurns() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    HostStats.Cpu before = real.cpu();
    long t0 = threads.getCurrentThreadCpuTime();
    long spin = 0;
    while (threads.getCurrentThreadCpuTime() - t0 < 200_000_000L) {
      spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
    }
    long burned = threads.getCurrentThreadCpuTime() - t0;
    HostStats.Cpu after = real.cpu();
    assertThat(spin).isNotNegative();
    // /proc/stat counts in 10 ms ticks: allow two ticks of rounding
    assertThat(after.total() - before.total()).isGreaterThanOrEqualTo(burned - 20_000_000L);
    assertThat(after.user()).isGreaterThanOrEqualTo(before.user());
    assertThat(after.total()).isGreaterThanOrEqualTo(after.user());
  }

  @Test
  void realHost_coresMatchSysfsOnlineCpus_memoryCapacityHoldsTheJvm() throws Exception {
    Path online = Path.of("/sys/devices/system/cpu/online");
    long expected = 0;
    for (String range : Files.readString(online).trim().split(",")) {
      String[] ab = range.split("-");
      expected += ab.length == 1 ? 1 : Long.parseLong(ab[1]) - Long.parseLong(ab[0]) + 1;
    }
    assertThat(real.numCores()).isEqualTo(expected);
    long cap = real.memoryCapacity();
    assertThat(cap).isGreaterThan(Runtime.getRuntime().totalMemory());
    HostStats.Memory m = real.memory();
    assertThat(m.usage()).isPositive().isLessThanOrEqualTo(cap);
    assertThat(m.workingSet()).isPositive().isLessThanOrEqualTo(m.usage());
  }

  @Test
  void realHost_interfacesAreSysClassNetWithoutLoopbackAndVirtualOnes() throws Exception {
    Set<String> expected;
    try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
      expected = s.map(p -> p.getFileName().toString()).filter(n -> !HostStats.ignoredInterface(n))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> got = real.interfaces().stream().map(HostStats.Iface::name)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(got).isEqualTo(expected).doesNotContain("lo");
  }

  @Test
  void realHost_rootFileSystemIsMeasuredAsStatvfsSeesIt() throws Exception {
    List<HostStats.Fs> fs = real.filesystems();
    HostStats.Fs root = fs.stream().filter(f -> f.mountPoint().equals("/")).findFirst().orElse(null);
    FileStore store = Files.getFileStore(Path.of("/"));
    if (store.name().startsWith("/dev/")) {
      assertThat(root).as("the root block device in %s", fs).isNotNull();
      assertThat(root.capacity()).isEqualTo(store.getTotalSpace());
      assertThat(root.usage()).isPositive().isLessThan(root.capacity());
      assertThat(root.available()).isLessThanOrEqualTo(root.capacity() - root.usage());
    }
    assertThat(fs).allSatisfy(f -> {
      assertThat(f.device()).startsWith("/dev/");
      assertThat(f.capacity()).isPositive();
    });
    assertThat(fs.stream().map(HostStats.Fs::device).distinct().count()).isEqualTo(fs.size());
  }

  @Test
  void realHost_blockWritesOfAFsyncedFileShowOnTheRootDisk() throws Exception {
    List<HostStats.Fs> fs = real.filesystems();
    String tmpDevice = Files.getFileStore(tmp).name();
    HostStats.DiskIo before = disk(real.diskIo(), tmpDevice);
    if (before == null) {
      // the disk under the temp dir is not accounted here: then no listed device may be a partition-less loop
      assertThat(real.diskIo()).allSatisfy(d -> assertThat(d.device()).doesNotStartWith("/dev/loop"));
      return;
    }
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) 7);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp.resolve("io.bin"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
      for (int i = 0; i < 4; i++) {
        ch.write(java.nio.ByteBuffer.wrap(block));
      }
      ch.force(true);
    }
    HostStats.DiskIo after = disk(real.diskIo(), tmpDevice);
    assertThat(after.serviceBytes().get("Write") - before.serviceBytes().get("Write"))
        .isGreaterThanOrEqualTo(4L << 20);
    assertThat(after.serviced().get("Write")).isGreaterThan(before.serviced().get("Write"));
    assertThat(after.serviceBytes().get("Total")).isGreaterThanOrEqualTo(after.serviceBytes().get("Write"));
    assertThat(fs).isNotNull();
  }

  private static HostStats.DiskIo disk(List<HostStats.DiskIo> io, String device) {
    return io.stream().filter(d -> d.device().equals(device)).findFirst().orElse(null);
  }

  @Test
  void blkioV1_perDeviceOps_namedFromSysfs() throws Exception {
    Path cg = tmp.resolve("sys/fs/cgroup/blkio");
    write(cg.resolve("blkio.throttle.io_service_bytes"), "259:0 Read 4096\n259:0 Write 8192\n259:0 Sync 8192\n"
        + "259:0 Async 4096\n259:0 Total 12288\n202:16 Read 1\n202:16 Write 0\nTotal 12289\n");
    write(cg.resolve("blkio.throttle.io_serviced"), "259:0 Read 1\n259:0 Write 2\n259:0 Total 3\nTotal 3\n");
    write(tmp.resolve("sys/dev/block/259:0/uevent"), "MAJOR=259\nMINOR=0\nDEVNAME=nvme0n1\nDEVTYPE=disk\n");
    HostStats h = new HostStats(new HostPaths(tmp.resolve("proc"), tmp.resolve("sys"), tmp));
    List<HostStats.DiskIo> io = h.diskIo();
    assertThat(io).extracting(HostStats.DiskIo::device).containsExactly("/dev/nvme0n1", "202:16");
    assertThat(io.get(0).serviceBytes()).containsExactly(java.util.Map.entry("Read", 4096L),
        java.util.Map.entry("Write", 8192L), java.util.Map.entry("Sync", 8192L), java.util.Map.entry("Async", 4096L),
        java.util.Map.entry("Total", 12288L));
    assertThat(io.get(0).serviced()).containsEntry("Total", 3L);
    assertThat(io.get(1).serviced()).isEmpty();
  }

  @Test
  void noBlkio_procDiskstatsOfWholeDisks() throws Exception {
    write(tmp.resolve("proc/diskstats"), String.join("\n",
        "   7       0 loop0 5 0 10 0 5 0 10 0 0 0 0",
        " 259       0 nvme0n1 100 3 2000 50 40 1 800 20 0 60 70",
        " 259       1 nvme0n1p1 90 3 1800 45 40 1 800 20 0 55 65",
        " 253       0 zram0 0 0 0 0 0 0 0 0 0 0 0", ""));
    Files.createDirectories(tmp.resolve("sys/block/nvme0n1"));
    Files.createDirectories(tmp.resolve("sys/block/zram0"));
    Files.createDirectories(tmp.resolve("sys/block/loop0"));
    HostStats h = new HostStats(new HostPaths(tmp.resolve("proc"), tmp.resolve("sys"), tmp));
    assertThat(h.diskIo()).containsExactly(new HostStats.DiskIo("259:0",
        java.util.Map.of("Read", 2000L * 512, "Write", 800L * 512, "Total", 2800L * 512),
        java.util.Map.of("Read", 100L, "Write", 40L, "Total", 140L)));
  }

  @Test
  void cgroupV1_cpuacctAndMemoryStat() throws Exception {
    Path cg = tmp.resolve("sys/fs/cgroup");
    write(cg.resolve("cpu,cpuacct/cpuacct.usage"), "5000000000\n");
    write(cg.resolve("cpu,cpuacct/cpuacct.usage_user"), "3000000000\n");
    write(cg.resolve("cpu,cpuacct/cpuacct.usage_sys"), "1500000000\n");
    write(cg.resolve("memory/memory.usage_in_bytes"), "1000000\n");
    write(cg.resolve("memory/memory.max_usage_in_bytes"), "1200000\n");
    write(cg.resolve("memory/memory.failcnt"), "0\n");
    write(cg.resolve("memory/memory.stat"), "cache 1\nrss 2\npgfault 70\npgmajfault 3\ntotal_cache 400000\n"
        + "total_rss 500000\ntotal_mapped_file 60000\ntotal_inactive_file 250000\ntotal_swap 0\n"
        + "total_pgfault 900\ntotal_pgmajfault 9\n");
    HostStats h = new HostStats(new HostPaths(tmp.resolve("proc"), tmp.resolve("sys"), tmp));
    assertThat(h.cpu()).isEqualTo(new HostStats.Cpu(5_000_000_000L, 3_000_000_000L, 1_500_000_000L));
    assertThat(h.memory()).isEqualTo(new HostStats.Memory(1_000_000, 750_000, 400_000, 500_000, 60_000,
        1_200_000, 0, 0, 70, 3, 900, 9));
  }

  @Test
  void cgroupV2_cpuStat_andProcMeminfoForMemory() throws Exception {
    write(tmp.resolve("sys/fs/cgroup/cpu.stat"), "usage_usec 7000\nuser_usec 5000\nsystem_usec 2000\n");
    write(tmp.resolve("proc/meminfo"), "MemTotal:        1000 kB\nMemFree:          400 kB\n"
        + "Cached:           200 kB\nActive(anon):     150 kB\nInactive(anon):    50 kB\n"
        + "Inactive(file):   100 kB\nMapped:            30 kB\nSwapTotal:        100 kB\nSwapFree:          60 kB\n");
    write(tmp.resolve("proc/vmstat"), "pgfault 1234\npgmajfault 5\n");
    HostStats h = new HostStats(new HostPaths(tmp.resolve("proc"), tmp.resolve("sys"), tmp));
    assertThat(h.cpu()).isEqualTo(new HostStats.Cpu(7_000_000, 5_000_000, 2_000_000));
    assertThat(h.memory()).isEqualTo(new HostStats.Memory(600 * 1024, 500 * 1024, 200 * 1024, 200 * 1024,
        30 * 1024, HostStats.ABSENT, 40 * 1024, HostStats.ABSENT, 1234, 5, 1234, 5));
    assertThat(h.memoryCapacity()).isEqualTo(1000 * 1024);
  }

  @Test
  void noCgroups_procStatBusyJiffies() throws Exception {
    // user nice system idle iowait irq softirq steal guest
    write(tmp.resolve("proc/stat"), "cpu  100 20 30 5000 40 5 6 7 0 0\ncpu0 50 10 15 2500 20 2 3 3 0 0\n");
    write(tmp.resolve("proc/cpuinfo"), "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\nmodel name\t: x\n\n"
        + "processor\t: 2\n\n");
    HostStats h = new HostStats(new HostPaths(tmp.resolve("proc"), tmp.resolve("sys"), tmp));
    assertThat(h.cpu()).isEqualTo(new HostStats.Cpu((120 + 41 + 7) * 10_000_000L, 120 * 10_000_000L,
        41 * 10_000_000L));
    assertThat(h.numCores()).isEqualTo(3);
  }

  @Test
  void netDev_skipsLoopbackVethDocker_readsThe8Counters() throws Exception {
    write(tmp.resolve("proc/1/net/dev"), """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo: 999 9 0 0 0 0 0 0 999 9 0 0 0 0 0 0
          eth0: 1000 10 1 2 0 0 0 0 2000 20 3 4 0 0 0 0
        docker0: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0
        veth1a2b: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0
          ens5: 7 1 0 0 0 0 0 0 8 1 0 0 0 0 0 0
        """);
    HostStats h = new HostStats(new HostPaths(tmp.resolve("proc"), tmp.resolve("sys"), tmp));
    assertThat(h.interfaces()).containsExactly(
        new HostStats.Iface("eth0", 1000, 10, 1, 2, 2000, 20, 3, 4),
        new HostStats.Iface("ens5", 7, 1, 0, 0, 8, 1, 0, 0));
  }

  @Test
  void mountinfo_blockDevicesOnce_escapedPaths_measuredUnderHostRoot() throws Exception {
    Files.createDirectories(tmp.resolve("root/data dir"));
    write(tmp.resolve("proc/self/mountinfo"), String.join("\n",
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
        "30 27 254:0 /var/lib/x /data rw,relatime - ext4 /dev/vda rw",
        "31 27 254:16 / /data\\040dir rw,relatime - xfs /dev/nvme1n1 rw",
        "32 27 0:23 / /dev/shm rw - tmpfs tmpfs rw",
        "33 27 0:40 / /var/lib/docker/overlay2/x/merged rw - overlay overlay rw",
        "34 27 0:41 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu",
        "35 27 7:0 / /snap/core rw - squashfs /dev/loop0 ro", ""));
    HostStats h = new HostStats(new HostPaths(tmp.resolve("proc"), tmp.resolve("sys"), tmp.resolve("root")));
    List<HostStats.Fs> fs = h.filesystems();
    assertThat(fs).extracting(HostStats.Fs::device, HostStats.Fs::type, HostStats.Fs::mountPoint)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/dev/vda", "ext4", "/"),
            org.assertj.core.groups.Tuple.tuple("/dev/nvme1n1", "xfs", "/data dir"));
    FileStore store = Files.getFileStore(tmp.resolve("root"));
    assertThat(fs.get(0).capacity()).isEqualTo(store.getTotalSpace());
  }
}
