package dev.otelcoljava.extension.sigv4auth;

/**
 * Infers the SigV4 signing name and region from a request host, as otelcol-contrib's
 * sigv4authextension does: {@code aps-workspaces.<region>.amazonaws.com} is {@code aps}, {@code
 * search-<domain>.<region>.es.amazonaws.com} is {@code es}, and {@code logs.}, {@code xray.} and
 * {@code monitoring.} hosts name their service; the region is the second DNS label.
 */
record ServiceRegion(String service, String region) {

  /** The inferred pair; either part is empty when it cannot be inferred. */
  static ServiceRegion infer(String host) {
    if (host == null) {
      return new ServiceRegion("", "");
    }
    String service = "";
    if (host.startsWith("aps-workspaces")) {
      service = "aps";
    } else if (host.startsWith("search-")) {
      service = "es";
    } else if (host.startsWith("logs.")) {
      service = "logs";
    } else if (host.startsWith("xray.")) {
      service = "xray";
    } else if (host.startsWith("monitoring.")) {
      service = "monitoring";
    }
    String region = "";
    if (!service.isEmpty()) {
      int first = host.indexOf('.');
      int second = first < 0 ? -1 : host.indexOf('.', first + 1);
      if (second > first + 1) {
        region = host.substring(first + 1, second);
      }
    }
    return new ServiceRegion(service, region);
  }
}
