package dev.otelcoljava.runtime.api.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The unit of work passed between pipeline stages: resource metrics, as in an OTLP
 * ExportMetricsServiceRequest. Mutable; ownership passes with {@link
 * dev.otelcoljava.runtime.api.MetricsConsumer#consume(MetricsBatch)}.
 */
public final class MetricsBatch {
  private List<ResourceMetrics> resourceMetrics;

  public MetricsBatch() {
    this.resourceMetrics = new ArrayList<>();
  }

  public MetricsBatch(List<ResourceMetrics> resourceMetrics) {
    this.resourceMetrics = resourceMetrics;
  }

  public List<ResourceMetrics> resourceMetrics() {
    return resourceMetrics;
  }

  public void setResourceMetrics(List<ResourceMetrics> resourceMetrics) {
    this.resourceMetrics = resourceMetrics;
  }

  /** Appends a resource and returns it. */
  public ResourceMetrics addResource(Attributes resource) {
    ResourceMetrics r = new ResourceMetrics(resource);
    resourceMetrics.add(r);
    return r;
  }

  /** The number of data points, the unit otelcol counts in its item self-metrics. */
  public int dataPointCount() {
    int n = 0;
    for (ResourceMetrics r : resourceMetrics) {
      for (ScopeMetrics s : r.scopeMetrics()) {
        for (Metric m : s.metrics()) {
          n += m.points().size();
        }
      }
    }
    return n;
  }

  public int metricCount() {
    int n = 0;
    for (ResourceMetrics r : resourceMetrics) {
      for (ScopeMetrics s : r.scopeMetrics()) {
        n += s.metrics().size();
      }
    }
    return n;
  }

  public boolean isEmpty() {
    return dataPointCount() == 0 && metricCount() == 0;
  }

  /** Removes metrics with no points, then scopes and resources left with no metrics. */
  public void removeEmpty() {
    resourceMetrics.removeIf(
        r -> {
          r.scopeMetrics().removeIf(
              s -> {
                s.metrics().removeIf(m -> m.points().isEmpty());
                return s.metrics().isEmpty();
              });
          return r.scopeMetrics().isEmpty();
        });
  }

  /** A deep copy, for fan-out to a consumer that mutates. */
  public MetricsBatch deepCopy() {
    List<ResourceMetrics> copy = new ArrayList<>(resourceMetrics.size());
    for (ResourceMetrics r : resourceMetrics) {
      copy.add(r.copy());
    }
    return new MetricsBatch(copy);
  }
}
