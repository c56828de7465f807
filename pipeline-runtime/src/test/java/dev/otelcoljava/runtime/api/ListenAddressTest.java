package dev.otelcoljava.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ListenAddressTest {
  @Test
  void of_localhost_isTheIpv4LoopbackWithoutALookup() throws Exception {
    for (String h : new String[] {"localhost", "LocalHost", " localhost "}) {
      InetSocketAddress a = ListenAddress.of(h, 13133);
      assertThat(a.getAddress().getHostAddress()).as(h).isEqualTo("127.0.0.1");
      assertThat(a.getAddress().isLoopbackAddress()).isTrue();
      assertThat(a.getPort()).isEqualTo(13133);
    }
  }

  @Test
  void of_emptyOrWildcard_isEveryInterface() throws Exception {
    for (String h : new String[] {"", "0.0.0.0", "::", "[::]"}) {
      assertThat(ListenAddress.of(h, 8888).getAddress().isAnyLocalAddress()).as("\"" + h + "\"").isTrue();
    }
    assertThat(ListenAddress.of(null, 8888).getAddress().isAnyLocalAddress()).isTrue();
  }

  @Test
  void of_literals_asGiven() throws Exception {
    assertThat(ListenAddress.of("127.0.0.1", 1).getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(ListenAddress.of("[::1]", 1).getAddress()).isEqualTo(InetAddress.getByName("::1"));
    assertThat(ListenAddress.of("::1", 1).getAddress()).isEqualTo(InetAddress.getByName("::1"));
  }

  @Test
  void describe_asAProbeWouldWriteIt() throws Exception {
    assertThat(ListenAddress.describe(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 13133)))
        .isEqualTo("127.0.0.1:13133");
    assertThat(ListenAddress.describe(new InetSocketAddress(InetAddress.getByName("::"), 8888))).isEqualTo("0.0.0.0:8888");
    assertThat(ListenAddress.describe(new InetSocketAddress(8888))).isEqualTo("0.0.0.0:8888");
    assertThat(ListenAddress.describe(new InetSocketAddress(InetAddress.getByName("::1"), 1))).isEqualTo("[0:0:0:0:0:0:0:1]:1");
  }
}
