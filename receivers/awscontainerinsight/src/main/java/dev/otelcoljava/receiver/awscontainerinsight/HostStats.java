package dev.otelcoljava.receiver.awscontainerinsight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one sample of the host's resource usage as cAdvisor reads the root container ({@code /}):
 *
 * <ul>
 *   <li>CPU: the root cgroup's {@code cpuacct.usage}, {@code cpuacct.usage_user}/{@code _sys}
 *       (cgroup v1) or {@code cpu.stat} (v2); without them {@code /proc/stat} (busy jiffies).
 *   <li>Memory: the root cgroup's {@code memory.usage_in_bytes} and {@code memory.stat} (v1);
 *       without them (cgroup v2 has no root {@code memory.current}) {@code /proc/meminfo} as runc
 *       does: usage {@code MemTotal - MemFree}, working set usage minus {@code Inactive(file)}.
 *   <li>Network: {@code /proc/1/net/dev} (the host's network namespace), skipping the interfaces
 *       cAdvisor skips ({@code lo}, {@code veth*}, {@code docker*}, {@code nerdctl*}).
 *   <li>File systems: block-device mounts ({@code /dev/*}) of ext*, xfs and btrfs from {@code
 *       /proc/1/mountinfo}, one per device (bind mounts skipped), measured with statvfs through
 *       {@link FileStore} under {@link HostPaths#root()}.
 * </ul>
 *
 * Counters are raw (nanoseconds, bytes, packets); rates are the receiver's job. Capacity: cores
 * are the {@code processor} entries of {@code /proc/cpuinfo} (gopsutil's count), memory is {@code
 * MemTotal}. Not thread-safe; the receiver samples from one thread.
 */
final class HostStats {
  static final long ABSENT = -1;
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ 100
  private static final String[] IGNORED_IFACE_PREFIXES = {"lo", "veth", "docker", "nerdctl"};
  private static final Set<String> FS_TYPES = Set.of("xfs", "btrfs");

  /**
   * One sample. {@code timeNanos} is wall time, {@code monoNanos} is for rates. {@code problems}
   * names the network or file-system reads that failed (their lists are then empty or partial);
   * CPU and memory are required, so a sample without them is not made at all.
   */
  record Sample(long timeNanos, long monoNanos, Cpu cpu, Memory memory, List<Iface> interfaces,
      List<Fs> filesystems, List<DiskIo> diskIo, List<String> problems) {
    Sample(long timeNanos, long monoNanos, Cpu cpu, Memory memory, List<Iface> interfaces, List<Fs> filesystems) {
      this(timeNanos, monoNanos, cpu, memory, interfaces, filesystems, List.of(), List.of());
    }
  }

  /** Cumulative CPU time of the whole host, in nanoseconds ({@link #ABSENT} when unknown). */
  record Cpu(long total, long user, long system) {}

  /** Bytes (counts for failcnt and page faults); {@link #ABSENT} when the source has no such value. */
  record Memory(long usage, long workingSet, long cache, long rss, long mappedFile, long maxUsage,
      long swap, long failcnt, long pgfault, long pgmajfault, long hierarchicalPgfault,
      long hierarchicalPgmajfault) {}

  record Iface(String name, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
      long txBytes, long txPackets, long txErrors, long txDropped) {}

  record Fs(String device, String type, String mountPoint, long capacity, long usage, long available) {}

  /**
   * Cumulative block I/O of one device: bytes and operations by cAdvisor's op names ({@code Read},
   * {@code Write}, {@code Sync}, {@code Async}, {@code Total}; those the source has).
   */
  record DiskIo(String device, Map<String, Long> serviceBytes, Map<String, Long> serviced) {}

  private final HostPaths paths;

  HostStats(HostPaths paths) {
    this.paths = paths;
  }

  HostPaths paths() {
    return paths;
  }

  Sample sample() throws IOException {
    long wall = System.currentTimeMillis() * 1_000_000L;
    long mono = System.nanoTime();
    Cpu cpu = cpu();
    Memory memory = memory();
    List<String> problems = new ArrayList<>();
    List<Iface> ifaces;
    try {
      ifaces = interfaces();
    } catch (IOException | RuntimeException e) {
      problems.add("network interfaces: " + e);
      ifaces = List.of();
    }
    List<Fs> fs;
    try {
      fs = filesystems(problems);
    } catch (IOException | RuntimeException e) {
      problems.add("mounts: " + e);
      fs = List.of();
    }
    List<DiskIo> io;
    try {
      io = diskIo();
    } catch (IOException | RuntimeException e) {
      problems.add("block I/O: " + e);
      io = List.of();
    }
    return new Sample(wall, mono, cpu, memory, ifaces, fs, io, List.copyOf(problems));
  }

  /** Logical processors, as gopsutil's cpu.Info counts them; 0 when unknown. */
  long numCores() throws IOException {
    Path cpuinfo = paths.proc().resolve("cpuinfo");
    long n = 0;
    for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
      if (line.startsWith("processor") && line.indexOf(':') > 0
          && line.substring(0, line.indexOf(':')).trim().equals("processor")) {
        n++;
      }
    }
    return n;
  }

  /** MemTotal in bytes. */
  long memoryCapacity() throws IOException {
    Long v = meminfo().get("MemTotal");
    if (v == null) {
      throw new IOException(paths.proc().resolve("meminfo") + " has no MemTotal");
    }
    return v;
  }

  Cpu cpu() throws IOException {
    Path cg = paths.cgroup();
    for (String dir : new String[] {"cpuacct", "cpu,cpuacct", "cpuacct,cpu"}) {
      Path d = cg.resolve(dir);
      Long total = readLong(d.resolve("cpuacct.usage"));
      if (total != null) {
        Long user = readLong(d.resolve("cpuacct.usage_user"));
        Long sys = readLong(d.resolve("cpuacct.usage_sys"));
        if (user == null || sys == null) {
          Map<String, Long> st = keyValues(d.resolve("cpuacct.stat"));
          user = st.containsKey("user") ? st.get("user") * NANOS_PER_TICK : ABSENT;
          sys = st.containsKey("system") ? st.get("system") * NANOS_PER_TICK : ABSENT;
        }
        return new Cpu(total, user, sys);
      }
    }
    Map<String, Long> v2 = keyValues(cg.resolve("cpu.stat"));
    if (v2.containsKey("usage_usec")) {
      Long user = v2.get("user_usec");
      Long sys = v2.get("system_usec");
      return new Cpu(v2.get("usage_usec") * 1000, user == null ? ABSENT : user * 1000,
          sys == null ? ABSENT : sys * 1000);
    }
    // /proc/stat: user nice system idle iowait irq softirq steal (guest is counted in user)
    for (String line : Files.readAllLines(paths.proc().resolve("stat"), StandardCharsets.UTF_8)) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        long[] t = new long[9];
        for (int i = 1; i < f.length && i < 9; i++) {
          t[i] = Long.parseLong(f[i]);
        }
        long user = t[1] + t[2];
        long system = t[3] + t[6] + t[7];
        long total = user + system + t[8];
        return new Cpu(total * NANOS_PER_TICK, user * NANOS_PER_TICK, system * NANOS_PER_TICK);
      }
    }
    throw new IOException("no cpu line in " + paths.proc().resolve("stat"));
  }

  Memory memory() throws IOException {
    Path d = paths.cgroup().resolve("memory");
    Long usage = readLong(d.resolve("memory.usage_in_bytes"));
    if (usage != null) {
      Map<String, Long> st = keyValues(d.resolve("memory.stat"));
      long inactive = st.getOrDefault("total_inactive_file", 0L);
      long ws = usage > inactive ? usage - inactive : 0;
      Long max = readLong(d.resolve("memory.max_usage_in_bytes"));
      Long failcnt = readLong(d.resolve("memory.failcnt"));
      return new Memory(usage, ws, st.getOrDefault("total_cache", 0L), st.getOrDefault("total_rss", 0L),
          st.getOrDefault("total_mapped_file", 0L), max == null ? ABSENT : max,
          st.getOrDefault("total_swap", 0L), failcnt == null ? ABSENT : failcnt,
          st.getOrDefault("pgfault", ABSENT), st.getOrDefault("pgmajfault", ABSENT),
          st.getOrDefault("total_pgfault", ABSENT), st.getOrDefault("total_pgmajfault", ABSENT));
    }
    Map<String, Long> mi = meminfo();
    long total = mi.getOrDefault("MemTotal", 0L);
    long free = mi.getOrDefault("MemFree", 0L);
    long used = total > free ? total - free : 0;
    long inactive = mi.getOrDefault("Inactive(file)", 0L);
    long swap = mi.getOrDefault("SwapTotal", 0L) - mi.getOrDefault("SwapFree", 0L);
    Map<String, Long> vm = keyValues(paths.proc().resolve("vmstat"));
    long pgfault = vm.getOrDefault("pgfault", ABSENT);
    long pgmajfault = vm.getOrDefault("pgmajfault", ABSENT);
    return new Memory(used, used > inactive ? used - inactive : 0, mi.getOrDefault("Cached", 0L),
        mi.getOrDefault("Active(anon)", 0L) + mi.getOrDefault("Inactive(anon)", 0L),
        mi.getOrDefault("Mapped", 0L), ABSENT, Math.max(0, swap), ABSENT, pgfault, pgmajfault,
        pgfault, pgmajfault);
  }

  List<Iface> interfaces() throws IOException {
    Path f = paths.proc().resolve("1/net/dev");
    if (!Files.isReadable(f)) {
      f = paths.proc().resolve("net/dev");
    }
    List<Iface> out = new ArrayList<>();
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.contains("|")) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (ignoredInterface(name)) {
        continue;
      }
      String[] v = line.substring(colon + 1).trim().split("\\s+");
      if (v.length < 12) {
        continue;
      }
      out.add(new Iface(name, p(v[0]), p(v[1]), p(v[2]), p(v[3]), p(v[8]), p(v[9]), p(v[10]), p(v[11])));
    }
    return out;
  }

  static boolean ignoredInterface(String name) {
    for (String prefix : IGNORED_IFACE_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  List<Fs> filesystems() throws IOException {
    return filesystems(new ArrayList<>());
  }

  /** The block-device file systems; one that cannot be measured is skipped and named in {@code problems}. */
  List<Fs> filesystems(List<String> problems) throws IOException {
    Path f = paths.proc().resolve("1/mountinfo");
    if (!Files.isReadable(f)) {
      f = paths.proc().resolve("self/mountinfo");
    }
    Set<String> seen = new LinkedHashSet<>();
    List<Fs> out = new ArrayList<>();
    for (Mount m : mounts(Files.readAllLines(f, StandardCharsets.UTF_8))) {
      if (!m.source.startsWith("/dev/") || !(m.type.startsWith("ext") || FS_TYPES.contains(m.type))) {
        continue;
      }
      if (!seen.add(m.source)) {
        continue; // a bind mount or a second mount of the same device
      }
      Path at = paths.hostPath(m.mountPoint);
      long total;
      long bfree;
      long bavail;
      try {
        FileStore store = Files.getFileStore(at);
        total = store.getTotalSpace();
        bfree = store.getUnallocatedSpace();
        bavail = store.getUsableSpace();
      } catch (NoSuchFileException e) {
        continue; // not visible from here (e.g. mounted after the host root was bind-mounted)
      } catch (IOException e) {
        problems.add("statvfs " + at + " (" + m.source + "): " + e);
        continue;
      }
      out.add(new Fs(m.source, m.type, m.mountPoint, total, Math.max(0, total - bfree), bavail));
    }
    return out;
  }

  /**
   * Block I/O per device: the root blkio cgroup (v1: {@code blkio.io_service_bytes_recursive},
   * else {@code blkio.throttle.io_service_bytes}, and the matching {@code _serviced} file), as
   * cAdvisor reads it. When that has no device (cgroup v2 has no root {@code io.stat}; some kernels
   * do not account the root), {@code /proc/diskstats}: whole disks of {@code /sys/block} except
   * loop and ram devices, {@code Read}/{@code Write} bytes (sectors x 512) and operations, and
   * their {@code Total}. Devices are named {@code /dev/<name>} (from the sysfs uevent), else
   * {@code major:minor}.
   */
  List<DiskIo> diskIo() throws IOException {
    Path blkio = paths.cgroup().resolve("blkio");
    for (String[] files : new String[][] {
        {"blkio.io_service_bytes_recursive", "blkio.io_serviced_recursive"},
        {"blkio.throttle.io_service_bytes", "blkio.throttle.io_serviced"}}) {
      Map<String, Map<String, Long>> bytes = blkioStat(blkio.resolve(files[0]));
      if (!bytes.isEmpty()) {
        Map<String, Map<String, Long>> ops = blkioStat(blkio.resolve(files[1]));
        List<DiskIo> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : bytes.entrySet()) {
          out.add(new DiskIo(deviceName(e.getKey()), e.getValue(), ops.getOrDefault(e.getKey(), Map.of())));
        }
        return out;
      }
    }
    Path diskstats = paths.proc().resolve("diskstats");
    if (!Files.isReadable(diskstats)) {
      return List.of();
    }
    List<DiskIo> out = new ArrayList<>();
    for (String line : Files.readAllLines(diskstats, StandardCharsets.UTF_8)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10) {
        continue;
      }
      String name = f[2];
      if (name.startsWith("loop") || name.startsWith("ram") || !Files.isDirectory(paths.sys().resolve("block").resolve(name))) {
        continue;
      }
      long reads = p(f[3]);
      long readBytes = p(f[5]) * 512;
      long writes = p(f[7]);
      long writeBytes = p(f[9]) * 512;
      if (reads + writes == 0) {
        continue;
      }
      Map<String, Long> b = new java.util.LinkedHashMap<>();
      b.put("Read", readBytes);
      b.put("Write", writeBytes);
      b.put("Total", readBytes + writeBytes);
      Map<String, Long> o = new java.util.LinkedHashMap<>();
      o.put("Read", reads);
      o.put("Write", writes);
      o.put("Total", reads + writes);
      out.add(new DiskIo(deviceName(f[0] + ":" + f[1]), b, o));
    }
    return out;
  }

  /** "8:0 Read 1234" lines by device, then op; the trailing "Total N" line is skipped. */
  private static Map<String, Map<String, Long>> blkioStat(Path file) throws IOException {
    Map<String, Map<String, Long>> out = new java.util.LinkedHashMap<>();
    if (!Files.isReadable(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3 && f[0].indexOf(':') > 0) {
        out.computeIfAbsent(f[0], k -> new java.util.LinkedHashMap<>()).merge(f[1], p(f[2]), Long::sum);
      }
    }
    return out;
  }

  private String deviceName(String majMin) {
    Path uevent = paths.sys().resolve("dev/block").resolve(majMin).resolve("uevent");
    try {
      if (Files.isReadable(uevent)) {
        for (String line : Files.readAllLines(uevent, StandardCharsets.UTF_8)) {
          if (line.startsWith("DEVNAME=")) {
            return "/dev/" + line.substring("DEVNAME=".length()).trim();
          }
        }
      }
    } catch (IOException e) {
      // fall back to major:minor
    }
    return majMin;
  }

  record Mount(String mountPoint, String type, String source) {}

  /** Parses /proc/PID/mountinfo lines: field 5 is the mount point, after " - " come type and source. */
  static List<Mount> mounts(List<String> lines) {
    List<Mount> out = new ArrayList<>();
    for (String line : lines) {
      int sep = line.indexOf(" - ");
      if (sep < 0) {
        continue;
      }
      String[] pre = line.substring(0, sep).split(" ");
      String[] post = line.substring(sep + 3).trim().split(" ");
      if (pre.length < 5 || post.length < 2) {
        continue;
      }
      out.add(new Mount(unescape(pre[4]), post[0], unescape(post[1])));
    }
    return out;
  }

  /** mountinfo escapes space, tab, newline and backslash as octal (\040). */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()
          && s.substring(i + 1, i + 4).chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private Map<String, Long> meminfo() throws IOException {
    Map<String, Long> out = new HashMap<>();
    for (String line : Files.readAllLines(paths.proc().resolve("meminfo"), StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] v = line.substring(colon + 1).trim().split("\\s+");
      try {
        long n = Long.parseLong(v[0]);
        out.put(line.substring(0, colon).trim(), v.length > 1 && v[1].equals("kB") ? n * 1024 : n);
      } catch (NumberFormatException e) {
        // not a number: skip the line
      }
    }
    return out;
  }

  /** "key value" lines (memory.stat, cpu.stat, vmstat); a missing file gives an empty map. */
  static Map<String, Long> keyValues(Path file) throws IOException {
    Map<String, Long> out = new HashMap<>();
    if (!Files.isReadable(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        try {
          out.put(kv[0], Long.parseLong(kv[1]));
        } catch (NumberFormatException e) {
          // skip
        }
      }
    }
    return out;
  }

  /** One integer file; null when it does not exist, is empty, or says "max". */
  static Long readLong(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      return null;
    }
    String s = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (s.isEmpty() || s.equals("max")) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not an integer: " + s, e);
    }
  }

  private static long p(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
