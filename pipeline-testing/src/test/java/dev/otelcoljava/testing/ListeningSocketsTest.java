package dev.otelcoljava.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {
  @Test
  void address_kernelHexForms() throws Exception {
    assertThat(ListeningSockets.address("0100007F")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(ListeningSockets.address("00000000")).isEqualTo(InetAddress.getByName("0.0.0.0"));
    assertThat(ListeningSockets.address("0000000000000000FFFF00000100007F")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(ListeningSockets.address("00000000000000000000000001000000")).isEqualTo(InetAddress.getByName("::1"));
    assertThat(ListeningSockets.address("00000000000000000000000000000000").isAnyLocalAddress()).isTrue();
  }

  @Test
  void on_loopbackAndWildcardSockets_asTheKernelListsThem() throws Exception {
    try (ServerSocket lo = new ServerSocket()) {
      lo.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      assertThat(ListeningSockets.on(lo.getLocalPort())).containsExactly(InetAddress.getByName("127.0.0.1"));
    }
    try (ServerSocket any = new ServerSocket()) {
      any.bind(new InetSocketAddress(0));
      assertThat(ListeningSockets.on(any.getLocalPort())).singleElement()
          .satisfies(a -> assertThat(a.isAnyLocalAddress()).isTrue());
    }
  }
}
