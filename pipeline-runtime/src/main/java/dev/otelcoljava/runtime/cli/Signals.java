package dev.otelcoljava.runtime.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * SIGTERM and SIGINT handling. With {@code sun.misc.Signal} (module jdk.unsupported, present in
 * every JDK and jlink image that includes it) the collector shuts itself down and exits 0, as
 * otelcol does; the JVM's default handling would run shutdown hooks and exit with 143/130. Reached
 * reflectively so that the build stays free of internal-API warnings.
 */
final class Signals {
  private Signals() {}

  /**
   * Installs the handler for TERM and INT.
   *
   * @return false if signals cannot be handled here (the caller relies on a shutdown hook)
   */
  static boolean install(Consumer<String> onSignal) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, handler);
      Method getName = signal.getMethod("getName");
      Object h = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler}, (proxy, m, args) -> {
        if (m.getName().equals("handle") && args != null && args.length == 1) {
          onSignal.accept("SIG" + getName.invoke(args[0]));
          return null;
        }
        return switch (m.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "otelcol-java signal handler";
          default -> null;
        };
      });
      for (String name : new String[] {"TERM", "INT"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(name), h);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}
