package dev.otelcoljava.runtime.internal;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Exporter;
import dev.otelcoljava.runtime.api.ExporterFactory;
import dev.otelcoljava.runtime.api.ExporterMetrics;
import dev.otelcoljava.runtime.api.Extension;
import dev.otelcoljava.runtime.api.ExtensionFactory;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.PipelineStatusListener;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.ProcessorFactory;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.ReceiverFactory;
import dev.otelcoljava.runtime.api.Stability;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import dev.otelcoljava.runtime.internal.config.ComponentRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test factories sharing one event log: a receiver tests can push through ({@code testrcv}), a
 * processor that may mutate ({@code testproc}), a collecting exporter ({@code testexp}), a status
 * extension ({@code testext}), and look-alikes of {@code prometheus_remote_write} (alias {@code
 * prometheusremotewrite}), {@code sigv4auth} and {@code health_check} with their config keys.
 */
public final class TestComponents {
  /** Lifecycle events in order, e.g. {@code start exporters::testexp/a}. */
  public final List<String> events = new CopyOnWriteArrayList<>();
  /** The consumer each started receiver was given, by id. */
  public final Map<String, MetricsConsumer> receivers = new ConcurrentHashMap<>();
  /** Batches each exporter received, by id. */
  public final Map<String, List<MetricsBatch>> exported = new ConcurrentHashMap<>();

  public ComponentRegistry registry() {
    return ComponentRegistry.builder()
        .add(new RecvFactory())
        .add(new ProcFactory())
        .add(new ExpFactory())
        .add(new ExtFactory("testext"))
        .add(new ExtFactory("health_check"))
        .add(new Sigv4Factory())
        .add(new PrwFactory())
        .build();
  }

  public List<MetricsBatch> exported(String id) {
    return exported.getOrDefault(id, List.of());
  }

  /** A batch with {@code n} gauge points named {@code m}. */
  public static MetricsBatch batch(int n) {
    MetricsBatch b = new MetricsBatch();
    ResourceMetrics r = b.addResource(Attributes.of("service.name", "test"));
    ScopeMetrics s = r.addScope("test", "1");
    Metric m = Metric.gauge("m");
    for (int i = 0; i < n; i++) {
      m.addPoint(NumberPoint.ofLong(Attributes.of("i", String.valueOf(i)), 0, 1_000_000L, i));
    }
    s.metrics().add(m);
    return b;
  }

  private void event(String e) {
    events.add(e);
  }

  abstract class Base implements dev.otelcoljava.runtime.api.Component {
    final String path;
    final Duration hang;
    final boolean failStart;

    Base(String path, Duration hang, boolean failStart) {
      this.path = path;
      this.hang = hang;
      this.failStart = failStart;
    }

    @Override
    public void start(Host host) throws Exception {
      event("start " + path);
      if (failStart) {
        throw new IllegalStateException("boom");
      }
    }

    @Override
    public void shutdown(Duration timeout) throws Exception {
      event("shutdown " + path);
      if (!hang.isZero()) {
        Thread.sleep(hang.toMillis());
      }
    }
  }

  record Common(Duration hang, boolean failStart) {
    static Common read(ConfigNode n) {
      return new Common(n.duration("hang_on_shutdown", Duration.ZERO), n.bool("fail_start", false));
    }
  }

  final class RecvFactory implements ReceiverFactory<Common> {
    @Override
    public String type() {
      return "testrcv";
    }

    @Override
    public Stability stability() {
      return Stability.BETA;
    }

    @Override
    public String transport() {
      return "test";
    }

    @Override
    public Common createConfig(ConfigNode node, String typeUsed) {
      return Common.read(node);
    }

    @Override
    public Receiver createReceiver(CreateSettings settings, Common config, MetricsConsumer next) {
      String where = "receivers::" + settings.id();
      event("create " + where);
      class R extends Base implements Receiver {
        R() {
          super(where, config.hang(), config.failStart());
        }

        @Override
        public void start(Host host) throws Exception {
          super.start(host);
          receivers.put(settings.id().toString(), next);
        }
      }
      return new R();
    }
  }

  record ProcConfig(Common common, boolean mutate, boolean drop) {}

  final class ProcFactory implements ProcessorFactory<ProcConfig> {
    @Override
    public String type() {
      return "testproc";
    }

    @Override
    public Stability stability() {
      return Stability.ALPHA;
    }

    @Override
    public ProcConfig createConfig(ConfigNode node, String typeUsed) {
      return new ProcConfig(Common.read(node), node.bool("mutate", false), node.bool("drop_first_point", false));
    }

