package dev.otelcoljava.testing.peers;

import dev.otelcoljava.testing.ExternalProcess;
import dev.otelcoljava.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real moto server ({@code moto_server} from PyPI {@code moto[server]}) on a free loopback port:
 * one endpoint for every mocked AWS service (CloudWatch Logs, STS, ...). Moto accepts any
 * credentials. Use {@link #endpoint()} as the SDK endpoint override.
 */
public final class MotoServer implements AutoCloseable {
  public static final String INSTALL = "pip install 'moto[server]'";
  /** Credentials the SDK needs to sign requests to moto (any value is accepted). */
  public static final String ACCESS_KEY = "AKIDMOTOTEST";
  public static final String SECRET_KEY = "moto-test-secret";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ExternalProcess process;
  private final int port;

  private MotoServer(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts moto with its log under {@code workDir} and waits until it answers. */
  public static MotoServer start(Path workDir) {
    String bin = ExternalProcess.requireBinary("moto_server", INSTALL);
    int port = FreePorts.find();
    ExternalProcess p = ExternalProcess.start("moto-server-" + port, List.of(bin, "-H", "127.0.0.1", "-p", Integer.toString(port)),
        workDir, Map.of("PYTHONUNBUFFERED", "1"));
    try {
      p.awaitHttpOk("http://127.0.0.1:" + port + "/moto-api/", Duration.ofSeconds(60));
    } catch (AssertionError e) {
      p.close();
      throw e;
    }
    return new MotoServer(p, port);
  }

  public int port() {
    return port;
  }

  /** The endpoint override for SDK clients, e.g. {@code http://127.0.0.1:4566}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public URI endpointUri() {
    return URI.create(endpoint());
  }

  /** Forgets all state (log groups, roles, ...). */
  public void reset() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("moto reset answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new AssertionError("moto reset failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * The secret key moto's STS issued with {@code accessKeyId} (AssumeRole or
   * AssumeRoleWithWebIdentity, read from moto's state dump {@code /moto-api/data.json}), or null.
   */
  public String assumedRoleSecret(String accessKeyId) {
    return assumedRoleField(accessKeyId, "secret_access_key");
  }

  /** The role ARN moto's STS issued {@code accessKeyId} for, or null. */
  public String assumedRoleArn(String accessKeyId) {
    return assumedRoleField(accessKeyId, "role_arn");
  }

  private String assumedRoleField(String accessKeyId, String field) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/data.json")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      java.util.regex.Matcher objects = java.util.regex.Pattern.compile("\\{[^{}]*\"access_key_id\":\\s*\""
          + java.util.regex.Pattern.quote(accessKeyId) + "\"[^{}]*}").matcher(r.body());
      if (!objects.find()) {
        return null;
      }
      java.util.regex.Matcher f = java.util.regex.Pattern.compile("\"" + field + "\":\\s*\"([^\"]*)\"").matcher(objects.group());
      return f.find() ? f.group(1) : null;
    } catch (IOException e) {
      throw new AssertionError("moto data.json failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public String logText() {
    return process.logText();
  }

  @Override
  public void close() {
    process.close();
  }
}
