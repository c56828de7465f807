package dev.otelcoljava.distribution.k8s;

import dev.otelcoljava.testing.FreePorts;
import dev.otelcoljava.testing.SharedFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLServerSocket;

/**
 * A stand-in for an EKS API server on 127.0.0.1: fabric8's Kubernetes mock server in CRUD mode
 * (lists and watches) behind a TLS listener with the cluster CA's certificate, which also serves
 * what the real API server serves besides objects:
 *
 * <ul>
 *   <li>{@code /api/v1/nodes/<node>/proxy/metrics/cadvisor}: the kubelet's cAdvisor exposition
 *       (fixture {@code cadvisor/nri-kubernetes-1_35/kubelet-metrics-cadvisor.txt}), through the
 *       node proxy;
 *   <li>{@code /api/v1/nodes/<node>/proxy/metrics}: the kubelet's own metrics (fixture {@code
 *       cadvisor/netdata-go.d.plugin/kubelet-metrics.txt});
 *   <li>{@code /metrics}: the API server's metrics (fixture {@code
 *       cadvisor/nri-kubernetes-1_35/apiserver-metrics.txt}).
 * </ul>
 *
 * These three answer 401 unless the request carries {@code Authorization: Bearer <token>} of a
 * known service account, and 404 for a node that does not exist. Every request with a token is
 * recorded with the account's name, so a test can tell which collector asked for what.
 */
public final class KubeApiServer implements AutoCloseable {
  /** One request that named a service account token (or "unauthenticated"/"bad-token"). */
  public record Hit(String account, String method, String path, int status) {}

  private static final Pattern NODE_SELECTOR = Pattern.compile("fieldSelector=spec\\.nodeName(?:%3D|=)([^&]*)&?");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final String TEST_CLIENT = "test-client";
  private static final Pattern PROXY = Pattern.compile("^/api/v1/nodes/([^/]+)/proxy(/metrics(?:/cadvisor)?)$");

  private final Map<String, String> accountsByToken = new ConcurrentHashMap<>();
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final byte[] cadvisor;
  private final byte[] kubelet;
  private final byte[] apiserver;
  private final KubernetesMockServer mock;
  private final NamespacedKubernetesClient client;
  private final ServerSocket tls;
  private volatile boolean closed;

