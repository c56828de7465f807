package dev.otelcoljava.receiver.prometheus.scrape;

import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.Relabeler;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds targets from discovered label sets as Prometheus' {@code PopulateLabels} does: group
 * labels, then job / {@code __scheme__} / {@code __metrics_path__} / {@code __param_*} / {@code
 * __scrape_interval__} / {@code __scrape_timeout__}, then {@code relabel_configs}; no {@code
 * __address__} drops the target; {@code __meta_*} labels are removed; {@code instance} defaults to
 * the address. Stateless.
 */
public final class TargetBuilder {
  private TargetBuilder() {}

  /** Why a target was dropped or is invalid. */
  public static final class TargetException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean dropped;

    TargetException(String message, boolean dropped) {
      super(message, null, false, false);
      this.dropped = dropped;
    }

    /** True when relabeling dropped the target (not an error). */
    public boolean dropped() {
      return dropped;
    }
  }

  /** Builds the target of one discovered label set; throws if it is dropped or invalid. */
  public static Target build(ScrapeConfig cfg, Labels target, Labels group) throws TargetException {
    Labels.Builder b = target.toBuilder();
    for (int i = 0; i < group.size(); i++) {
      if (!target.has(group.name(i))) {
        b.set(group.name(i), group.value(i));
      }
    }
    setIfAbsent(b, "job", cfg.jobName());
    setIfAbsent(b, "__scrape_interval__", formatDuration(cfg.scrapeInterval()));
    setIfAbsent(b, "__scrape_timeout__", formatDuration(cfg.scrapeTimeout()));
    setIfAbsent(b, "__metrics_path__", cfg.metricsPath());
    setIfAbsent(b, "__scheme__", cfg.scheme());
    for (Map.Entry<String, List<String>> p : cfg.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        setIfAbsent(b, "__param_" + p.getKey(), p.getValue().get(0));
      }
    }
    Labels discovered = b.build();
    Labels lset = discovered;
    if (!cfg.relabelConfigs().isEmpty()) {
      lset = Relabeler.process(discovered, cfg.relabelConfigs());
      if (lset == null) {
        throw new TargetException("dropped by relabel_configs", true);
      }
    }
    String addr = lset.get("__address__");
    if (addr.isEmpty()) {
      throw new TargetException("no address", true);
    }
    if (addr.indexOf('/') >= 0) {
      throw new TargetException("\"" + addr + "\" is not a valid hostname", false);
    }
    Duration interval = ConfigNode.parseDuration(lset.get("__scrape_interval__"));
    if (interval == null) {
      throw new TargetException("error parsing scrape interval: not a valid duration string: \""
          + lset.get("__scrape_interval__") + "\"", false);
    }
    if (interval.isZero()) {
      throw new TargetException("scrape interval cannot be 0", false);
    }
    Duration timeout = ConfigNode.parseDuration(lset.get("__scrape_timeout__"));
    if (timeout == null) {
      throw new TargetException("error parsing scrape timeout: not a valid duration string: \""
          + lset.get("__scrape_timeout__") + "\"", false);
    }
    if (timeout.isZero()) {
      throw new TargetException("scrape timeout cannot be 0", false);
    }
    if (timeout.compareTo(interval) > 0) {
      throw new TargetException("scrape timeout cannot be greater than scrape interval (\""
          + formatDuration(timeout) + "\" > \"" + formatDuration(interval) + "\")", false);
    }
    Labels.Builder fb = lset.toBuilder();
    for (int i = 0; i < lset.size(); i++) {
      if (lset.name(i).startsWith("__meta_")) {
        fb.delete(lset.name(i));
      }
    }
    if (lset.get("instance").isEmpty()) {
      fb.set("instance", addr);
    }
    Labels labels = fb.build();
    Labels.Builder pb = new Labels.Builder();
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.name(i).startsWith("__")) {
        pb.set(labels.name(i), labels.value(i));
      }
    }
    Labels pub = pb.build();
    String scheme = labels.get("__scheme__");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new TargetException("invalid scheme: \"" + scheme + "\"", false);
    }
    URI url;
    try {
      url = URI.create(scheme + "://" + addr + path(labels.get("__metrics_path__")) + query(cfg, labels));
    } catch (IllegalArgumentException e) {
      throw new TargetException("invalid target URL: " + e.getMessage(), false);
    }
    if (url.getHost() == null) {
      throw new TargetException("\"" + addr + "\" is not a valid host:port address", false);
    }
    return new Target(labels, pub, discovered, url, interval, timeout, hash(pub, url.toString()));
  }

  private static void setIfAbsent(Labels.Builder b, String name, String value) {
    if (b.get(name).isEmpty()) {
      b.set(name, value);
    }
  }

  private static String path(String p) {
    if (p.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(p.length() + 1);
    if (p.charAt(0) != '/') {
      sb.append('/');
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == ' ' || c == '?' || c == '#' || c == '%' || c < 0x20 || c > 0x7e) {
        for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          sb.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
              .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Go's url.Values.Encode of the params overridden by {@code __param_*} labels: sorted by key. */
  private static String query(ScrapeConfig cfg, Labels labels) {
    TreeMap<String, List<String>> params = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : cfg.params().entrySet()) {
      params.put(e.getKey(), new ArrayList<>(e.getValue()));
    }
    for (int i = 0; i < labels.size(); i++) {
      String n = labels.name(i);
      if (n.startsWith("__param_")) {
        String k = n.substring("__param_".length());
        List<String> vs = params.computeIfAbsent(k, x -> new ArrayList<>());
        if (vs.isEmpty()) {
          vs.add(labels.value(i));
        } else {
          vs.set(0, labels.value(i));
        }
      }
    }
    if (params.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("?");
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      for (String v : e.getValue()) {
        if (sb.length() > 1) {
          sb.append('&');
        }
        sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    }
    return sb.toString();
  }

  /** Prometheus' model.Duration text: {@code 1m}, {@code 1m30s}, {@code 500ms}, {@code 0s}. */
  public static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder r = new StringBuilder();
    long[] mult = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] unit = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < mult.length; i++) {
      if (i < 2 && ms % mult[i] != 0) {
        continue;
      }
      long v = ms / mult[i];
      if (v > 0) {
        r.append(v).append(unit[i]);
        ms -= v * mult[i];
      }
    }
    return r.toString();
  }

  /** FNV-1a 64 over the public labels and the URL. */
  static long hash(Labels pub, String url) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < pub.size(); i++) {
      h = fnv(h, pub.name(i));
      h = fnv(h, "\u00ff");
      h = fnv(h, pub.value(i));
      h = fnv(h, "\u00ff");
    }
    return fnv(h, url);
  }

  static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
