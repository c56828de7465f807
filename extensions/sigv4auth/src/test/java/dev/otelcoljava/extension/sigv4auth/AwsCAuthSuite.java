package dev.otelcoljava.extension.sigv4auth;

import dev.otelcoljava.testing.aws.SigV4Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the aws-c-auth v4 signing test suite kept under {@code vectors/v4/} (test data, see
 * vectors/README.md): the case list, each case's published files, and the suite's signed-request
 * text form ({@code METHOD target HTTP/1.1}, {@code Name:value} header lines, a continuation line
 * starting with white space being a further value of the header above, a blank line, the body).
 */
final class AwsCAuthSuite {
  static final String BASE = "/dev/otelcoljava/extension/sigv4auth/vectors/v4/";

  private AwsCAuthSuite() {}

  /** One case: its name, its context's {@code normalize}, and the files it shares with another case. */
  record Case(String name, boolean normalize, Map<String, String> sharedFiles) {
    @Override
    public String toString() {
      return name;
    }

    /** A published file of this case (or the byte-identical file of the case it shares it with), or null. */
    String file(String file) throws IOException {
      String owner = sharedFiles.getOrDefault(file, name);
      return resource(owner + "/" + file);
    }
  }

  /** A request in the suite's text form; path and query exactly as written (not yet URI-encoded). */
  record Request(String method, String path, String query, List<SigV4Verifier.Header> headers, byte[] body) {
    String header(String name) {
      for (SigV4Verifier.Header h : headers) {
        if (h.name().equalsIgnoreCase(name)) {
          return h.value();
        }
      }
      return null;
    }

    /** The headers without those named (case-insensitively). */
    List<SigV4Verifier.Header> without(String... names) {
      List<SigV4Verifier.Header> out = new ArrayList<>();
      outer:
      for (SigV4Verifier.Header h : headers) {
        for (String n : names) {
          if (h.name().equalsIgnoreCase(n)) {
            continue outer;
          }
        }
        out.add(h);
      }
      return out;
    }
  }

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (String line : resource("cases.txt").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      Map<String, String> shared = new LinkedHashMap<>();
      if (f.length > 2) {
        for (String kv : f[2].split(",")) {
          int eq = kv.indexOf('=');
          shared.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      out.add(new Case(f[0], Boolean.parseBoolean(f[1]), shared));
    }
    return out;
  }

  static String resource(String path) throws IOException {
    try (InputStream in = AwsCAuthSuite.class.getResourceAsStream(BASE + path)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Request parse(String text) {
    int blank = text.indexOf("\n\n");
    String head = blank < 0 ? text : text.substring(0, blank);
    byte[] body = blank < 0 ? new byte[0] : text.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
    String[] lines = head.split("\n");
    String[] requestLine = lines[0].split(" ");
    // the target may hold a space ("/example space/"): method first, protocol last
    String target = lines[0].substring(requestLine[0].length() + 1, lines[0].lastIndexOf(' '));
    int q = target.indexOf('?');
    List<SigV4Verifier.Header> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      if (!l.isEmpty() && (l.charAt(0) == ' ' || l.charAt(0) == '\t')) {
        headers.add(new SigV4Verifier.Header(headers.get(headers.size() - 1).name(), l));
        continue;
      }
      int colon = l.indexOf(':');
      headers.add(new SigV4Verifier.Header(l.substring(0, colon), l.substring(colon + 1)));
    }
    return new Request(requestLine[0], q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1),
        headers, body);
  }

  /** Splits a raw query into its parameters, in order, as written. */
  static List<String[]> params(String rawQuery) {
    List<String[]> out = new ArrayList<>();
    if (rawQuery == null) {
      return out;
    }
    for (String p : rawQuery.split("&")) {
      int eq = p.indexOf('=');
      out.add(new String[] {eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1)});
    }
    return out;
  }

  /** Percent-encodes what a URI may not carry as written (space, non-ASCII), keeping escapes and delimiters. */
  static String uriEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~/%=&".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return sb.toString();
  }
}
