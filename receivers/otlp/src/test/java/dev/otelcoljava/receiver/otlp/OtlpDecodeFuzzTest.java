package dev.otelcoljava.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.otlp.OtlpConverter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing of the OTLP/HTTP receiver's decoding: the bytes of a request body go
 * through {@code ExportMetricsServiceRequest.parseFrom} (protobuf) or {@link OtlpJsonReader#parse}
 * (JSON), and a decoded request through {@link OtlpConverter#fromRequest}, which {@link
 * ExportHandler} calls outside any catch. Properties:
 *
 * <ul>
 *   <li>random requests (every metric type, empty and inconsistent data points: bucket counts that
 *       do not match the bounds, unset values, huge scales and offsets, odd trace id lengths, deeply
 *       nested attribute values) survive protobuf and OTLP/JSON round trips unchanged, and convert
 *       without an exception; converting back and again gives the same request;
 *   <li>random mutations of such encodings (bytes for protobuf, text for JSON) and arbitrary bytes
 *       either fail with the IOException the handler answers 400 to, or decode to a request that
 *       converts without an exception; each input within {@link #PER_INPUT_SECONDS}.
 * </ul>
 *
 * Tries per property: {@code jqwik.tries.default} (src/test/resources/junit-platform.properties;
 * see scripts/README.md for the long run).
 */
class OtlpDecodeFuzzTest {
  static final long PER_INPUT_SECONDS = 5;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "otlp-fuzz");
    t.setDaemon(true);
    return t;
  });

  @AfterContainer
  static void stopRunner() {
    RUNNER.shutdownNow();
  }

  // ---- properties ---------------------------------------------------------------------------

  @Property
  void protobufRoundTrip_sameRequest_converts(@ForAll("requests") ExportMetricsServiceRequest req) throws Exception {
    ExportMetricsServiceRequest back = ExportMetricsServiceRequest.parseFrom(req.toByteArray());
    assertThat(back).isEqualTo(req);
    assertConverts(back);
  }

  /**
   * The receiver's JSON reader (a Jackson pass that turns hex ids into base64, then protobuf's
   * JsonFormat) reads what a client writes exactly as protobuf's own JSON mapping reads it: same
   * request. (Protobuf's JsonFormat itself reads -0.0 as 0.0, so the expectation is its own
   * round trip, not the original.)
   */
  @Property
  void jsonRoundTrip_sameRequest(@ForAll("requests") ExportMetricsServiceRequest req) throws Exception {
    byte[] json = otlpJson(req);
    ExportMetricsServiceRequest back = bounded(() -> OtlpJsonReader.parse(json), json);
    ExportMetricsServiceRequest.Builder expected = ExportMetricsServiceRequest.newBuilder();
    JsonFormat.parser().merge(JsonFormat.printer().print(req), expected);
    assertThat(back).as("from %s", new String(json, StandardCharsets.UTF_8)).isEqualTo(expected.build());
    assertConverts(back);
  }

  @Property
  void mutatedProtobuf_ioExceptionOrConverts(@ForAll("requests") ExportMetricsServiceRequest req, @ForAll("mutations") List<Mutation> ms) {
    byte[] body = req.toByteArray();
    for (Mutation m : ms) {
      body = m.apply(body);
    }
    decodeOrIoException(body, false);
  }

  @Property
  void mutatedJson_ioExceptionOrConverts(@ForAll("requests") ExportMetricsServiceRequest req, @ForAll("mutations") List<Mutation> ms)
      throws IOException {
    byte[] body = otlpJson(req);
    for (Mutation m : ms) {
      body = m.apply(body);
    }
    decodeOrIoException(body, true);
  }

  @Property
  void anyBytes_ioExceptionOrConverts(@ForAll("anyBodies") byte[] body, @ForAll boolean json) {
    decodeOrIoException(body, json);
  }

  // ---- checks -------------------------------------------------------------------------------

  static void decodeOrIoException(byte[] body, boolean json) {
    bounded(() -> {
      ExportMetricsServiceRequest req;
      try {
        req = json ? OtlpJsonReader.parse(body) : ExportMetricsServiceRequest.parseFrom(body);
      } catch (IOException expected) {
        return null;
      }
      OtlpConverter.fromRequest(req);
      return null;
    }, body);
  }

  static void assertConverts(ExportMetricsServiceRequest req) {
    MetricsBatch b = bounded(() -> OtlpConverter.fromRequest(req), req.toByteArray());
    ExportMetricsServiceRequest again = OtlpConverter.toRequest(b);
    assertThat(OtlpConverter.toRequest(OtlpConverter.fromRequest(again))).isEqualTo(again);
  }

  /** Runs the work on the fuzz thread; any exception or a run over the time bound fails with the input. */
  static <T> T bounded(Callable<T> work, byte[] input) {
    Future<T> f = RUNNER.submit(work);
    try {
      return f.get(PER_INPUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("no result within " + PER_INPUT_SECONDS + " s for input " + hex(input));
    } catch (ExecutionException e) {
      throw new AssertionError("input " + hex(input) + " threw " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static String hex(byte[] b) {
    return b.length + " bytes: " + HexFormat.of().formatHex(b, 0, Math.min(b.length, 4096)) + (b.length > 4096 ? "..." : "");
  }

  /** OTLP/JSON as a client sends it: protobuf's JSON mapping with trace and span ids in hex. */
  static byte[] otlpJson(ExportMetricsServiceRequest req) throws IOException {
    JsonNode tree = MAPPER.readTree(OtlpJsonReader.print(req));
    base64IdsToHex(tree);
    return MAPPER.writeValueAsBytes(tree);
  }

  static void base64IdsToHex(JsonNode n) {
    if (n instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual() && (e.getKey().equals("traceId") || e.getKey().equals("spanId"))) {
          e.setValue(o.textNode(HexFormat.of().formatHex(Base64.getDecoder().decode(e.getValue().asText()))));
        } else {
          base64IdsToHex(e.getValue());
        }
      }
    } else if (n.isArray()) {
      n.forEach(OtlpDecodeFuzzTest::base64IdsToHex);
    }
  }

  // ---- generators ---------------------------------------------------------------------------

  record Mutation(int kind, double where, int n, byte value) {
    byte[] apply(byte[] in) {
      int at = (int) (where * in.length);
      List<Byte> l = new ArrayList<>(in.length + n);
      for (byte x : in) {
        l.add(x);
      }
      byte[] interesting = "{}[]\":,0-9e\\u00ff\u0001".getBytes(StandardCharsets.ISO_8859_1);
      switch (kind) {
        case 0 -> {
          if (at < l.size()) {
            l.set(at, value);
          }
        }
        case 1 -> l.add(Math.min(at, l.size()), interesting[Math.floorMod(value, interesting.length)]);
        case 2 -> {
          for (int i = 0; i < n && at < l.size(); i++) {
            l.remove(at);
          }
        }
        case 3 -> {
          int e = Math.min(l.size(), at + n);
          l.addAll(e, new ArrayList<>(l.subList(Math.min(at, e), e)));
        }
        case 4 -> {
          return java.util.Arrays.copyOf(in, at);
        }
        default -> { // a varint-ish byte run: large lengths and field tags
          for (int i = 0; i < Math.min(n, 10); i++) {
            l.add(Math.min(at, l.size()), (byte) (value | 0x80));
          }
        }
      }
      byte[] out = new byte[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = l.get(i);
      }
      return out;
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.doubles().between(0, 1),
            Arbitraries.integers().between(1, 32), Arbitraries.bytes())
        .as(Mutation::new).list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<byte[]> anyBodies() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.strings().withChars("{}[]\":,.-+0123456789eEtrufalsn \\resourceMetricsscopeMetricsgaugedataPointsasDoubletimeUnixNano")
            .ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  /** Requests built from a random seed (jqwik shrinks the seed; the structure comes from java.util.Random). */
  @Provide
  Arbitrary<ExportMetricsServiceRequest> requests() {
    return Arbitraries.longs().map(seed -> randomRequest(new Random(seed)));
  }

  static ExportMetricsServiceRequest randomRequest(Random r) {
    ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
    for (int i = r.nextInt(3); i >= 0; i--) {
      ResourceMetrics.Builder rm = ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAllAttributes(attrs(r, 2)));
      if (r.nextInt(4) == 0) {
        rm.setSchemaUrl(text(r));
      }
      for (int j = r.nextInt(3); j > 0; j--) {
        ScopeMetrics.Builder sm = ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName(text(r)).setVersion(text(r)).addAllAttributes(attrs(r, 1)));
        for (int k = r.nextInt(4); k > 0; k--) {
          sm.addMetrics(metric(r));
        }
        rm.addScopeMetrics(sm);
      }
      req.addResourceMetrics(rm);
    }
    return req.build();
  }

  static Metric metric(Random r) {
    Metric.Builder m = Metric.newBuilder().setName(text(r)).setDescription(r.nextBoolean() ? "" : text(r)).setUnit(r.nextBoolean() ? "" : text(r));
    if (r.nextInt(5) == 0) {
      m.addAllMetadata(attrs(r, 1));
    }
    int n = r.nextInt(4);
    switch (r.nextInt(7)) {
      case 0 -> {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < n; i++) {
          g.addDataPoints(number(r));
        }
        m.setGauge(g);
      }
      case 1 -> {
        Sum.Builder s = Sum.newBuilder().setAggregationTemporality(temporality(r)).setIsMonotonic(r.nextBoolean());
        for (int i = 0; i < n; i++) {
          s.addDataPoints(number(r));
        }
        m.setSum(s);
      }
      case 2 -> {
        Histogram.Builder h = Histogram.newBuilder().setAggregationTemporality(temporality(r));
        for (int i = 0; i < n; i++) {
          h.addDataPoints(histogram(r));
        }
        m.setHistogram(h);
      }
      case 3 -> {
        ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder().setAggregationTemporality(temporality(r));
        for (int i = 0; i < n; i++) {
          h.addDataPoints(exponential(r));
        }
        m.setExponentialHistogram(h);
      }
      case 4 -> {
        Summary.Builder s = Summary.newBuilder();
        for (int i = 0; i < n; i++) {
          SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder().addAllAttributes(attrs(r, 1))
              .setStartTimeUnixNano(time(r)).setTimeUnixNano(time(r)).setCount(count(r)).setSum(dbl(r)).setFlags(r.nextInt(3));
          for (int q = r.nextInt(5); q > 0; q--) {
            p.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(dbl(r)).setValue(dbl(r)));
          }
          s.addDataPoints(p);
        }
        m.setSummary(s);
      }
      default -> {} // no data: a metric with DATA_NOT_SET
    }
    return m.build();
  }

  static NumberDataPoint number(Random r) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().addAllAttributes(attrs(r, 3))
        .setStartTimeUnixNano(time(r)).setTimeUnixNano(time(r)).setFlags(r.nextInt(3));
    switch (r.nextInt(3)) {
      case 0 -> p.setAsDouble(dbl(r));
      case 1 -> p.setAsInt(r.nextBoolean() ? r.nextLong() : r.nextInt(100));
      default -> {} // value unset
    }
    for (int i = r.nextInt(3); i > 0 && r.nextInt(3) == 0; i--) {
      p.addExemplars(exemplar(r));
    }
    return p.build();
  }

  static HistogramDataPoint histogram(Random r) {
    HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().addAllAttributes(attrs(r, 2))
        .setStartTimeUnixNano(time(r)).setTimeUnixNano(time(r)).setCount(count(r)).setFlags(r.nextInt(3));
    int bounds = r.nextInt(6);
    for (int i = 0; i < bounds; i++) {
      p.addExplicitBounds(r.nextInt(8) == 0 ? dbl(r) : i * 0.5);
    }
    // usually bounds + 1 counts; sometimes none, fewer or more (invalid, but it arrives)
    int counts = switch (r.nextInt(6)) {
      case 0 -> 0;
      case 1 -> r.nextInt(8);
      default -> bounds + 1;
    };
    for (int i = 0; i < counts; i++) {
      p.addBucketCounts(count(r));
    }
    if (r.nextBoolean()) {
      p.setSum(dbl(r));
    }
    if (r.nextInt(3) == 0) {
      p.setMin(dbl(r)).setMax(dbl(r));
    }
    if (r.nextInt(4) == 0) {
      p.addExemplars(exemplar(r));
    }
    return p.build();
  }

  static ExponentialHistogramDataPoint exponential(Random r) {
    ExponentialHistogramDataPoint.Builder p = ExponentialHistogramDataPoint.newBuilder().addAllAttributes(attrs(r, 2))
        .setStartTimeUnixNano(time(r)).setTimeUnixNano(time(r)).setCount(count(r)).setFlags(r.nextInt(3))
        .setScale(r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(41) - 10).setZeroCount(count(r))
        .setZeroThreshold(r.nextBoolean() ? 0 : dbl(r));
    for (boolean positive : new boolean[] {true, false}) {
      if (r.nextInt(3) == 0) {
        continue;
      }
      ExponentialHistogramDataPoint.Buckets.Builder b = ExponentialHistogramDataPoint.Buckets.newBuilder()
          .setOffset(r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(40) - 20);
      for (int i = r.nextInt(6); i > 0; i--) {
        b.addBucketCounts(count(r));
      }
      if (positive) {
        p.setPositive(b);
      } else {
        p.setNegative(b);
      }
    }
    if (r.nextBoolean()) {
      p.setSum(dbl(r));
    }
    if (r.nextInt(3) == 0) {
      p.setMin(dbl(r)).setMax(dbl(r));
    }
    return p.build();
  }

  static Exemplar exemplar(Random r) {
    Exemplar.Builder e = Exemplar.newBuilder().addAllFilteredAttributes(attrs(r, 1)).setTimeUnixNano(time(r));
    if (r.nextBoolean()) {
      e.setAsDouble(dbl(r));
    } else {
      e.setAsInt(r.nextLong());
    }
    if (r.nextBoolean()) {
      e.setTraceId(bytes(r, r.nextInt(4) == 0 ? r.nextInt(20) : 16));
      e.setSpanId(bytes(r, r.nextInt(4) == 0 ? r.nextInt(12) : 8));
    }
    return e.build();
  }

  static List<KeyValue> attrs(Random r, int max) {
    List<KeyValue> out = new ArrayList<>();
    for (int i = r.nextInt(max + 1); i > 0; i--) {
      out.add(KeyValue.newBuilder().setKey(r.nextInt(6) == 0 ? "k" : text(r)).setValue(anyValue(r, 0)).build());
    }
    return out;
  }

  static AnyValue anyValue(Random r, int depth) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (r.nextInt(depth > 3 ? 5 : 8)) {
      case 0 -> v.setStringValue(text(r));
      case 1 -> v.setBoolValue(r.nextBoolean());
      case 2 -> v.setIntValue(r.nextLong());
      case 3 -> v.setDoubleValue(dbl(r));
      case 4 -> {} // unset
      case 5 -> v.setBytesValue(bytes(r, r.nextInt(5)));
      case 6 -> {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
          a.addValues(anyValue(r, depth + 1));
        }
        v.setArrayValue(a);
      }
      default -> {
        KeyValueList.Builder kv = KeyValueList.newBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
          kv.addValues(KeyValue.newBuilder().setKey(text(r)).setValue(anyValue(r, depth + 1)));
        }
        v.setKvlistValue(kv);
      }
    }
    return v.build();
  }

  static final String[] TEXTS = {"", "a", "http.server.duration", "service.name", "\u00e9\u00e8", "\uD83D\uDE00", "a\nb", "\"q\"", "k"};

  static String text(Random r) {
    if (r.nextInt(4) > 0) {
      return TEXTS[r.nextInt(TEXTS.length)];
    }
    StringBuilder sb = new StringBuilder();
    for (int i = r.nextInt(12); i > 0; i--) {
      sb.appendCodePoint(r.nextInt(3) == 0 ? 0x20 + r.nextInt(0x2000) : 'a' + r.nextInt(26));
    }
    return sb.toString();
  }

  static double dbl(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> -0.0;
      case 4 -> Double.longBitsToDouble(r.nextLong());
      default -> r.nextGaussian() * 1000;
    };
  }

  static long time(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> 0;
      case 1 -> r.nextLong();
      default -> 1_700_000_000_000_000_000L + r.nextInt(1_000_000);
    };
  }

  static AggregationTemporality temporality(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      case 1 -> AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
      default -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    };
  }

  static long count(Random r) {
    return r.nextInt(6) == 0 ? r.nextLong() : r.nextInt(1000);
  }

  static ByteString bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return ByteString.copyFrom(b);
  }
}
