package dev.otelcoljava.distribution;

import dev.otelcoljava.testing.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command with the files a Kubernetes pod has at {@value #SERVICE_ACCOUNT_DIR} ({@code
 * token}, {@code ca.crt}, {@code namespace}), without touching the host: the command runs in a
 * private mount namespace ({@code unshare -m}, plus {@code -r} when not root) where a tmpfs covers
 * {@code /var/run} and the test's own directory is bound at the service account path.
 *
 * <p>In-cluster configs name these files literally, and the prometheus receiver checks that every
 * {@code bearer_token_file}, {@code credentials_file} and {@code ca_file} exists when the config is
 * loaded (as otelcol-contrib does), so such a config is only valid inside a pod.
 *
 * <p>The namespace can also get its own {@code /etc/hosts} (as a pod's cluster DNS or a VPC
 * endpoint would answer), so that a real service host name such as {@code
 * aps-workspaces.us-west-2.amazonaws.com} resolves to a stand-in on 127.0.0.1: the collector then
 * sees the same URL shape as in production (sigv4auth infers service and region from it).
 */
final class PodNamespace {
  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private static final String SETUP = """
      set -e
      if [ -n "$1" ]; then
        run=$(readlink -f /var/run)
        mount -t tmpfs -o mode=755 tmpfs "$run"
        mkdir -p "$run/secrets/kubernetes.io/serviceaccount"
        mount --bind "$1" "$run/secrets/kubernetes.io/serviceaccount"
      fi
      if [ -n "$2" ]; then
        mount --bind "$2" /etc/hosts
      fi
      shift 2
      exec "$@"
      """;

  private PodNamespace() {}

  /** True when the config text names the pod's service account files. */
  static boolean needed(String configText) {
    return configText.contains(SERVICE_ACCOUNT_DIR);
  }

  /**
   * Writes a service account directory under {@code dir}: a token, a CA file and the namespace.
   * The CA is the PEM given (or a placeholder when only the file's existence is checked).
   */
  static Path serviceAccount(Path dir, String token, String caPem, String namespace) throws IOException {
    Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(sa.resolve("token"), token);
    Files.writeString(sa.resolve("ca.crt"), caPem);
    Files.writeString(sa.resolve("namespace"), namespace);
    return sa;
  }

  /** {@code command}, run so that it sees {@code serviceAccount} at {@value #SERVICE_ACCOUNT_DIR}. */
  static List<String> wrap(List<String> command, Path serviceAccount) {
    return wrap(command, serviceAccount, null);
  }

  /**
   * Writes an {@code /etc/hosts} for the namespace under {@code dir}: localhost and each name given
   * on 127.0.0.1.
   */
  static Path hosts(Path dir, List<String> loopbackNames) throws IOException {
    StringBuilder b = new StringBuilder("127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
    for (String n : loopbackNames) {
      b.append("127.0.0.1 ").append(n).append('\n');
    }
    return Files.writeString(dir.resolve("hosts"), b.toString());
  }

  /**
   * {@code command}, run with {@code serviceAccount} (or nothing, if null) at {@value
   * #SERVICE_ACCOUNT_DIR} and {@code hosts} (or the host's, if null) as {@code /etc/hosts}.
   */
  static List<String> wrap(List<String> command, Path serviceAccount, Path hosts) {
    String unshare = ExternalProcess.requireBinary("unshare", "apt-get install -y util-linux");
    List<String> cmd = new ArrayList<>(List.of(unshare));
    if (!"root".equals(System.getProperty("user.name"))) {
      cmd.add("-r"); // needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)
    }
    cmd.addAll(List.of("-m", "sh", "-c", SETUP, "pod-setup",
        serviceAccount == null ? "" : serviceAccount.toAbsolutePath().toString(),
        hosts == null ? "" : hosts.toAbsolutePath().toString()));
    cmd.addAll(command);
    return cmd;
  }
}
