package dev.otelcoljava.runtime.internal.telemetry;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes java.util.logging (used by opentelemetry-sdk and some JDK parts) to {@link
 * CollectorLogging}, replacing JUL's two-line stderr format, with the root level following the
 * collector's level. Installed once; idempotent.
 */
final class JulBridge extends Handler {
  private static boolean installed;
  private final Formatter formatter = new SimpleFormatter();

  private JulBridge() {}

  static synchronized void install(System.Logger.Level level) {
    Logger root = LogManager.getLogManager().getLogger("");
    if (!installed) {
      for (Handler h : root.getHandlers()) {
        root.removeHandler(h);
      }
      root.addHandler(new JulBridge());
      installed = true;
    }
    root.setLevel(switch (level) {
      case DEBUG, TRACE, ALL -> Level.FINE;
      case INFO -> Level.INFO;
      case WARNING -> Level.WARNING;
      case ERROR -> Level.SEVERE;
      case OFF -> Level.OFF;
    });
  }

  @Override
  public void publish(LogRecord r) {
    int v = r.getLevel().intValue();
    System.Logger.Level l;
    if (v >= Level.SEVERE.intValue()) {
      l = System.Logger.Level.ERROR;
    } else if (v >= Level.WARNING.intValue()) {
      l = System.Logger.Level.WARNING;
    } else if (v >= Level.INFO.intValue()) {
      l = System.Logger.Level.INFO;
    } else if (v >= Level.FINE.intValue()) {
      l = System.Logger.Level.DEBUG;
    } else {
      l = System.Logger.Level.TRACE;
    }
    String name = r.getLoggerName() == null ? "jul" : r.getLoggerName();
    CollectorLogging.write(name, l, formatter.formatMessage(r), r.getThrown());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
