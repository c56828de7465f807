package dev.otelcoljava.processor.batch;

import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Splitting a batch by data point count, as pdata's metrics split does. */
final class Batches {
  private Batches() {}

  /**
   * Moves the first {@code n} data points of {@code src} (whole metrics where they fit, otherwise
   * part of a metric's points) into a new batch, keeping resource and scope structure; emptied
   * metrics, scopes and resources are removed from {@code src}.
   */
  static MetricsBatch take(MetricsBatch src, int n) {
    MetricsBatch out = new MetricsBatch();
    int left = n;
    Iterator<ResourceMetrics> ri = src.resourceMetrics().iterator();
    while (ri.hasNext() && left > 0) {
      ResourceMetrics rm = ri.next();
      ResourceMetrics orm = null;
      Iterator<ScopeMetrics> si = rm.scopeMetrics().iterator();
      while (si.hasNext() && left > 0) {
        ScopeMetrics sm = si.next();
        ScopeMetrics osm = null;
        Iterator<Metric> mi = sm.metrics().iterator();
        while (mi.hasNext() && left > 0) {
          Metric m = mi.next();
          if (orm == null) {
            orm = rm.copyWithoutScopes();
            out.resourceMetrics().add(orm);
          }
          if (osm == null) {
            osm = sm.copyWithoutMetrics();
            orm.scopeMetrics().add(osm);
          }
          int pts = m.points().size();
          if (pts <= left) {
            osm.metrics().add(m);
            mi.remove();
            left -= pts;
          } else {
            Metric part = m.copyWithoutPoints();
            List<DataPoint> head = new ArrayList<>(m.points().subList(0, left));
            part.setPoints(head);
            m.setPoints(new ArrayList<>(m.points().subList(left, pts)));
            osm.metrics().add(part);
            left = 0;
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
    return out;
  }
}
