package dev.otelcoljava.receiver.statsd;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.Receiver;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Listens for StatsD lines on UDP (one datagram may hold many lines) or TCP (newline-delimited),
 * aggregates them, and hands one batch per client address to the pipeline every {@code
 * aggregation_interval}, and once more at shutdown so that nothing received is lost. Bad lines are
 * logged (rate-limited) and skipped; the rest of the datagram is kept.
 */
final class StatsdReceiver implements Receiver {
  private final CreateSettings settings;
  private final StatsdReceiverConfig cfg;
  private final MetricsConsumer next;
  private final RateLimitedLogger rlog;
  private final Object lock = new Object();
  private StatsdAggregator aggregator;
  private DatagramSocket udp;
  private ServerSocket tcp;
  private ScheduledExecutorService flusher;
  private volatile boolean running;

  StatsdReceiver(CreateSettings settings, StatsdReceiverConfig cfg, MetricsConsumer next) {
    this.settings = settings;
    this.cfg = cfg;
    this.next = next;
    this.rlog = new RateLimitedLogger(settings.logger(), Duration.ofSeconds(10));
  }

  @Override
  public void start(Host host) throws Exception {
    aggregator = new StatsdAggregator(cfg, settings.buildInfo().version(), now());
    InetSocketAddress addr = address(cfg.endpoint());
    running = true;
    if (cfg.transport().equals("tcp")) {
      tcp = new ServerSocket();
      tcp.bind(addr);
      Thread.ofPlatform().daemon().name(settings.id() + "-tcp").start(this::acceptLoop);
    } else {
      udp = new DatagramSocket(addr);
      Thread.ofPlatform().daemon().name(settings.id() + "-udp").start(this::udpLoop);
    }
    flusher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name(settings.id() + "-flush").unstarted(r));
    long ms = cfg.aggregationInterval().toMillis();
    flusher.scheduleAtFixedRate(this::flush, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The bound port (tests bind port 0). */
  int port() {
    return udp != null ? udp.getLocalPort() : tcp != null ? tcp.getLocalPort() : -1;
  }

  private static InetSocketAddress address(String endpoint) throws IOException {
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(InetAddress.getByName(host), port);
  }

  private static long now() {
    java.time.Instant t = java.time.Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private void udpLoop() {
    byte[] buf = new byte[65527];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    while (running) {
      try {
        p.setLength(buf.length);
        udp.receive(p);
        String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        String key = addressKey(p.getSocketAddress());
        synchronized (lock) {
          for (String line : text.split("\n")) {
            aggregate(line, key);
          }
        }
      } catch (IOException e) {
        if (running) {
          rlog.log(System.Logger.Level.WARNING, "udp", "statsd UDP read failed: " + e.getMessage());
        }
      }
    }
  }

  private void acceptLoop() {
    while (running) {
      try {
        Socket s = tcp.accept();
        Thread.ofVirtual().start(() -> readTcp(s));
      } catch (IOException e) {
        if (running) {
          rlog.log(System.Logger.Level.WARNING, "tcp", "statsd TCP accept failed: " + e.getMessage());
        }
      }
    }
  }

  private void readTcp(Socket s) {
    String key = addressKey(s.getRemoteSocketAddress());
    try (s; BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (running && (line = r.readLine()) != null) {
        synchronized (lock) {
          aggregate(line, key);
        }
      }
    } catch (IOException e) {
      rlog.log(System.Logger.Level.DEBUG, "tcp-read", "statsd TCP connection ended: " + e.getMessage());
    }
  }

  private String addressKey(SocketAddress a) {
    if (cfg.enableIpOnlyAggregation() && a instanceof InetSocketAddress i) {
      return i.getAddress().getHostAddress();
    }
    return a.toString();
  }

  private void aggregate(String raw, String key) {
    String line = raw.strip();
    if (line.isEmpty()) {
      return;
    }
    try {
      aggregator.add(StatsdLine.parse(line, cfg.enableMetricType(), cfg.enableSimpleTags()), key, now());
    } catch (StatsdLine.ParseException e) {
      rlog.log(System.Logger.Level.WARNING, "parse", "dropping statsd line: " + e.getMessage());
    }
  }

  private void flush() {
    List<MetricsBatch> batches;
    synchronized (lock) {
      batches = aggregator.flush(now());
    }
    for (MetricsBatch b : batches) {
      try {
        next.consume(b);
      } catch (ConsumerException e) {
        // The runtime counts the refused points; statsd has no way to ask the client to resend.
        rlog.log(System.Logger.Level.WARNING, "refused", "pipeline refused " + b.dataPointCount() + " statsd points: " + e.getMessage());
      } catch (RuntimeException e) {
        rlog.log(System.Logger.Level.ERROR, "failed", "pipeline failed on statsd points: " + e, e);
      }
    }
  }

  @Override
  public void shutdown(Duration timeout) throws Exception {
    if (!running) {
      return;
    }
    running = false;
    if (udp != null) {
      udp.close();
    }
    if (tcp != null) {
      tcp.close();
    }
    if (flusher != null) {
      flusher.shutdown();
      flusher.awaitTermination(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }
    flush();
  }
}
