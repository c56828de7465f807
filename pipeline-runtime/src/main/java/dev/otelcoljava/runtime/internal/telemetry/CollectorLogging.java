package dev.otelcoljava.runtime.internal.telemetry;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collector's one log: every {@link System.Logger} (through {@link CollectorLoggerFinder}) and
 * every SLF4J logger (through {@link Slf4jProvider}: the AWS SDK, fabric8, Netty) and, once {@link
 * #configure} has run, java.util.logging (opentelemetry-sdk) writes here, in
 * otelcol's console form ({@code 2026-11-22T08:00:00.000Z<TAB>info<TAB><logger><TAB><message>},
 * extra fields as a JSON object in a fifth column) or as JSON lines ({@code {"level":"info",
 * "ts":"...","logger":"...","msg":"..."}}). Level INFO to stderr until {@link #configure} applies
 * {@code service::telemetry::logs}. Stack traces are printed at debug level, and at error level
 * unless {@code disable_stacktrace}. Thread-safe: each line is written with one call.
 */
public final class CollectorLogging {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final ConcurrentHashMap<String, System.Logger> LOGGERS = new ConcurrentHashMap<>();

  private static volatile int threshold = System.Logger.Level.INFO.getSeverity();
  private static volatile boolean json;
  private static volatile boolean disableStacktrace;
  private static volatile Map<String, String> initialFields = Map.of();
  private static volatile PrintStream out = System.err;

  private CollectorLogging() {}

  /** Applies {@code service::telemetry::logs}; an unwritable output path falls back to stderr. */
  public static synchronized void configure(TelemetryConfig cfg) {
    threshold = cfg.logLevel().getSeverity();
    JulBridge.install(cfg.logLevel());
    json = cfg.logEncoding().equals("json");
    disableStacktrace = cfg.disableStacktrace();
    initialFields = cfg.initialFields();
    String path = cfg.outputPaths().get(0);
    PrintStream next;
    if (path.equals("stderr")) {
      next = System.err;
    } else if (path.equals("stdout")) {
      next = System.out;
    } else {
      try {
        next = new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
      } catch (IOException e) {
        next = System.err;
        write("telemetry", System.Logger.Level.ERROR,
            "cannot open log output path " + path + ", logging to stderr: " + e.getMessage(), null);
      }
    }
    PrintStream prev = out;
    out = next;
    if (prev != System.err && prev != System.out && prev != next) {
      prev.close();
    }
  }

  /** Back to the start-up defaults (INFO, console, stderr). For tests. */
  public static synchronized void reset() {
    configure(TelemetryConfig.defaults());
  }

  /** The logger with this name (components: {@code exporters::debug}). */
  public static System.Logger logger(String name) {
    return LOGGERS.computeIfAbsent(name, Logger::new);
  }

  static boolean enabled(int severity) {
    return severity >= threshold && severity > System.Logger.Level.TRACE.getSeverity();
  }

  /** True when the log level is debug (fatal errors then print their stack trace). */
  public static boolean isDebug() {
    return debugEnabled();
  }

  static boolean debugEnabled() {
    return threshold <= System.Logger.Level.DEBUG.getSeverity();
  }

  static String levelName(int severity) {
    if (severity >= System.Logger.Level.ERROR.getSeverity()) {
      return "error";
    }
    if (severity >= System.Logger.Level.WARNING.getSeverity()) {
      return "warn";
    }
    if (severity >= System.Logger.Level.INFO.getSeverity()) {
      return "info";
    }
    return "debug";
  }

  static void write(String name, System.Logger.Level level, String msg, Throwable t) {
    write(name, level.getSeverity(), msg, t);
  }

  static void write(String name, int severity, String msg, Throwable t) {
    if (!enabled(severity)) {
      return;
    }
    String ts = TS.format(Instant.now());
    String lvl = levelName(severity);
    boolean stack =
        t != null && (debugEnabled() || (severity >= System.Logger.Level.ERROR.getSeverity() && !disableStacktrace));
    StringBuilder sb = new StringBuilder(128);
    Map<String, String> fields = initialFields;
    if (json) {
      sb.append("{\"level\":\"").append(lvl).append("\",\"ts\":\"").append(ts).append("\",\"logger\":");
      quote(sb, name);
      sb.append(",\"msg\":");
      quote(sb, msg == null ? "" : msg);
      for (Map.Entry<String, String> e : fields.entrySet()) {
        sb.append(',');
        quote(sb, e.getKey());
        sb.append(':');
        quote(sb, e.getValue());
      }
      if (t != null) {
        sb.append(",\"error\":");
        quote(sb, String.valueOf(t));
        if (stack) {
          sb.append(",\"stacktrace\":");
          quote(sb, stackTrace(t));
        }
      }
      sb.append('}');
    } else {
      sb.append(ts).append('\t').append(lvl).append('\t').append(name).append('\t').append(msg);
      if (!fields.isEmpty() || t != null) {
        sb.append('\t').append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
          if (!first) {
            sb.append(", ");
          }
          first = false;
          quote(sb, e.getKey());
          sb.append(": ");
          quote(sb, e.getValue());
        }
        if (t != null) {
          if (!first) {
            sb.append(", ");
          }
          sb.append("\"error\": ");
          quote(sb, String.valueOf(t));
        }
        sb.append('}');
      }
      if (stack) {
        sb.append('\n').append(stackTrace(t).stripTrailing());
      }
    }
    out.println(sb);
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** A {@link System.Logger} writing to the collector log. */
  private record Logger(String name) implements System.Logger {
    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean isLoggable(Level level) {
      return level != Level.OFF && enabled(level.getSeverity());
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      if (isLoggable(level)) {
        write(name, level, msg, thrown);
      }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      if (isLoggable(level)) {
        String msg = params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params);
        write(name, level, msg, null);
      }
    }
  }
}