  private KubeApiServer(int tlsPort, Pki pki) throws Exception {
    Path fx = SharedFiles.fixtures().resolve("cadvisor");
    cadvisor = Files.readAllBytes(fx.resolve("nri-kubernetes-1_35/kubelet-metrics-cadvisor.txt"));
    kubelet = Files.readAllBytes(fx.resolve("netdata-go.d.plugin/kubelet-metrics.txt"));
    apiserver = Files.readAllBytes(fx.resolve("nri-kubernetes-1_35/apiserver-metrics.txt"));
    int plainPort = FreePorts.find();
    mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new Dispatcher(), false);
    mock.init(InetAddress.getLoopbackAddress(), plainPort);
    client = mock.createClient();
    String own = client.getConfiguration().getOauthToken();
    if (own != null) {
      accountsByToken.put(own, TEST_CLIENT);
    }
    SSLServerSocket s = (SSLServerSocket) pki.serverContext().getServerSocketFactory().createServerSocket();
    s.setReuseAddress(true);
    try {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort), 128);
    } catch (IOException e) {
      mock.destroy();
      throw new AssertionError("cannot listen on 127.0.0.1:" + tlsPort + " for the API server stand-in (" + e.getMessage()
          + "); the scenario configs address it as kubernetes.default.svc:443, so this port must be free"
          + " and bindable (root, or net.ipv4.ip_unprivileged_port_start<=443)", e);
    }
    tls = s;
    Thread.ofPlatform().daemon().name("apiserver-tls-accept").start(this::acceptLoop);
  }

  /** Starts the API server with TLS on {@code 127.0.0.1:tlsPort} (0 = a free port). */
  public static KubeApiServer start(int tlsPort, Pki pki) throws Exception {
    return new KubeApiServer(tlsPort, pki);
  }

  public int port() {
    return tls.getLocalPort();
  }

  /** A service account token that the server accepts, recorded under {@code account}. */
  public void addAccount(String account, String token) {
    accountsByToken.put(token, account);
  }

  /** A client for the test itself (plain HTTP, no token, not recorded). */
  public NamespacedKubernetesClient client() {
    return client;
  }

  public List<Hit> hits() {
    return List.copyOf(hits);
  }

  public List<Hit> hits(String account) {
    return hits.stream().filter(h -> h.account().equals(account)).toList();
  }

  public <T extends HasMetadata> T create(T item) {
    item.getMetadata().setResourceVersion(null);
    item.getMetadata().setUid(null);
    item.getMetadata().setCreationTimestamp(null);
    return client.resource(item).create();
  }

  public <T extends HasMetadata> T parse(String yaml) {
    return client.getKubernetesSerialization().unmarshal(yaml);
  }

  /**
   * Creates every item of a fixture list ({@code k8s/nri-kubernetes-1_35/json-from-yaml/<file>}),
   * each passed through {@code adapt} first (e.g. to move addresses onto the loopback).
   */
  public <T extends HasMetadata> int seed(String file, Class<? extends KubernetesResourceList<T>> type, UnaryOperator<T> adapt)
      throws Exception {
    Path p = SharedFiles.fixtures().resolve("k8s/nri-kubernetes-1_35/json-from-yaml/" + file);
    List<T> items = new ArrayList<>();
    try (InputStream in = Files.newInputStream(p)) {
      KubernetesResourceList<T> list = client.getKubernetesSerialization().unmarshal(in, type);
      for (T item : list.getItems()) {
        T adapted = adapt.apply(item);
        if (adapted != null) {
          items.add(adapted);
        }
      }
    }
    createAll(items);
    return items.size();
  }

  /** Creates the objects with several requests in flight (the mock answers each slowly under load). */
  public <T extends HasMetadata> void createAll(List<T> items) throws Exception {
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
      List<java.util.concurrent.Future<T>> done = new ArrayList<>();
      for (T item : items) {
        done.add(pool.submit(() -> create(item)));
      }
      for (var f : done) {
        f.get();
      }
    }
  }

  private final class Dispatcher extends KubernetesCrudDispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      String auth = request.getHeader("Authorization");
      String account = auth == null ? "unauthenticated"
          : auth.startsWith("Bearer ") ? accountsByToken.getOrDefault(auth.substring(7), "bad-token") : "bad-token";
      Matcher m = PROXY.matcher(pathOnly);
      byte[] body = null;
      boolean special = false;
      if (m.matches()) {
        special = true;
        MockResponse node = super.handleGet("/api/v1/nodes/" + m.group(1));
        if (node.code() == 200) {
          body = m.group(2).endsWith("/cadvisor") ? cadvisor : kubelet;
        }
      } else if (pathOnly.equals("/metrics")) {
        special = true;
        body = apiserver;
      }
      if (special) {
        int status = account.equals("unauthenticated") || account.equals("bad-token") ? 401 : body == null ? 404 : 200;
        hits.add(new Hit(account, request.getMethod(), path, status));
        MockResponse r = new MockResponse().setResponseCode(status);
        if (status == 200) {
          r.setHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").setBody(body);
        } else {
          r.setBody(status == 401 ? "Unauthorized" : "node not found");
        }
        return r;
      }
      if (auth != null && !account.equals(TEST_CLIENT)) {
        hits.add(new Hit(account, request.getMethod(), path, account.equals("bad-token") ? 401 : 0));
        if (account.equals("bad-token")) {
          return new MockResponse().setResponseCode(401).setBody("Unauthorized");
        }
      }
      Matcher nodeSel = NODE_SELECTOR.matcher(path);
      if (request.getMethod().equals("GET") && pathOnly.endsWith("/pods") && nodeSel.find() && !path.contains("watch=true")) {
        return podsOnNode(path.substring(0, nodeSel.start()) + path.substring(nodeSel.end()),
            java.net.URLDecoder.decode(nodeSel.group(1), java.nio.charset.StandardCharsets.UTF_8));
      }
      return super.dispatch(request);
    }

    /**
     * A pod list with {@code fieldSelector=spec.nodeName=<node>} evaluated as the real API server
     * does (the CRUD mock evaluates only metadata.* fields and would answer an empty list). Watches
     * keep the mock's behaviour: this class's tests create every pod before any collector starts.
     */
    private MockResponse podsOnNode(String pathWithoutSelector, String node) {
      String p = pathWithoutSelector.replace("?&", "?").replaceAll("[?&]$", "");
      MockResponse list = super.handleGet(p);
      if (list.code() != 200) {
        return list;
      }
      try {
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(list.getBody().readUtf8());
        var kept = JSON.createArrayNode();
        for (var item : json.withArray("items")) {
          if (node.equals(item.path("spec").path("nodeName").asText())) {
            kept.add(item);
          }
        }
        json.set("items", kept);
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
            .setBody(JSON.writeValueAsString(json));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** TLS termination: each TLS connection is piped to the plain mock server. */
  private void acceptLoop() {
    while (!closed) {
      Socket c;
      try {
        c = tls.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      Thread.ofVirtual().start(() -> pipe(c));
    }
  }

  private void pipe(Socket client) {
    try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), mock.getPort())) {
      Thread up = Thread.ofVirtual().start(() -> copy(client, upstream));
      copy(upstream, client);
      up.join();
    } catch (IOException | InterruptedException ignored) {
      // connection over
    }
  }

  private static void copy(Socket from, Socket to) {
    byte[] buf = new byte[16384];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // peer closed
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** Names of paths requested by {@code account} (query strings removed). */
  public List<String> paths(String account) {
    List<String> out = new ArrayList<>();
    for (Hit h : hits(account)) {
      out.add(h.path().contains("?") ? h.path().substring(0, h.path().indexOf('?')) : h.path());
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    try {
      tls.close();
    } catch (IOException ignored) {
      // closing
    }
    client.close();
    mock.destroy();
  }
}
