package dev.otelcoljava.runtime.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The feature gates this collector knows, and which are on. Components read a gate with {@code
 * FeatureGates.global().isEnabled("pkg.translator.prometheus.NormalizeName")} when they are created
 * (and may {@link #register} their own at class initialisation). {@code --feature-gates=+a,-b,c} turns
 * gates on ({@code +a} or {@code a}) and off ({@code -b}); an unknown gate is an error listing the
 * known ones. The process-wide instance is {@link #global()}; components read it at creation.
 * Thread-safe (changes are made once, at start-up, before components are created).
 */
public final class FeatureGates {
  /** A gate: id, default, stage and what it does. */
  public record Gate(String id, boolean enabledByDefault, String stage, String description) {}

  private static final FeatureGates GLOBAL = withDefaults();

  private final Map<String, Gate> gates = new TreeMap<>();
  private final Map<String, Boolean> enabled = new LinkedHashMap<>();

  /** The gates known to the runtime (components may register more). */
  public static FeatureGates withDefaults() {
    FeatureGates g = new FeatureGates();
    g.register(new Gate("confmap.enableMergeAppendOption", false, "alpha",
        "Combines lists when merging several --config sources instead of replacing them."));
    g.register(new Gate("pkg.translator.prometheus.NormalizeName", false, "beta",
        "Adds unit and type suffixes to metric names when translating between OTLP and Prometheus."));
    g.register(new Gate("receiver.prometheusreceiver.RemoveLegacyResourceAttributes", true, "stable",
        "Drops the legacy net.host.port / http.scheme resource attributes of the prometheus receiver."));
    g.register(new Gate("receiver.prometheusreceiver.EnableNativeHistograms", false, "alpha",
        "Scrapes Prometheus native histograms as exponential histograms."));
    g.register(new Gate("exporter.prometheusremotewritexporter.EnableMultipleWorkers", true, "stable",
        "Sends remote-write requests with several workers (num_consumers)."));
    return g;
  }

  public static FeatureGates global() {
    return GLOBAL;
  }

  /** Registers a gate; registering the same id twice keeps the first. */
  public synchronized void register(Gate gate) {
    gates.putIfAbsent(gate.id(), gate);
  }

  public synchronized boolean isEnabled(String id) {
    Boolean b = enabled.get(id);
    if (b != null) {
      return b;
    }
    Gate g = gates.get(id);
    return g != null && g.enabledByDefault();
  }

  public synchronized List<Gate> gates() {
    return List.copyOf(gates.values());
  }

  /**
   * Applies a {@code --feature-gates} value; all-or-nothing.
   *
   * @throws IllegalArgumentException naming each unknown gate and listing the known ones
   */
  public synchronized void apply(String spec) {
    Map<String, Boolean> changes = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (String raw : spec.split(",")) {
      String s = raw.trim();
      if (s.isEmpty()) {
        continue;
      }
      boolean on = true;
      if (s.startsWith("+")) {
        s = s.substring(1);
      } else if (s.startsWith("-")) {
        on = false;
        s = s.substring(1);
      }
      if (!gates.containsKey(s)) {
        errors.add("--feature-gates: no such feature gate \"" + s + "\" (known: " + String.join(", ", gates.keySet()) + ")");
      } else {
        changes.put(s, on);
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    enabled.putAll(changes);
  }
}
