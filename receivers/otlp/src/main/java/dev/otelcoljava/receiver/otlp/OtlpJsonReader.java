package dev.otelcoljava.receiver.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads OTLP/JSON: protobuf's JSON mapping (lowerCamelCase or original field names, enums by name
 * or number, 64-bit integers as strings or numbers, unknown fields ignored) except that trace and
 * span ids are hex strings, not base64. Those are rewritten in a Jackson tree before protobuf's
 * JsonFormat parses it. Thread-safe.
 */
final class OtlpJsonReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private OtlpJsonReader() {}

  static ExportMetricsServiceRequest parse(byte[] json) throws IOException {
    JsonNode tree = MAPPER.readTree(json);
    if (tree == null || !tree.isObject()) {
      throw new InvalidProtocolBufferException("expected a JSON object");
    }
    hexIdsToBase64(tree);
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    PARSER.merge(MAPPER.writeValueAsString(tree), b);
    return b.build();
  }

  static String print(com.google.protobuf.MessageOrBuilder m) throws InvalidProtocolBufferException {
    return JsonFormat.printer().omittingInsignificantWhitespace().print(m);
  }

  private static void hexIdsToBase64(JsonNode n) throws InvalidProtocolBufferException {
    if (n.isObject()) {
      ObjectNode o = (ObjectNode) n;
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String k = e.getKey();
        JsonNode v = e.getValue();
        if (v.isTextual() && (k.equals("traceId") || k.equals("spanId") || k.equals("trace_id") || k.equals("span_id"))) {
          try {
            e.setValue(o.textNode(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(v.asText()))));
          } catch (IllegalArgumentException bad) {
            throw new InvalidProtocolBufferException(k + " \"" + v.asText() + "\" is not a hex string");
          }
        } else {
          hexIdsToBase64(v);
        }
      }
    } else if (n.isArray()) {
      for (JsonNode c : n) {
        hexIdsToBase64(c);
      }
    }
  }
}
