package dev.otelcoljava.runtime.internal.telemetry;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J 2 provider that writes to {@link CollectorLogging}, so that libraries logging through
 * SLF4J (the AWS SDK, fabric8, Netty) share the collector's format and level. Registered in {@code
 * META-INF/services/org.slf4j.spi.SLF4JServiceProvider}.
 */
public final class Slf4jProvider implements SLF4JServiceProvider {
  private final ConcurrentHashMap<String, org.slf4j.Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, Slf4jLogger::new);
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class Slf4jLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    Slf4jLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return CollectorLogging.enabled(System.Logger.Level.DEBUG.getSeverity());
    }

    @Override
    public boolean isInfoEnabled() {
      return CollectorLogging.enabled(System.Logger.Level.INFO.getSeverity());
    }

    @Override
    public boolean isWarnEnabled() {
      return CollectorLogging.enabled(System.Logger.Level.WARNING.getSeverity());
    }

    @Override
    public boolean isErrorEnabled() {
      return CollectorLogging.enabled(System.Logger.Level.ERROR.getSeverity());
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable t) {
      System.Logger.Level l =
          switch (level) {
            case ERROR -> System.Logger.Level.ERROR;
            case WARN -> System.Logger.Level.WARNING;
            case INFO -> System.Logger.Level.INFO;
            case DEBUG -> System.Logger.Level.DEBUG;
            case TRACE -> System.Logger.Level.TRACE;
          };
      String msg = args == null || args.length == 0 ? pattern : MessageFormatter.basicArrayFormat(pattern, args);
      CollectorLogging.write(name, l, msg, t);
    }
  }
}
