package dev.otelcoljava.exporter.debug;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

/** A System.Logger that keeps every message, for exact-output tests. */
final class CapturingLogger implements System.Logger {
  final List<String> messages = new ArrayList<>();

  @Override
  public String getName() {
    return "test";
  }

  @Override
  public boolean isLoggable(Level level) {
    return true;
  }

  @Override
  public synchronized void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    messages.add(level + " " + msg);
  }

  @Override
  public synchronized void log(Level level, ResourceBundle bundle, String format, Object... params) {
    messages.add(level + " " + (params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params)));
  }

  /** Every message, each followed by a newline. */
  synchronized String text() {
    StringBuilder sb = new StringBuilder();
    for (String m : messages) {
      sb.append(m).append('\n');
    }
    return sb.toString();
  }
}
