package dev.otelcoljava.runtime.api.data;

import java.util.ArrayList;
import java.util.List;

/** The metrics of one instrumentation scope (name, version, attributes, schema URL). */
public final class ScopeMetrics {
  private String name = "";
  private String version = "";
  private Attributes attributes = new Attributes();
  private String schemaUrl = "";
  private List<Metric> metrics = new ArrayList<>();

  public ScopeMetrics() {}

  public ScopeMetrics(String name, String version) {
    this.name = name == null ? "" : name;
    this.version = version == null ? "" : version;
  }

  public String name() {
    return name;
  }

  public void setName(String name) {
    this.name = name == null ? "" : name;
  }

  public String version() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version == null ? "" : version;
  }

  public Attributes attributes() {
    return attributes;
  }

  public void setAttributes(Attributes attributes) {
    this.attributes = attributes;
  }

  public String schemaUrl() {
    return schemaUrl;
  }

  public void setSchemaUrl(String schemaUrl) {
    this.schemaUrl = schemaUrl == null ? "" : schemaUrl;
  }

  public List<Metric> metrics() {
    return metrics;
  }

  public void setMetrics(List<Metric> metrics) {
    this.metrics = metrics;
  }

  public ScopeMetrics copyWithoutMetrics() {
    ScopeMetrics s = new ScopeMetrics(name, version);
    s.attributes = attributes.copy();
    s.schemaUrl = schemaUrl;
    return s;
  }

  public ScopeMetrics copy() {
    ScopeMetrics s = copyWithoutMetrics();
    s.metrics = new ArrayList<>(metrics.size());
    for (Metric m : metrics) {
      s.metrics.add(m.copy());
    }
    return s;
  }
}
