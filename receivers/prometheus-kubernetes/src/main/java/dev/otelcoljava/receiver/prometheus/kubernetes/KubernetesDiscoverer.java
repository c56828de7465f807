package dev.otelcoljava.receiver.prometheus.kubernetes;

import dev.otelcoljava.receiver.prometheus.config.KubernetesSdConfig;
import dev.otelcoljava.receiver.prometheus.discovery.Discoverer;
import dev.otelcoljava.receiver.prometheus.discovery.TargetGroup;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Kubernetes service discovery for one {@code kubernetes_sd_configs} entry, on fabric8 informers.
 *
 * <p>One informer per watched kind and namespace (all namespaces when none are named) lists and
 * then watches; on a broken watch it reconnects and resumes, and re-lists when the resource
 * version is gone, so API server restarts and disconnects cost no target: the cache keeps the
 * last known objects meanwhile. Events enqueue the affected objects' keys; one thread turns them
 * into Prometheus target groups (see {@link TargetGroups}) and sends only groups that changed, an
 * empty group when an object is gone. The first callback, after every informer has synced, carries
 * every group.
 *
 * <p>Thread-safety: events arrive on fabric8's threads; groups are built and the callback is
 * called on this discoverer's single thread, never after {@link #close()} returns.
 */
final class KubernetesDiscoverer implements Discoverer {
  private final KubernetesSdConfig sd;
  private final String job;
  private final RateLimitedLogger rateLimited;
  private final ClusterEnvironment env;
  private final int reconnectMillis;

  private final List<SharedIndexInformer<? extends HasMetadata>> all = new ArrayList<>();
  private final List<SharedIndexInformer<? extends HasMetadata>> roleInformers = new ArrayList<>();
  private final List<SharedIndexInformer<Pod>> podInformers = new ArrayList<>();
  private final List<SharedIndexInformer<Service>> serviceInformers = new ArrayList<>();
  private SharedIndexInformer<Node> nodeInformer;

  private final Set<String> pending = new LinkedHashSet<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Map<String, TargetGroup> sent = new HashMap<>();
  private final Object emitLock = new Object();
  private volatile boolean synced;
  private volatile boolean closed;
  private KubernetesClient client;
  private ScheduledExecutorService executor;
  private ScheduledFuture<?> syncCheck;
  private Consumer<List<TargetGroup>> updates;

