package dev.otelcoljava.extension.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.config.ConfigProblems;
import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.ListeningSockets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY case 20 for health_check: the default endpoint (localhost:13133) listens on the IPv4
 * loopback only, as the kernel lists the socket, and refuses a connection to this machine's own
 * non-loopback address; an explicit 0.0.0.0 (or empty) host still listens on every interface and
 * answers there. Free ports stand in for 13133 (AdminListenersIT runs the real default port).
 */
class HealthCheckListenTest {
  private static final System.Logger LOGGER = System.getLogger("health_check-test");

  /** The config read from {@code extensions::health_check} = {@code yaml} (null: the bare key). */
  private static HealthCheckConfig read(Map<String, Object> yaml) {
    ConfigProblems problems = new ConfigProblems();
    ConfigNode node = ConfigNode.root(yaml, "extensions::health_check", problems);
    HealthCheckConfig c = new HealthCheckExtensionFactory().createConfig(node, "health_check");
    node.reportUnknownKeys();
    assertThat(problems.errors()).isEmpty();
    return c;
  }

  private static HealthCheckConfig onPort(HealthCheckConfig c, int port) {
    return new HealthCheckConfig(c.host(), port, c.path(), c.healthyBody(), c.unhealthyBody(), c.checkPipeline(),
        c.checkInterval(), c.exporterFailureThreshold(), c.corsAllowedOrigins(), c.responseHeaders());
  }

  /** Whether a TCP connection to {@code address:port} is accepted (refused: false). */
  private static boolean connects(InetAddress address, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  @Test
  void defaultEndpoint_localhost13133_listensOnLoopbackOnly() throws Exception {
    HealthCheckConfig bare = read(null);
    assertThat(bare.endpoint()).isEqualTo("localhost:13133");
    Map<String, Object> explicit = new HashMap<>();
    explicit.put("endpoint", "localhost:13133");
    for (HealthCheckConfig c : List.of(bare, read(Map.of()), read(explicit))) {
      int port = FreePorts.find();
      HealthCheckExtension ext = new HealthCheckExtension(onPort(c, port), LOGGER, Clock.systemUTC());
      ext.start(null);
      try {
        assertThat(ext.boundAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(ListeningSockets.on(port)).as("listening sockets on " + port)
            .containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(connects(InetAddress.getByName("127.0.0.1"), port)).isTrue();
        Optional<InetAddress> own = ListeningSockets.ownNonLoopbackIpv4();
        if (own.isPresent()) {
          assertThat(connects(own.get(), port)).as("connect to this machine's " + own.get().getHostAddress()).isFalse();
        } else {
          System.out.println("no non-loopback IPv4 address on this machine: checked the kernel's socket table only");
        }
      } finally {
        ext.shutdown(Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void explicitAllInterfaces_listensOnEveryInterface() throws Exception {
    for (String host : List.of("0.0.0.0", "")) {
      int port = FreePorts.find();
      HealthCheckConfig c = read(Map.of("endpoint", host + ":" + port));
      assertThat(c.host()).isEqualTo("0.0.0.0");
      HealthCheckExtension ext = new HealthCheckExtension(c, LOGGER, Clock.systemUTC());
      ext.start(null);
      try {
        assertThat(ext.boundAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(ListeningSockets.on(port)).singleElement().satisfies(a -> assertThat(a.isAnyLocalAddress()).isTrue());
        assertThat(connects(InetAddress.getByName("127.0.0.1"), port)).isTrue();
        Optional<InetAddress> own = ListeningSockets.ownNonLoopbackIpv4();
        if (own.isPresent()) {
          assertThat(connects(own.get(), port)).as("connect to this machine's " + own.get().getHostAddress()).isTrue();
        }
      } finally {
        ext.shutdown(Duration.ofSeconds(2));
      }
    }
  }
}
