package dev.otelcoljava.runtime.api.data;

import java.util.ArrayList;
import java.util.List;

/** The metrics of one resource (e.g. one scrape target), grouped by scope. */
public final class ResourceMetrics {
  private Attributes resource = new Attributes();
  private String schemaUrl = "";
  private List<ScopeMetrics> scopeMetrics = new ArrayList<>();

  public ResourceMetrics() {}

  public ResourceMetrics(Attributes resource) {
    this.resource = resource;
  }

  /** The resource attributes, mutable in place. */
  public Attributes resource() {
    return resource;
  }

  public void setResource(Attributes resource) {
    this.resource = resource;
  }

  public String schemaUrl() {
    return schemaUrl;
  }

  public void setSchemaUrl(String schemaUrl) {
    this.schemaUrl = schemaUrl == null ? "" : schemaUrl;
  }

  public List<ScopeMetrics> scopeMetrics() {
    return scopeMetrics;
  }

  public void setScopeMetrics(List<ScopeMetrics> scopeMetrics) {
    this.scopeMetrics = scopeMetrics;
  }

  /** Appends a new scope and returns it. */
  public ScopeMetrics addScope(String name, String version) {
    ScopeMetrics s = new ScopeMetrics(name, version);
    scopeMetrics.add(s);
    return s;
  }

  public ResourceMetrics copyWithoutScopes() {
    ResourceMetrics r = new ResourceMetrics(resource.copy());
    r.schemaUrl = schemaUrl;
    return r;
  }

  public ResourceMetrics copy() {
    ResourceMetrics r = copyWithoutScopes();
    r.scopeMetrics = new ArrayList<>(scopeMetrics.size());
    for (ScopeMetrics s : scopeMetrics) {
      r.scopeMetrics.add(s.copy());
    }
    return r;
  }
}
