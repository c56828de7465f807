package dev.otelcoljava.processor.filter;

import dev.otelcoljava.runtime.api.ConsumerException;
import dev.otelcoljava.runtime.api.CreateSettings;
import dev.otelcoljava.runtime.api.MetricsConsumer;
import dev.otelcoljava.runtime.api.Processor;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import java.util.Iterator;
import java.util.List;

/** Drops resources, scopes, metrics and points as configured; sends nothing when all is dropped. */
final class FilterProcessor implements Processor {
  private final Compiled compiled;
  private final MetricsConsumer next;
  private final LongCounter filtered;
  private final Attributes metricAttrs;

  FilterProcessor(CreateSettings settings, FilterConfig config, MetricsConsumer next) {
    this.compiled = Compiled.compile(config, null);
    this.next = next;
    this.filtered = settings.meter().counterBuilder("otelcol_processor_filter_datapoints.filtered")
        .setDescription("Number of metric data points dropped by the filter processor")
        .setUnit("1")
        .build();
    this.metricAttrs = Attributes.of(AttributeKey.stringKey("filter"), settings.id().toString());
  }

  @Override
  public boolean mutatesData() {
    return true;
  }

  @Override
  public void consume(MetricsBatch batch) throws ConsumerException {
    int before = batch.dataPointCount();
    process(batch);
    int dropped = before - batch.dataPointCount();
    if (dropped > 0) {
      filtered.add(dropped, metricAttrs);
    }
    if (batch.resourceMetrics().isEmpty()) {
      return; // otelcol's "skip processing": nothing downstream, no error
    }
    next.consume(batch);
  }

  void process(MetricsBatch batch) {
    Condition.Ctx ctx = new Condition.Ctx();
    Iterator<ResourceMetrics> ri = batch.resourceMetrics().iterator();
    while (ri.hasNext()) {
      ResourceMetrics rm = ri.next();
      ctx.resource = rm;
      ctx.scope = null;
      ctx.metric = null;
      ctx.point = null;
      if (anyTrue(Condition.RESOURCE, ctx)) {
        ri.remove();
        continue;
      }
      Iterator<ScopeMetrics> si = rm.scopeMetrics().iterator();
      while (si.hasNext()) {
        ScopeMetrics sm = si.next();
        ctx.scope = sm;
        ctx.metric = null;
        ctx.point = null;
        if (anyTrue(Condition.SCOPE, ctx)) {
          si.remove();
          continue;
        }
        Iterator<Metric> mi = sm.metrics().iterator();
        while (mi.hasNext()) {
          Metric m = mi.next();
          ctx.metric = m;
          ctx.point = null;
          if (skipLegacy(rm, m, ctx)) {
            mi.remove();
            continue;
          }
          ctx.point = null;
          if (anyTrue(Condition.METRIC, ctx)) {
            mi.remove();
            continue;
          }
          if (hasLevel(Condition.DATAPOINT)) {
            List<DataPoint> pts = m.points();
            boolean hadPoints = !pts.isEmpty();
            Iterator<DataPoint> pi = pts.iterator();
            while (pi.hasNext()) {
              ctx.point = pi.next();
              if (anyTrue(Condition.DATAPOINT, ctx)) {
                pi.remove();
              }
            }
            if (hadPoints && pts.isEmpty()) {
              mi.remove();
            }
          }
        }
        if (sm.metrics().isEmpty()) {
          si.remove();
        }
      }
      if (rm.scopeMetrics().isEmpty()) {
        ri.remove();
      }
    }
  }

  private boolean skipLegacy(ResourceMetrics rm, Metric m, Condition.Ctx ctx) {
    if (compiled.include != null && !compiled.include.matches(rm, m, ctx)) {
      return true;
    }
    return compiled.exclude != null && compiled.exclude.matches(rm, m, ctx);
  }

  private boolean hasLevel(int level) {
    for (Compiled.Group g : compiled.groups) {
      if (g.level() == level) {
        return true;
      }
    }
    return false;
  }

  private boolean anyTrue(int level, Condition.Ctx ctx) {
    for (Compiled.Group g : compiled.groups) {
      if (g.level() != level) {
        continue;
      }
      for (Condition c : g.conditions()) {
        if (c.test(ctx)) {
          return true;
        }
      }
    }
    return false;
  }
}
