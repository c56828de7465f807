package dev.otelcoljava.receiver.prometheus.kubernetes;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where in-cluster settings come from: the service account directory (token, ca.crt, namespace)
 * and the environment ({@code KUBERNETES_SERVICE_HOST}/{@code _PORT}). Injectable so that tests
 * need no real pod. Immutable.
 *
 * @param serviceAccountDir default {@code /var/run/secrets/kubernetes.io/serviceaccount}
 * @param env the process environment by default
 */
public record ClusterEnvironment(Path serviceAccountDir, Map<String, String> env) {
  /** The real pod environment. */
  public static ClusterEnvironment system() {
    return new ClusterEnvironment(Path.of("/var/run/secrets/kubernetes.io/serviceaccount"), System.getenv());
  }

  Path tokenFile() {
    return serviceAccountDir.resolve("token");
  }

  Path caFile() {
    return serviceAccountDir.resolve("ca.crt");
  }

  Path namespaceFile() {
    return serviceAccountDir.resolve("namespace");
  }
}
