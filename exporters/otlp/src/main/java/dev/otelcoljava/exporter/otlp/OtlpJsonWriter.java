package dev.otelcoljava.exporter.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes OTLP/JSON: protobuf's JSON mapping with lowerCamelCase names, except that trace and span
 * ids are hex strings (protobuf would write base64). Thread-safe.
 */
final class OtlpJsonWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJsonWriter() {}

  static byte[] write(ExportMetricsServiceRequest request) throws IOException {
    JsonNode tree = MAPPER.readTree(PRINTER.print(request));
    base64IdsToHex(tree);
    return MAPPER.writeValueAsBytes(tree);
  }

  private static void base64IdsToHex(JsonNode n) {
    if (n.isObject()) {
      ObjectNode o = (ObjectNode) n;
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
      for (JsonNode c : n) {
        base64IdsToHex(c);
      }
    }
  }
}
