package dev.otelcoljava.runtime.internal.graph;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands one batch to several consumers, as otelcol's fan-out consumer does: every consumer that
 * mutates gets a deep copy, except the last mutating one, which gets the original when no
 * read-only consumer shares it; read-only consumers all share the original (never a copy). Copies
 * are taken before the original is handed to anyone. A failing consumer does not stop the others:
 * errors are collected and rethrown after every consumer has been called (one {@link
 * ConsumerException}; permanent only if every failure was). Thread-safe if the consumers are.
 */
final class FanOut implements MetricsConsumer {
  private final MetricsConsumer[] mutable;
  private final MetricsConsumer[] readonly;

  private FanOut(List<MetricsConsumer> mutable, List<MetricsConsumer> readonly) {
    this.mutable = mutable.toArray(new MetricsConsumer[0]);
    this.readonly = readonly.toArray(new MetricsConsumer[0]);
  }

  /** A consumer over the given ones; a single consumer is returned as is. */
  static MetricsConsumer of(List<MetricsConsumer> consumers) {
    if (consumers.size() == 1) {
      return consumers.get(0);
    }
    List<MetricsConsumer> m = new ArrayList<>();
    List<MetricsConsumer> r = new ArrayList<>();
    for (MetricsConsumer c : consumers) {
      (c.mutatesData() ? m : r).add(c);
    }
    return new FanOut(m, r);
  }

  @Override
  public void consume(MetricsBatch batch) {
    List<RuntimeException> errors = null;
    int nm = mutable.length;
    if (nm > 0) {
      MetricsBatch[] inputs = new MetricsBatch[nm];
      for (int i = 0; i < nm - 1; i++) {
        inputs[i] = batch.deepCopy();
      }
      inputs[nm - 1] = readonly.length == 0 ? batch : batch.deepCopy();
      for (int i = 0; i < nm; i++) {
        errors = call(mutable[i], inputs[i], errors);
      }
    }
    for (MetricsConsumer c : readonly) {
      errors = call(c, batch, errors);
    }
    if (errors != null) {
      throw combine(errors);
    }
  }

  private static List<RuntimeException> call(MetricsConsumer c, MetricsBatch b, List<RuntimeException> errors) {
    try {
      c.consume(b);
    } catch (RuntimeException e) {
      if (errors == null) {
        errors = new ArrayList<>(2);
      }
      errors.add(e);
    }
    return errors;
  }

  private static RuntimeException combine(List<RuntimeException> errors) {
    if (errors.size() == 1) {
      return errors.get(0);
    }
    boolean permanent = true;
    int rejected = 0;
    StringBuilder msg = new StringBuilder();
    for (RuntimeException e : errors) {
      if (msg.length() > 0) {
        msg.append("; ");
      }
      msg.append(e.getMessage());
      if (e instanceof ConsumerException ce) {
        permanent &= ce.permanent();
        rejected = ce.rejectedPoints() < 0 || rejected < 0 ? -1 : Math.max(rejected, ce.rejectedPoints());
      } else {
        rejected = -1;
      }
    }
    ConsumerException out = new ConsumerException(msg.toString(), permanent, rejected, errors.get(0));
    for (int i = 1; i < errors.size(); i++) {
      out.addSuppressed(errors.get(i));
    }
    return out;
  }

  @Override
  public boolean mutatesData() {
    // The last mutating consumer gets the original when nothing else shares it.
    return mutable.length > 0 && readonly.length == 0;
  }
}
