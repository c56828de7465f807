package dev.otelcoljava.exporter.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One attempt of OTLP/gRPC {@code MetricsService/Export} on a grpc-java channel. Retryable codes
 * follow the OTLP spec: CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE,
 * DATA_LOSS, and RESOURCE_EXHAUSTED only when the server sent a {@code RetryInfo} (whose delay is
 * then honoured). Everything else is permanent.
 */
final class GrpcSender implements Sender {
  static final MethodDescriptor<ExportMetricsServiceRequest, ExportMetricsServiceResponse> EXPORT =
      MethodDescriptor.<ExportMetricsServiceRequest, ExportMetricsServiceResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("opentelemetry.proto.collector.metrics.v1.MetricsService/Export")
          .setRequestMarshaller(ProtoUtils.marshaller(ExportMetricsServiceRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(ExportMetricsServiceResponse.getDefaultInstance()))
          .build();

  private final ManagedChannel channel;
  private final io.grpc.Channel intercepted;
  private final OtlpGrpcExporterConfig cfg;
  private final System.Logger logger;

  GrpcSender(OtlpGrpcExporterConfig cfg, System.Logger logger) throws Exception {
    this.cfg = cfg;
    this.logger = logger;
    String ep = cfg.endpoint();
    boolean plaintext = cfg.tls().insecure();
    if (ep.startsWith("http://")) {
      ep = ep.substring(7);
      plaintext = true;
    } else if (ep.startsWith("https://")) {
      ep = ep.substring(8);
      plaintext = false;
    }
    if (ep.endsWith("/")) {
      ep = ep.substring(0, ep.length() - 1);
    }
    NettyChannelBuilder b = NettyChannelBuilder.forTarget(ep, ClientTls.grpcCredentials(cfg.tls(), plaintext));
    String authority = !cfg.tls().serverNameOverride().isEmpty() ? cfg.tls().serverNameOverride() : cfg.authority();
    if (!authority.isEmpty()) {
      b.overrideAuthority(authority);
    }
    if (!cfg.keepaliveTime().isZero()) {
      b.keepAliveTime(cfg.keepaliveTime().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (!cfg.keepaliveTimeout().isZero()) {
      b.keepAliveTimeout(cfg.keepaliveTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    b.keepAliveWithoutCalls(cfg.keepalivePermitWithoutStream());
    b.userAgent("otelcol-java");
    channel = b.build();
    Metadata md = new Metadata();
    for (Map.Entry<String, String> h : cfg.headers().entrySet()) {
      md.put(Metadata.Key.of(h.getKey().toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER), h.getValue());
    }
    intercepted = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
  }

  @Override
  public Result send(ExportMetricsServiceRequest request) {
    CallOptions opts = CallOptions.DEFAULT;
    if (!cfg.compression().equals("none")) {
      opts = opts.withCompression(cfg.compression());
    }
    if (!cfg.timeout().isZero()) {
      opts = opts.withDeadlineAfter(cfg.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    try {
      ExportMetricsServiceResponse resp = ClientCalls.blockingUnaryCall(intercepted, EXPORT, opts, request);
      if (resp.hasPartialSuccess() && (resp.getPartialSuccess().getRejectedDataPoints() > 0
          || !resp.getPartialSuccess().getErrorMessage().isEmpty())) {
        logger.log(System.Logger.Level.WARNING, "Partial success response: rejected_data_points="
            + resp.getPartialSuccess().getRejectedDataPoints() + " message=" + resp.getPartialSuccess().getErrorMessage());
      }
      return Result.OK;
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  static Result classify(StatusRuntimeException e) {
    Status st = e.getStatus();
    String msg = "rpc error: code = " + st.getCode() + " desc = " + st.getDescription();
    Duration throttle = retryDelay(e);
    return switch (st.getCode()) {
      case CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS -> Result.retryable(msg, throttle);
      case RESOURCE_EXHAUSTED -> throttle != null ? Result.retryable(msg, throttle) : Result.permanent(msg);
      default -> Result.permanent(msg);
    };
  }

  private static Duration retryDelay(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    if (s == null) {
      return null;
    }
    for (Any a : s.getDetailsList()) {
      if (a.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = a.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(d.getSeconds(), d.getNanos());
        } catch (InvalidProtocolBufferException ignored) {
          return null;
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
