package dev.otelcoljava.receiver.otlp;

import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.Host;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import dev.otelcoljava.runtime.api.Receiver;
import java.time.Duration;

/** Runs the configured gRPC and HTTP servers; both hand requests to one {@link ExportHandler}. */
final class OtlpReceiver implements Receiver {
  private final CreateSettings settings;
  private final OtlpReceiverConfig config;
  private final ExportHandler handler;
  private final RateLimitedLogger rlog;
  private GrpcServer grpc;
  private HttpServerSide http;

  OtlpReceiver(CreateSettings settings, OtlpReceiverConfig config, MetricsConsumer next) {
    this.settings = settings;
    this.config = config;
    this.rlog = new RateLimitedLogger(settings.logger(), Duration.ofSeconds(10));
    this.handler = new ExportHandler(next, rlog);
  }

  @Override
  public synchronized void start(Host host) throws Exception {
    if (config.grpc() != null) {
      grpc = new GrpcServer(config.grpc(), handler);
      grpc.start();
      settings.logger().log(System.Logger.Level.INFO, "Starting GRPC server on endpoint " + config.grpc().endpoint());
    }
    if (config.http() != null) {
      http = new HttpServerSide(config.http(), handler, rlog);
      http.start();
      settings.logger().log(System.Logger.Level.INFO, "Starting HTTP server on endpoint " + config.http().endpoint());
    }
  }

  /** The bound gRPC port (for tests with port 0); -1 if not running. */
  int grpcPort() {
    return grpc == null ? -1 : grpc.port();
  }

  int httpPort() {
    return http == null ? -1 : http.port();
  }

  @Override
  public synchronized void shutdown(Duration timeout) throws Exception {
    if (http != null) {
      http.shutdown(timeout);
      http = null;
    }
    if (grpc != null) {
      grpc.shutdown(timeout);
      grpc = null;
    }
  }
}
