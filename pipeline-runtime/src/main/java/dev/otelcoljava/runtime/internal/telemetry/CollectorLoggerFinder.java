package dev.otelcoljava.runtime.internal.telemetry;

/**
 * Sends every {@link System#getLogger} logger to {@link CollectorLogging}. Registered in {@code
 * META-INF/services/java.lang.System$LoggerFinder}; the JDK instantiates it once.
 */
public final class CollectorLoggerFinder extends System.LoggerFinder {
  @Override
  public System.Logger getLogger(String name, Module module) {
    return CollectorLogging.logger(name);
  }
}
