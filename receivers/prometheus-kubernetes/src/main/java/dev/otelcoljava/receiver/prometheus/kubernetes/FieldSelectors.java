package dev.otelcoljava.receiver.prometheus.kubernetes;

import io.fabric8.kubernetes.client.dsl.Filterable;

/**
 * Applies a Kubernetes field selector string ({@code spec.nodeName=node-1,status.phase!=Failed};
 * {@code =}, {@code ==} and {@code !=}) to a fabric8 list/watch operation.
 */
final class FieldSelectors {
  private FieldSelectors() {}

  static <F extends Filterable<F>> F apply(F op, String selector) {
    F f = op;
    for (String part : selector.split(",")) {
      String term = part.trim();
      if (term.isEmpty()) {
        continue;
      }
      int ne = term.indexOf("!=");
      if (ne > 0) {
        f = f.withoutField(term.substring(0, ne).trim(), term.substring(ne + 2).trim());
        continue;
      }
      int eq = term.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "kubernetes_sd_configs: selectors: field selector \"" + selector + "\" is invalid: term \"" + term
                + "\" must be key=value, key==value or key!=value");
      }
      String value = term.substring(eq + 1);
      if (value.startsWith("=")) {
        value = value.substring(1);
      }
      f = f.withField(term.substring(0, eq).trim(), value.trim());
    }
    return f;
  }
}
