package dev.otelcoljava.receiver.prometheus.kubernetes;

import dev.otelcoljava.receiver.prometheus.config.HttpClientConfig;
import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;
import dev.otelcoljava.testing.SharedFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.List;

/**
 * fabric8's Kubernetes mock server in CRUD mode (with watches) on a fixed loopback port, which can
 * be stopped and started again with its stored objects kept (an API server restart).
 */
final class MockApi implements AutoCloseable {
  private final KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher();
  private final int port;
  private KubernetesMockServer server;
  private NamespacedKubernetesClient client;

  MockApi() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    start();
  }

  /** Requests seen by the current server instance (drained by {@link #requests()}). */
  private final List<RecordedRequest> recorded = new ArrayList<>();

  void start() {
    recorded.clear();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    if (client != null) {
      client.close();
    }
    client = server.createClient();
  }

  void stop() {
    server.destroy();
  }

  /** Every request the current server instance has received so far. */
  List<RecordedRequest> requests() throws InterruptedException {
    RecordedRequest r;
    while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      recorded.add(r);
    }
    return recorded;
  }

  /**
   * Waits until a client has (re)opened a watch on this server instance. The CRUD mock does not
   * replay events missed while a watch was down (a real API server resumes from the resource
   * version), so tests create objects only after the discoverer's watch is back.
   */
  void awaitWatch(String resource) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (requests().stream().noneMatch(r -> r.getPath().contains("/" + resource + "?") && r.getPath().contains("watch=true"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no watch on " + resource + " after restart; requests: "
            + recorded.stream().map(RecordedRequest::getPath).toList());
      }
      Thread.sleep(20);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  NamespacedKubernetesClient client() {
    return client;
  }

  KubernetesMockServer server() {
    return server;
  }

  /** Creates every item of a fixture list (json-from-yaml), without server-set metadata. */
  <T extends HasMetadata> void seed(String file, Class<? extends KubernetesResourceList<T>> type) throws Exception {
    Path p = SharedFiles.fixtures().resolve("k8s/nri-kubernetes-1_35/json-from-yaml/" + file);
    try (InputStream in = Files.newInputStream(p)) {
      KubernetesResourceList<T> list = client.getKubernetesSerialization().unmarshal(in, type);
      for (T item : list.getItems()) {
        create(item);
      }
    }
  }

  <T extends HasMetadata> T create(T item) {
    item.getMetadata().setResourceVersion(null);
    return client.resource(item).create();
  }

  /** Parses YAML/JSON text into an object. */
  <T extends HasMetadata> T parse(String text) {
    return client.getKubernetesSerialization().unmarshal(text);
  }

  KubernetesSdConfig sd(String role) {
    return sd(role, List.of(), List.of(), false);
  }

  KubernetesSdConfig sd(String role, List<String> namespaces, List<KubernetesSdConfig.Selector> selectors, boolean attachNode) {
    return new KubernetesSdConfig(
        role, url(), "", false, namespaces, selectors,
        new KubernetesSdConfig.AttachMetadata(attachNode, false, false, false, false), HttpClientConfig.DEFAULT);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    server.destroy();
  }
}