  KubernetesDiscoverer(
      KubernetesSdConfig sd, String job, RateLimitedLogger logger, ClusterEnvironment env, int reconnectMillis) {
    this.sd = sd;
    this.job = job;
    this.rateLimited = logger;
    this.env = env;
    this.reconnectMillis = reconnectMillis;
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    this.updates = updates;
    List<String> namespaces = namespaces();
    client = KubernetesClients.create(sd, env, reconnectMillis, rateLimited);
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "k8s-sd-" + job);
              t.setDaemon(true);
              return t;
            });
    String role = sd.role();
    boolean attachNode =
        sd.attachMetadata() != null
            && sd.attachMetadata().node()
            && (role.equals("pod") || role.equals("endpoints") || role.equals("endpointslice"));
    Consumer<HasMetadata> roleChanged = o -> enqueue(key(o));
    switch (role) {
      case "node" -> roleInformers.add(inform(client.nodes(), "node", roleChanged));
      case "pod" -> {
        for (String ns : namespaces) {
          SharedIndexInformer<Pod> inf =
              inform(ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns), "pod", roleChanged);
          roleInformers.add(inf);
          podInformers.add(inf);
        }
      }
      case "service" -> {
        for (String ns : namespaces) {
          roleInformers.add(
              inform(ns == null ? client.services().inAnyNamespace() : client.services().inNamespace(ns), "service", roleChanged));
        }
      }
      case "ingress" -> {
        for (String ns : namespaces) {
          var op = client.network().v1().ingresses();
          roleInformers.add(inform(ns == null ? op.inAnyNamespace() : op.inNamespace(ns), "ingress", roleChanged));
        }
      }
      case "endpoints", "endpointslice" -> {
        Consumer<HasMetadata> related = o -> enqueueNamespace(o.getMetadata().getNamespace());
        for (String ns : namespaces) {
          if (role.equals("endpoints")) {
            var op = client.endpoints();
            roleInformers.add(inform(ns == null ? op.inAnyNamespace() : op.inNamespace(ns), "endpoints", roleChanged));
          } else {
            var op = client.discovery().v1().endpointSlices();
            roleInformers.add(inform(ns == null ? op.inAnyNamespace() : op.inNamespace(ns), "endpointslice", roleChanged));
          }
          serviceInformers.add(
              inform(ns == null ? client.services().inAnyNamespace() : client.services().inNamespace(ns), "service", related));
          podInformers.add(inform(ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns), "pod", related));
        }
      }
      default -> throw new IllegalArgumentException("kubernetes_sd_configs: unknown role \"" + role + "\"");
    }
    if (attachNode) {
      nodeInformer = inform(client.nodes(), "node", o -> enqueueAll());
    }
    for (SharedIndexInformer<? extends HasMetadata> inf : all) {
      inf.start();
    }
    syncCheck = executor.scheduleWithFixedDelay(this::checkSynced, 0, 50, TimeUnit.MILLISECONDS);
  }

  /** Null entry = all namespaces. Nodes are cluster-scoped. */
  private List<String> namespaces() {
    List<String> names = new ArrayList<>(sd.namespaceNames() == null ? List.of() : sd.namespaceNames());
    if (sd.ownNamespace()) {
      names.add(KubernetesClients.ownNamespace(env));
    }
    List<String> out = new ArrayList<>(new LinkedHashSet<>(names));
    if (out.isEmpty()) {
      out.add(null);
    }
    return out;
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
      SharedIndexInformer<T> inform(FilterWatchListDeletable<T, L, R> op, String kind, Consumer<? super T> changed) {
    FilterWatchListDeletable<T, L, R> f = op;
    for (KubernetesSdConfig.Selector s : sd.selectors() == null ? List.<KubernetesSdConfig.Selector>of() : sd.selectors()) {
      if (!kind.equals(s.role())) {
        continue;
      }
      if (s.label() != null && !s.label().isEmpty()) {
        f = f.withLabelSelector(s.label());
      }
      if (s.field() != null && !s.field().isEmpty()) {
        f = FieldSelectors.apply(f, s.field());
      }
    }
    SharedIndexInformer<T> inf = f.runnableInformer(0);
    inf.exceptionHandler(
        (started, t) -> {
          if (!closed) {
            rateLimited.log(
                System.Logger.Level.WARNING,
                "k8s-sd/" + job + "/watch-" + kind,
                "kubernetes_sd_configs (job \"" + job + "\"): listing/watching " + kind
                    + " failed, retrying: " + t.getMessage());
          }
          return true;
        });
    inf.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            changed.accept(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            changed.accept(newObj);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            changed.accept(obj);
          }
        });
    all.add(inf);
    return inf;
  }

  private static String key(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? o.getMetadata().getName() : ns + "/" + o.getMetadata().getName();
  }

  private void enqueue(String key) {
    synchronized (pending) {
      pending.add(key);
    }
    scheduleDrain();
  }

  private void enqueueNamespace(String ns) {
    List<String> keys = new ArrayList<>();
    for (SharedIndexInformer<? extends HasMetadata> inf : roleInformers) {
      for (HasMetadata o : inf.getStore().list()) {
        if (Objects.equals(ns, o.getMetadata().getNamespace())) {
          keys.add(key(o));
        }
      }
    }
    synchronized (pending) {
      pending.addAll(keys);
    }
    scheduleDrain();
  }

  private void enqueueAll() {
    List<String> keys = new ArrayList<>();
    for (SharedIndexInformer<? extends HasMetadata> inf : roleInformers) {
      for (HasMetadata o : inf.getStore().list()) {
        keys.add(key(o));
      }
    }
    synchronized (pending) {
      pending.addAll(keys);
    }
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (synced && !closed && drainScheduled.compareAndSet(false, true)) {
      try {
        executor.execute(() -> drain(false));
      } catch (java.util.concurrent.RejectedExecutionException ignored) {
        // closing
      }
    }
  }

  private void checkSynced() {
    for (SharedIndexInformer<? extends HasMetadata> inf : all) {
      if (!inf.hasSynced()) {
        return;
      }
    }
    syncCheck.cancel(false);
    synced = true;
    enqueueAll();
    drain(true);
  }

  private void drain(boolean first) {
    drainScheduled.set(false);
    List<String> keys;
    synchronized (pending) {
      keys = new ArrayList<>(pending);
      pending.clear();
    }
    List<TargetGroup> out = new ArrayList<>();
    for (String key : keys) {
      TargetGroup g;
      try {
        g = build(key);
      } catch (RuntimeException e) {
        rateLimited.log(
            System.Logger.Level.WARNING, "k8s-sd/" + job + "/build", "kubernetes_sd_configs (job \"" + job + "\"): cannot build targets for "
                + sd.role() + " " + key, e);
        continue;
      }
      if (g == null) {
        continue;
      }
      TargetGroup prev = sent.put(g.source(), g);
      if (!g.equals(prev)) {
        out.add(g);
      }
    }
    if (out.isEmpty() && !first) {
      return;
    }
    synchronized (emitLock) {
      if (!closed) {
        updates.accept(out);
      }
    }
  }

  /** The current group for a role object key (an empty group when the object is gone). */
  private TargetGroup build(String key) {
    HasMetadata obj = null;
    for (SharedIndexInformer<? extends HasMetadata> inf : roleInformers) {
      obj = inf.getStore().getByKey(key);
      if (obj != null) {
        break;
      }
    }
    Function<String, String> source =
        switch (sd.role()) {
          case "node" -> TargetGroups::nodeSource;
          case "pod" -> k -> "pod/" + k;
          case "service" -> k -> "svc/" + k;
          case "endpoints" -> k -> "endpoints/" + k;
          case "endpointslice" -> k -> "endpointslice/" + k;
          default -> k -> "ingress/" + k;
        };
    if (obj == null) {
      return TargetGroups.empty(source.apply(key));
    }
    return switch (obj) {
      case Node n -> TargetGroups.node(n);
      case Pod p -> TargetGroups.pod(p, lookup);
      case Service s -> TargetGroups.service(s);
      case io.fabric8.kubernetes.api.model.Endpoints e -> TargetGroups.endpoints(e, lookup);
      case EndpointSlice e -> TargetGroups.endpointSlice(e, lookup);
      case Ingress i -> TargetGroups.ingress(i);
      default -> null;
    };
  }

  private final TargetGroups.Lookup lookup =
      new TargetGroups.Lookup() {
        @Override
        public Pod pod(String namespace, String name) {
          return find(podInformers, namespace + "/" + name);
        }

        @Override
        public Service service(String namespace, String name) {
          return find(serviceInformers, namespace + "/" + name);
        }

        @Override
        public Node node(String name) {
          return nodeInformer == null ? null : nodeInformer.getStore().getByKey(name);
        }
      };

  private static <T> T find(List<SharedIndexInformer<T>> infs, String key) {
    for (SharedIndexInformer<T> inf : infs) {
      T o = inf.getStore().getByKey(key);
      if (o != null) {
        return o;
      }
    }
    return null;
  }

  @Override
  public void close() {
    synchronized (emitLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (SharedIndexInformer<? extends HasMetadata> inf : all) {
      try {
        inf.stop();
      } catch (RuntimeException ignored) {
        // best effort on shutdown
      }
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    if (client != null) {
      client.close();
    }
  }
}
