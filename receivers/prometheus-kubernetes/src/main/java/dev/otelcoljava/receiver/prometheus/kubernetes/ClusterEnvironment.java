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
  /** Where the kubelet mounts the pod's service account. */
  public static final String DEFAULT_SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /**
   * JVM system property naming another service account directory (token, ca.crt, namespace), for
   * tests and for runs outside a pod with a copied service account; unset or empty: the default.
   */
  public static final String SERVICE_ACCOUNT_DIR_PROPERTY = "otelcol.kubernetes.serviceaccount.dir";

  /** The real pod environment (the service account directory overridable by {@link #SERVICE_ACCOUNT_DIR_PROPERTY}). */
  public static ClusterEnvironment system() {
    String dir = System.getProperty(SERVICE_ACCOUNT_DIR_PROPERTY, "");
    return new ClusterEnvironment(Path.of(dir.isBlank() ? DEFAULT_SERVICE_ACCOUNT_DIR : dir.trim()), System.getenv());
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
