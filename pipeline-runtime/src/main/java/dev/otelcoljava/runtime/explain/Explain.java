package dev.otelcoljava.runtime.explain;

import dev.otelcoljava.runtime.api.ComponentId;
import dev.otelcoljava.runtime.api.ExporterPreview;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code explain} report: runs recorded inputs through an {@link OfflinePipeline} and tells,
 * stage by stage, what the receiver produced, what each processor changed (metrics added, removed,
 * renamed, retyped, points dropped, labels and resource attributes added or removed) and what each
 * exporter would send. Deterministic for given inputs and times.
 */
public final class Explain {
  private static final int WRAP = 110;

  private Explain() {}

  /** One recorded input: a display name and its bytes. */
  public record Input(String name, byte[] content) {}

  /**
   * Feeds the inputs (input i at {@code startMillis + i * interval}), shuts the pipeline down and
   * renders the report.
   *
   * @param maxItems how many items (EMF events, series) to print per exporter and phase
   */
  public static String run(OfflinePipeline p, List<Input> inputs, long startMillis, int maxItems) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("pipeline ").append(p.pipelineId()).append(": receiver ").append(p.receiverDescription()).append('\n');
    out.append("  processors: ").append(p.processorIds().isEmpty() ? "(none)" : join(p.processorIds())).append('\n');
    out.append("  exporters: ").append(join(p.exporterIds())).append('\n');
    List<String> errors = new ArrayList<>();
    long step = p.interval().toMillis();
    for (int i = 0; i < inputs.size(); i++) {
      try {
        p.feed(inputs.get(i).content(), startMillis + i * step);
      } catch (Exception e) {
        errors.add("input " + (i + 1) + " (" + inputs.get(i).name() + "): " + e.getMessage());
      }
    }
    p.finish(Duration.ofSeconds(10));
    List<OfflinePipeline.Output> outs = p.outputs();
    int stages = p.processorIds().size();
    List<Integer> phases = new ArrayList<>();
    for (int i = 1; i <= inputs.size(); i++) {
      phases.add(i);
    }
    phases.add(OfflinePipeline.SHUTDOWN);
    for (int phase : phases) {
      List<List<MetricsBatch>> byStage = new ArrayList<>();
      for (int s = 0; s <= stages; s++) {
        byStage.add(new ArrayList<>());
      }
      boolean any = false;
      for (OfflinePipeline.Output o : outs) {
        if (o.phase() == phase) {
          byStage.get(o.stage()).add(o.batch());
          any = true;
        }
      }
      out.append('\n');
      if (phase == OfflinePipeline.SHUTDOWN) {
        if (!any) {
          out.append("== shutdown: no processor held data\n");
          continue;
        }
        out.append("== shutdown: processors release what they hold\n");
      } else {
        Input in = inputs.get(phase - 1);
        out.append("== input ").append(phase).append(": ").append(in.name()).append(" at ")
            .append(Instant.ofEpochMilli(startMillis + (phase - 1) * step)).append('\n');
        Summary r = Summary.of(byStage.get(0));
        out.append("receiver ").append(p.receiverId()).append(": ");
        if (byStage.get(0).isEmpty()) {
          out.append("produced nothing\n");
        } else {
          out.append("produced ").append(r.metrics.size()).append(" metrics, ").append(r.points).append(" points");
          out.append(" in ").append(r.resources).append(r.resources == 1 ? " resource" : " resources").append('\n');
          List<String> names = new ArrayList<>(r.metrics.keySet());
          List<String> few = new ArrayList<>(names.subList(0, Math.min(8, names.size())));
          if (names.size() > 8) {
            few.add("...");
          }
          list(out, "metrics, first " + Math.min(8, names.size()) + " of " + names.size(), few, null, true);
          list(out, "resource attributes", r.resourceAttrs(), null);
        }
      }
      for (int s = 1; s <= stages; s++) {
        List<MetricsBatch> in = byStage.get(s - 1);
        List<MetricsBatch> o = byStage.get(s);
        ComponentId id = p.processorIds().get(s - 1);
        if (in.isEmpty() && o.isEmpty()) {
          continue;
        }
        out.append("processor ").append(id).append(": ");
        if (o.isEmpty()) {
          Summary si = Summary.of(in);
          out.append("in ").append(si.metrics.size()).append(" metrics, ").append(si.points)
              .append(" points; passed nothing on in this phase (held, or all dropped)\n");
          continue;
        }
        if (in.isEmpty()) {
          Summary so = Summary.of(o);
          out.append("released ").append(o.size()).append(o.size() == 1 ? " batch, " : " batches, ")
              .append(so.metrics.size()).append(" metrics, ").append(so.points).append(" points\n");
          continue;
        }
        diff(Summary.of(in), Summary.of(o), in.size(), o.size(), out);
      }
      List<MetricsBatch> last = byStage.get(stages);
      if (!last.isEmpty()) {
        for (ComponentId e : p.exporterIds()) {
          ExporterPreview.Previewer pv = p.previewers().get(e);
          out.append("exporter ").append(e).append(": ");
          if (pv == null) {
            Summary so = Summary.of(last);
            out.append("would get ").append(so.metrics.size()).append(" metrics, ").append(so.points)
                .append(" points (no preview for this exporter type)\n");
            continue;
          }
          for (int i = 0; i < last.size(); i++) {
            List<String> lines = pv.preview(last.get(i).deepCopy());
            if (last.size() > 1) {
              out.append(i == 0 ? "" : "  ").append("batch ").append(i + 1).append(" of ").append(last.size())
                  .append(": ");
            }
            out.append(lines.isEmpty() ? "nothing" : lines.get(0)).append('\n');
            items(lines.size() > 1 ? lines.subList(1, lines.size()) : List.of(), maxItems, out);
          }
        }
      }
    }
    for (String e : errors) {
      out.append("error: ").append(e).append('\n');
    }
    return out.toString();
  }

  private static void items(List<String> items, int maxItems, StringBuilder out) {
    int n = Math.min(items.size(), maxItems);
    for (int i = 0; i < n; i++) {
      out.append("  ").append(items.get(i)).append('\n');
    }
    if (items.size() > n) {
      out.append("  ... ").append(items.size() - n).append(" more (raise --max-items to see them)\n");
    }
  }

  private static void diff(Summary in, Summary out, int batchesIn, int batchesOut, StringBuilder sb) {
    sb.append(in.metrics.size()).append(" -> ").append(out.metrics.size()).append(" metrics, ")
        .append(in.points).append(" -> ").append(out.points).append(" points");
    if (batchesIn != batchesOut) {
      sb.append(", ").append(batchesIn).append(" -> ").append(batchesOut).append(" batches");
    }
    sb.append('\n');
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    for (String n : in.metrics.keySet()) {
      if (!out.metrics.containsKey(n)) {
        removed.add(n);
      }
    }
    for (String n : out.metrics.keySet()) {
      if (!in.metrics.containsKey(n)) {
        added.add(n);
      }
    }
    // a removed and an added metric of the same shape (type, points) in order: a rename
    List<String> renamed = new ArrayList<>();
    Iterator<String> ri = removed.iterator();
    while (ri.hasNext()) {
      String r = ri.next();
      MInfo a = in.metrics.get(r);
      for (Iterator<String> ai = added.iterator(); ai.hasNext(); ) {
        String n = ai.next();
        MInfo b = out.metrics.get(n);
        if (a.type.equals(b.type) && a.points == b.points && r.endsWith(n.substring(n.indexOf('_') + 1))) {
          renamed.add(r + " -> " + n);
          ai.remove();
          ri.remove();
          break;
        }
      }
    }
    boolean changed = false;
    changed |= list(sb, "renamed", renamed, null);
    changed |= list(sb, "added", added, out);
    changed |= list(sb, "removed", removed, in);
    List<String> retyped = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    List<String> units = new ArrayList<>();
    for (Map.Entry<String, MInfo> e : in.metrics.entrySet()) {
      MInfo b = out.metrics.get(e.getKey());
      if (b == null) {
        continue;
      }
      MInfo a = e.getValue();
      if (!a.type.equals(b.type)) {
        retyped.add(e.getKey() + " " + a.type + " -> " + b.type);
      }
      if (a.points != b.points) {
        counts.add(e.getKey() + " " + a.points + " -> " + b.points);
      }
      if (!a.unit.equals(b.unit)) {
        units.add(e.getKey() + " \"" + a.unit + "\" -> \"" + b.unit + "\"");
      }
    }
    changed |= list(sb, "type changed", retyped, null);
    changed |= list(sb, "points changed", counts, null);
    changed |= list(sb, "unit changed", units, null);
    TreeSet<String> labelsAdded = new TreeSet<>(out.labelKeys);
    labelsAdded.removeAll(in.labelKeys);
    TreeSet<String> labelsRemoved = new TreeSet<>(in.labelKeys);
    labelsRemoved.removeAll(out.labelKeys);
    changed |= list(sb, "labels added", new ArrayList<>(labelsAdded), null);
    changed |= list(sb, "labels removed", new ArrayList<>(labelsRemoved), null);
    List<String> resAdded = new ArrayList<>();
    for (Map.Entry<String, TreeSet<String>> e : out.resourceValues.entrySet()) {
      if (!in.resourceValues.containsKey(e.getKey())) {
        resAdded.add(e.getKey() + "=" + (e.getValue().size() == 1 ? e.getValue().first() : e.getValue().size() + " values"));
      }
    }
    List<String> resRemoved = new ArrayList<>();
    for (String k : in.resourceValues.keySet()) {
      if (!out.resourceValues.containsKey(k)) {
        resRemoved.add(k);
      }
    }
    changed |= list(sb, "resource attributes added", resAdded, null);
    changed |= list(sb, "resource attributes removed", resRemoved, null);
    if (!changed) {
      sb.append("  no metric, label or resource change\n");
    }
  }

  private static boolean list(StringBuilder sb, String what, List<String> items, Summary withPoints) {
    return list(sb, what + " (" + items.size() + ")", items, withPoints, true);
  }

  private static boolean list(StringBuilder sb, String what, List<String> items, Summary withPoints, boolean unused) {
    if (items.isEmpty()) {
      return false;
    }
    String head = "  " + what + ": ";
    StringBuilder line = new StringBuilder(head);
    String indent = "      ";
    boolean first = true;
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i);
      if (withPoints != null) {
        MInfo m = withPoints.metrics.get(item);
        item = item + " [" + m.type + ", " + m.points + (m.points == 1 ? " point]" : " points]");
      }
      item = i < items.size() - 1 ? item + "," : item;
      if (!first && line.length() + item.length() + 1 > WRAP) {
        sb.append(line).append('\n');
        line = new StringBuilder(indent);
        first = true;
      }
      if (!first) {
        line.append(' ');
      }
      line.append(item);
      first = false;
    }
    sb.append(line).append('\n');
    return true;
  }

  private static String join(List<ComponentId> ids) {
    List<String> s = new ArrayList<>();
    ids.forEach(i -> s.add(i.toString()));
    return String.join(", ", s);
  }

  /** A metric's shape in a stage's output. */
  private static final class MInfo {
    final String type;
    final String unit;
    int points;

    MInfo(String type, String unit) {
      this.type = type;
      this.unit = unit;
    }
  }

  /** What a list of batches holds, by metric name (in order of first appearance). */
  private static final class Summary {
    final LinkedHashMap<String, MInfo> metrics = new LinkedHashMap<>();
    final TreeSet<String> labelKeys = new TreeSet<>();
    final TreeMap<String, TreeSet<String>> resourceValues = new TreeMap<>();
    int points;
    int resources;

    static Summary of(List<MetricsBatch> batches) {
      Summary s = new Summary();
      for (MetricsBatch b : batches) {
        for (ResourceMetrics rm : b.resourceMetrics()) {
          s.resources++;
          rm.resource().forEach((k, v) -> s.resourceValues.computeIfAbsent(k, x -> new TreeSet<>())
              .add(Attributes.asString(v)));
          for (ScopeMetrics sm : rm.scopeMetrics()) {
            for (Metric m : sm.metrics()) {
              MInfo info = s.metrics.computeIfAbsent(m.name(), n -> new MInfo(type(m), m.unit()));
              info.points += m.points().size();
              s.points += m.points().size();
              for (DataPoint d : m.points()) {
                s.labelKeys.addAll(d.attributes().keys());
              }
            }
          }
        }
      }
      return s;
    }

    List<String> resourceAttrs() {
      List<String> l = new ArrayList<>();
      resourceValues.forEach((k, v) -> l.add(k + (v.size() == 1 ? "=" + v.first() : " (" + v.size() + " values)")));
      return l;
    }
  }

  static String type(Metric m) {
    MetricType t = m.type();
    return switch (t) {
      case GAUGE -> "gauge";
      case SUM -> "sum/" + m.temporality().name().toLowerCase(java.util.Locale.ROOT);
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> t.name().toLowerCase(java.util.Locale.ROOT) + "/"
          + m.temporality().name().toLowerCase(java.util.Locale.ROOT);
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
