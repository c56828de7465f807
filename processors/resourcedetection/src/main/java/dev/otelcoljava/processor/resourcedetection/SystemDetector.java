package dev.otelcoljava.processor.resourcedetection;

import dev.otelcoljava.runtime.api.data.Attributes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code system}: {@code host.name} from the first {@code hostname_sources} entry that works
 * ({@code dns}: the fully qualified name; {@code os}: the kernel host name; {@code cname}; {@code
 * lookup}: reverse lookup of the host's addresses) and {@code os.type}; the off-by-default host and
 * OS attributes come from {@code /etc/machine-id}, {@code /etc/os-release}, {@code /proc/cpuinfo}
 * and the network interfaces. Only enabled attributes are computed.
 */
final class SystemDetector implements Detector {
  private final List<String> hostnameSources;
  private final ResourceDetectionConfig config;
  private final Path root;

  SystemDetector(ResourceDetectionConfig config, Path root) {
    this.config = config;
    this.hostnameSources = config.system().hostnameSources();
    this.root = root;
  }

  private boolean on(String attr) {
    return config.enabled("system", attr, DetectorSpec.ATTRIBUTES.get("system").get(attr));
  }

  @Override
  public Attributes detect(Context ctx) throws Exception {
    Attributes a = new Attributes();
    if (on("host.name")) {
      a.put("host.name", hostname());
    }
    if (on("os.type")) {
      a.put("os.type", osType());
    }
    if (on("host.arch")) {
      a.put("host.arch", arch());
    }
    if (on("host.id")) {
      String id = firstLine(root.resolve("etc/machine-id"));
      if (id.isEmpty()) {
        id = firstLine(root.resolve("var/lib/dbus/machine-id"));
      }
      if (id.isEmpty()) {
        throw new IOException("failed to get host ID: no /etc/machine-id");
      }
      a.put("host.id", id);
    }
    if (on("os.description") || on("os.name") || on("os.version") || on("os.build.id")) {
      Map<String, String> rel = osRelease();
      putIf(a, "os.description", on("os.description"), rel.getOrDefault("PRETTY_NAME",
          System.getProperty("os.name") + " " + System.getProperty("os.version")));
      putIf(a, "os.name", on("os.name"), rel.getOrDefault("NAME", System.getProperty("os.name")));
      putIf(a, "os.version", on("os.version"), System.getProperty("os.version"));
      putIf(a, "os.build.id", on("os.build.id"), rel.getOrDefault("BUILD_ID", rel.getOrDefault("VERSION_ID", "")));
    }
    if (on("host.ip") || on("host.mac") || on("host.interface")) {
      List<Object> ips = new ArrayList<>();
      List<Object> macs = new ArrayList<>();
      List<Object> names = new ArrayList<>();
      for (Enumeration<NetworkInterface> e = NetworkInterface.getNetworkInterfaces(); e != null && e.hasMoreElements(); ) {
        NetworkInterface ni = e.nextElement();
        if (ni.isLoopback() || !ni.isUp()) {
          continue;
        }
        names.add(ni.getName());
        byte[] mac = ni.getHardwareAddress();
        if (mac != null && mac.length > 0) {
          macs.add(HexFormat.ofDelimiter("-").withUpperCase().formatHex(mac));
        }
        ni.inetAddresses().forEach(ip -> ips.add(ip.getHostAddress().replaceAll("%.*$", "")));
      }
      putIf(a, "host.ip", on("host.ip"), ips);
      putIf(a, "host.mac", on("host.mac"), macs);
      putIf(a, "host.interface", on("host.interface"), names);
    }
    if (on("host.cpu.vendor.id") || on("host.cpu.family") || on("host.cpu.model.id")
        || on("host.cpu.model.name") || on("host.cpu.stepping") || on("host.cpu.cache.l2.size")) {
      Map<String, String> cpu = cpuInfo();
      putIf(a, "host.cpu.vendor.id", on("host.cpu.vendor.id"), cpu.get("vendor_id"));
      putIf(a, "host.cpu.family", on("host.cpu.family"), cpu.get("cpu family"));
      putIf(a, "host.cpu.model.id", on("host.cpu.model.id"), cpu.get("model"));
      putIf(a, "host.cpu.model.name", on("host.cpu.model.name"), cpu.get("model name"));
      String stepping = cpu.get("stepping");
      if (stepping != null && stepping.matches("\\d+")) {
        putIf(a, "host.cpu.stepping", on("host.cpu.stepping"), Long.parseLong(stepping));
      }
      String cache = cpu.get("cache size");
      if (cache != null && cache.matches("\\d+ KB")) {
        putIf(a, "host.cpu.cache.l2.size", on("host.cpu.cache.l2.size"),
            Long.parseLong(cache.substring(0, cache.indexOf(' '))) * 1024);
      }
    }
    return a;
  }

  private static void putIf(Attributes a, String key, boolean on, Object value) {
    if (on && value != null && !(value instanceof String s && s.isEmpty())) {
      a.put(key, value);
    }
  }

  String hostname() throws IOException {
    List<String> errors = new ArrayList<>();
    for (String source : hostnameSources) {
      try {
        String h = switch (source) {
          case "dns" -> InetAddress.getLocalHost().getCanonicalHostName();
          case "os" -> osHostname();
          case "cname" -> InetAddress.getByName(osHostname()).getCanonicalHostName();
          case "lookup" -> reverseLookup();
          default -> throw new IOException("unknown hostname source " + source);
        };
        if (h != null && !h.isEmpty()) {
          return h;
        }
      } catch (IOException | RuntimeException e) {
        errors.add(source + ": " + e.getMessage());
      }
    }
    throw new IOException("all hostname sources failed: " + errors);
  }

  private String osHostname() throws IOException {
    String h = firstLine(root.resolve("proc/sys/kernel/hostname"));
    if (!h.isEmpty()) {
      return h;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IOException("failed to get the OS host name: " + e.getMessage(), e);
    }
  }

  private static String reverseLookup() throws IOException {
    for (Enumeration<NetworkInterface> e = NetworkInterface.getNetworkInterfaces(); e.hasMoreElements(); ) {
      NetworkInterface ni = e.nextElement();
      if (ni.isLoopback()) {
        continue;
      }
      for (Enumeration<InetAddress> ips = ni.getInetAddresses(); ips.hasMoreElements(); ) {
        InetAddress ip = ips.nextElement();
        String name = ip.getCanonicalHostName();
        if (!name.equals(ip.getHostAddress())) {
          return name;
        }
      }
    }
    throw new IOException("no address resolves to a name");
  }

  static String osType() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (os.contains("linux")) {
      return "linux";
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return "darwin";
    }
    if (os.contains("windows")) {
      return "windows";
    }
    if (os.contains("freebsd")) {
      return "freebsd";
    }
    return os.replace(' ', '_');
  }

  static String arch() {
    String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (a) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "x86";
      case "ppc64le", "ppc64" -> "ppc64";
      case "s390x" -> "s390x";
      case "arm" -> "arm32";
      default -> a;
    };
  }

  private Map<String, String> osRelease() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : lines(root.resolve("etc/os-release"))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        String v = line.substring(eq + 1).trim();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        m.put(line.substring(0, eq).trim(), v);
      }
    }
    return m;
  }

  private Map<String, String> cpuInfo() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : lines(root.resolve("proc/cpuinfo"))) {
      if (line.isBlank()) {
        break; // the first CPU only
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        m.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return m;
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String firstLine(Path p) {
    List<String> l = lines(p);
    return l.isEmpty() ? "" : l.get(0).trim();
  }
}