    @Override
    public Processor createProcessor(CreateSettings settings, ProcConfig config, MetricsConsumer next) {
      String where = "processors::" + settings.id();
      event("create " + where);
      class P extends Base implements Processor {
        P() {
          super(where, config.common().hang(), config.common().failStart());
        }

        @Override
        public void consume(MetricsBatch batch) {
          if (config.mutate()) {
            for (ResourceMetrics r : batch.resourceMetrics()) {
              for (ScopeMetrics s : r.scopeMetrics()) {
                for (Metric m : s.metrics()) {
                  if (config.drop()) {
                    m.points().remove(0);
                  }
                  for (DataPoint p : m.points()) {
                    p.attributes().put("mutated_by", settings.id().toString());
                  }
                }
              }
            }
          }
          next.consume(batch);
        }

        @Override
        public boolean mutatesData() {
          return config.mutate();
        }
      }
      return new P();
    }
  }

  record ExpConfig(Common common, boolean fail) {}

  final class ExpFactory implements ExporterFactory<ExpConfig> {
    @Override
    public String type() {
      return "testexp";
    }

    @Override
    public Stability stability() {
      return Stability.STABLE;
    }

    @Override
    public ExpConfig createConfig(ConfigNode node, String typeUsed) {
      return new ExpConfig(Common.read(node), node.bool("fail", false));
    }

    @Override
    public Exporter createExporter(CreateSettings settings, ExpConfig config) {
      String where = "exporters::" + settings.id();
      event("create " + where);
      ExporterMetrics metrics = ExporterMetrics.create(settings);
      List<MetricsBatch> sink = exported.computeIfAbsent(settings.id().toString(), k -> Collections.synchronizedList(new ArrayList<>()));
      class E extends Base implements Exporter {
        E() {
          super(where, config.common().hang(), config.common().failStart());
        }

        @Override
        public void consume(MetricsBatch batch) {
          if (config.fail()) {
            metrics.sendFailed(batch.dataPointCount());
            throw new ConsumerException("exporter " + settings.id() + " refuses", true, batch.dataPointCount());
          }
          sink.add(batch);
          metrics.sent(batch.dataPointCount());
        }
      }
      return new E();
    }
  }

  final class ExtFactory implements ExtensionFactory<Common> {
    private final String type;

    ExtFactory(String type) {
      this.type = type;
    }

    @Override
    public String type() {
      return type;
    }

    @Override
    public Stability stability() {
      return Stability.BETA;
    }

    @Override
    public Common createConfig(ConfigNode node, String typeUsed) {
      node.string("endpoint", "0.0.0.0:13133");
      return Common.read(node);
    }

    @Override
    public Extension createExtension(CreateSettings settings, Common config) {
      String where = "extensions::" + settings.id();
      event("create " + where);
      class X extends Base implements Extension, PipelineStatusListener {
        X() {
          super(where, config.hang(), config.failStart());
        }

        @Override
        public void pipelinesReady() {
          event("ready " + path);
        }

        @Override
        public void pipelinesNotReady() {
          event("notready " + path);
        }
      }
      return new X();
    }
  }

  record Sigv4Config(String region, String service) {}

  final class Sigv4Factory implements ExtensionFactory<Sigv4Config> {
    @Override
    public String type() {
      return "sigv4auth";
    }

    @Override
    public Stability stability() {
      return Stability.BETA;
    }

    @Override
    public Sigv4Config createConfig(ConfigNode node, String typeUsed) {
      return new Sigv4Config(node.string("region", ""), node.string("service", ""));
    }

    @Override
    public Extension createExtension(CreateSettings settings, Sigv4Config config) {
      return new Extension() {};
    }
  }

  record PrwConfig(String endpoint, ComponentId authenticator) {}

  final class PrwFactory implements ExporterFactory<PrwConfig> {
    @Override
    public String type() {
      return "prometheus_remote_write";
    }

    @Override
    public List<String> deprecatedTypes() {
      return List.of("prometheusremotewrite");
    }

    @Override
    public Stability stability() {
      return Stability.BETA;
    }

    @Override
    public PrwConfig createConfig(ConfigNode node, String typeUsed) {
      String endpoint = node.string("endpoint", "");
      node.get("resource_to_telemetry_conversion").bool("enabled", false);
      String auth = node.get("auth").string("authenticator", null);
      ComponentId id = null;
      if (auth != null) {
        try {
          id = ComponentId.parse(auth);
        } catch (IllegalArgumentException e) {
          node.get("auth").error("authenticator", e.getMessage());
        }
      }
      return new PrwConfig(endpoint, id);
    }

    @Override
    public Map<String, ComponentId> extensionReferences(PrwConfig config) {
      return config.authenticator() == null ? Map.of() : Map.of("auth::authenticator", config.authenticator());
    }

    @Override
    public Exporter createExporter(CreateSettings settings, PrwConfig config) {
      return batch -> {};
    }
  }
}
