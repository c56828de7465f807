package dev.otelcoljava.receiver.otlp;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The OTLP/gRPC metrics service on grpc-java (netty, shaded). Only {@code
 * opentelemetry.proto.collector.metrics.v1.MetricsService/Export} is registered, so the trace and
 * log services answer UNIMPLEMENTED, as otelcol does for a metrics-only receiver. gzip request
 * compression is handled by grpc-java. {@code read_buffer_size}, {@code write_buffer_size} and
 * {@code include_metadata} are accepted without effect (grpc-java sizes its own buffers; the data
 * model carries no client metadata).
 */
final class GrpcServer {
  static final String SERVICE = "opentelemetry.proto.collector.metrics.v1.MetricsService";
  static final MethodDescriptor<ExportMetricsServiceRequest, ExportMetricsServiceResponse> EXPORT =
      MethodDescriptor.<ExportMetricsServiceRequest, ExportMetricsServiceResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
          .setRequestMarshaller(ProtoUtils.marshaller(ExportMetricsServiceRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(ExportMetricsServiceResponse.getDefaultInstance()))
          .build();

  private final Server server;

  GrpcServer(OtlpReceiverConfig.Grpc cfg, ExportHandler handler) throws Exception {
    InetSocketAddress addr = Endpoints.parse(cfg.endpoint());
    NettyServerBuilder b;
    if (cfg.tls() != null) {
      OtlpReceiverConfig.Tls t = cfg.tls();
      TlsServerCredentials.Builder tb = TlsServerCredentials.newBuilder().keyManager(new File(t.certFile()), new File(t.keyFile()));
      String clientCa = !t.clientCaFile().isEmpty() ? t.clientCaFile() : "";
      if (!clientCa.isEmpty()) {
        tb.trustManager(new File(clientCa)).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      ServerCredentials creds = tb.build();
      b = NettyServerBuilder.forAddress(addr, creds);
    } else {
      b = NettyServerBuilder.forAddress(addr);
    }
    b.maxInboundMessageSize(cfg.maxRecvMsgSizeMib() * 1024 * 1024);
    if (cfg.maxConcurrentStreams() > 0) {
      b.maxConcurrentCallsPerConnection(cfg.maxConcurrentStreams());
    }
    OtlpReceiverConfig.Keepalive ka = cfg.keepalive();
    if (positive(ka.maxConnectionIdle())) {
      b.maxConnectionIdle(ka.maxConnectionIdle().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (positive(ka.maxConnectionAge())) {
      b.maxConnectionAge(ka.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (positive(ka.maxConnectionAgeGrace())) {
      b.maxConnectionAgeGrace(ka.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (positive(ka.time())) {
      b.keepAliveTime(ka.time().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (positive(ka.timeout())) {
      b.keepAliveTimeout(ka.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (positive(ka.minTime())) {
      b.permitKeepAliveTime(ka.minTime().toNanos(), TimeUnit.NANOSECONDS);
    }
    b.permitKeepAliveWithoutCalls(ka.permitWithoutStream());
    ServerServiceDefinition svc = ServerServiceDefinition.builder(SERVICE)
        .addMethod(EXPORT, ServerCalls.asyncUnaryCall((ExportMetricsServiceRequest req, StreamObserver<ExportMetricsServiceResponse> obs) -> {
          ExportHandler.Outcome o = handler.export(req);
          if (o.ok()) {
            obs.onNext(o.response());
            obs.onCompleted();
          } else {
            // OTLP spec: a retryable refusal is UNAVAILABLE; a permanent one INVALID_ARGUMENT.
            obs.onError((o.retryable() ? Status.UNAVAILABLE : Status.INVALID_ARGUMENT).withDescription(o.error()).asRuntimeException());
          }
        }))
        .build();
    server = b.addService(svc).build();
  }

  private static boolean positive(Duration d) {
    return !d.isZero() && !d.isNegative();
  }

  void start() throws Exception {
    server.start();
  }

  int port() {
    return server.getPort();
  }

  void shutdown(Duration timeout) throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
      server.shutdownNow();
    }
  }
}
