package dev.otelcoljava.receiver.prometheus.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig.FileSdConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code file_sd_configs}: JSON or YAML files (a list of {@code {targets, labels}}), with a glob in
 * the last path element. Files are re-read every {@code refresh_interval}, and their modification
 * times are polled every {@code min(1s, refresh_interval)} so that edits are picked up quickly
 * (Prometheus uses inotify for the same effect). Each group gets {@code __meta_filepath}. A file
 * that cannot be parsed keeps its last good groups and is logged (rate-limited); a file that
 * disappears removes its groups.
 */
public final class FileSdDiscoverer implements Discoverer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final FileSdConfig config;
  private final ScheduledExecutorService scheduler;
  private final RateLimitedLogger logger;
  private final Duration pollInterval;
  private final Map<Path, FileState> files = new HashMap<>();
  private Consumer<List<TargetGroup>> updates;
  private ScheduledFuture<?> poll;
  private long lastFullRefreshNanos;
  private volatile boolean closed;
  private final Object lock = new Object();

  private record FileState(long modifiedMillis, long size, int groups) {}

  public FileSdDiscoverer(FileSdConfig config, ScheduledExecutorService scheduler, RateLimitedLogger logger) {
    this.config = config;
    this.scheduler = scheduler;
    this.logger = logger;
    Duration oneSecond = Duration.ofSeconds(1);
    this.pollInterval = config.refreshInterval().compareTo(oneSecond) < 0 ? config.refreshInterval() : oneSecond;
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    this.updates = updates;
    List<TargetGroup> initial = refresh(true);
    updates.accept(initial);
    poll = scheduler.scheduleWithFixedDelay(this::pollOnce, pollInterval.toMillis(), pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void pollOnce() {
    try {
      boolean full = System.nanoTime() - lastFullRefreshNanos >= config.refreshInterval().toNanos();
      List<TargetGroup> changed = refresh(full);
      if (!changed.isEmpty() && !closed) {
        updates.accept(changed);
      }
    } catch (RuntimeException e) {
      logger.log(System.Logger.Level.WARNING, "file_sd", "file_sd refresh failed: " + e, e);
    }
  }

  /** Re-reads changed files (all when {@code full}); returns the groups that changed. */
  List<TargetGroup> refresh(boolean full) {
    synchronized (lock) {
      if (full) {
        lastFullRefreshNanos = System.nanoTime();
      }
      TreeSet<Path> current = new TreeSet<>();
      for (String pattern : config.files()) {
        current.addAll(glob(pattern));
      }
      List<TargetGroup> out = new ArrayList<>();
      for (Path gone : new ArrayList<>(files.keySet())) {
        if (!current.contains(gone)) {
          FileState st = files.remove(gone);
          for (int i = 0; i < st.groups(); i++) {
            out.add(new TargetGroup(gone + ":" + i, List.of(), Labels.EMPTY));
          }
        }
      }
      for (Path f : current) {
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue;
        } catch (IOException e) {
          logger.log(System.Logger.Level.WARNING, "file_sd:" + f, "cannot read file_sd file " + f + ": " + e);
          continue;
        }
        FileState old = files.get(f);
        long mtime = attrs.lastModifiedTime().toMillis();
        if (!full && old != null && old.modifiedMillis() == mtime && old.size() == attrs.size()) {
          continue;
        }
        List<TargetGroup> groups;
        try {
          groups = read(f);
        } catch (IOException | RuntimeException e) {
          logger.log(System.Logger.Level.ERROR, "file_sd:" + f, "error reading file_sd file " + f + ": "
              + e.getMessage());
          continue;
        }
        out.addAll(groups);
        if (old != null) {
          for (int i = groups.size(); i < old.groups(); i++) {
            out.add(new TargetGroup(f + ":" + i, List.of(), Labels.EMPTY));
          }
        }
        files.put(f, new FileState(mtime, attrs.size(), groups.size()));
      }
      return out;
    }
  }

  /** Parses one file into groups with sources {@code <path>:<index>}. */
  static List<TargetGroup> read(Path f) throws IOException {
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    byte[] content = Files.readAllBytes(f);
    Object parsed;
    if (name.endsWith(".json")) {
      parsed = JSON.readValue(content, Object.class);
    } else {
      parsed = content.length == 0 ? List.of() : YAML.readValue(content, Object.class);
    }
    if (parsed == null) {
      parsed = List.of();
    }
    if (!(parsed instanceof List<?> list)) {
      throw new IOException("expected a list of {targets, labels} groups");
    }
    List<TargetGroup> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new IOException("group " + i + " is not a map");
      }
      for (Object k : m.keySet()) {
        if (!"targets".equals(k) && !"labels".equals(k)) {
          throw new IOException("group " + i + ": unknown key \"" + k + "\" (known keys: labels, targets)");
        }
      }
      List<Labels> targets = new ArrayList<>();
      Object ts = m.get("targets");
      if (ts instanceof List<?> tl) {
        for (Object t : tl) {
          if (t == null || t instanceof Map || t instanceof List) {
            throw new IOException("group " + i + ": targets must be strings");
          }
          targets.add(Labels.of("__address__", String.valueOf(t)));
        }
      } else if (ts != null) {
        throw new IOException("group " + i + ": targets must be a list");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      Object ls = m.get("labels");
      if (ls instanceof Map<?, ?> lm) {
        for (Map.Entry<?, ?> e : lm.entrySet()) {
          if (e.getValue() instanceof Map || e.getValue() instanceof List) {
            throw new IOException("group " + i + ": label " + e.getKey() + " must be a string");
          }
          labels.put(String.valueOf(e.getKey()), e.getValue() == null ? "" : String.valueOf(e.getValue()));
        }
      } else if (ls != null) {
        throw new IOException("group " + i + ": labels must be a map");
      }
      labels.put("__meta_filepath", f.toString());
      out.add(new TargetGroup(f + ":" + i, targets, Labels.fromMap(labels)));
    }
    return out;
  }

  private static List<Path> glob(String pattern) {
    Path p = Path.of(pattern);
    Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
    String last = p.getFileName() == null ? "" : p.getFileName().toString();
    if (last.indexOf('*') < 0 && last.indexOf('?') < 0 && last.indexOf('[') < 0) {
      return Files.exists(p) ? List.of(p) : List.of();
    }
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, last)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f)) {
          out.add(f);
        }
      }
    } catch (IOException ignored) {
      // a missing directory matches nothing
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    if (poll != null) {
      poll.cancel(false);
    }
  }
}
