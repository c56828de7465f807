package dev.otelcoljava.receiver.prometheus.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable Prometheus label set, sorted by name, with no duplicate names, stored as
 * alternating name/value strings. {@code __name__} is an ordinary label here. Equality and hash
 * code cover every label. Build with {@link Builder}. Thread-safe (immutable).
 */
public final class Labels implements Comparable<Labels> {
  public static final Labels EMPTY = new Labels(new String[0]);
  public static final String METRIC_NAME = "__name__";

  /** name0, value0, name1, value1, ... sorted by name. */
  private final String[] kv;
  private int hash;

  private Labels(String[] kv) {
    this.kv = kv;
  }

  /** Builds from alternating name, value arguments (any order; later duplicates win). */
  public static Labels of(String... nameValues) {
    Builder b = new Builder();
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      b.set(nameValues[i], nameValues[i + 1]);
    }
    return b.build();
  }

  public static Labels fromMap(Map<String, String> map) {
    Builder b = new Builder();
    map.forEach(b::set);
    return b.build();
  }

  public int size() {
    return kv.length / 2;
  }

  public boolean isEmpty() {
    return kv.length == 0;
  }

  public String name(int i) {
    return kv[2 * i];
  }

  public String value(int i) {
    return kv[2 * i + 1];
  }

  /** The value of a label, or "" if absent (Prometheus semantics). */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : kv[2 * i + 1];
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  public int indexOf(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = kv[2 * mid].compareTo(name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The {@code __name__} value or "". */
  public String metricName() {
    return get(METRIC_NAME);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Labels l && Arrays.equals(kv, l.kv));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(kv);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(kv.length, o.kv.length);
    for (int i = 0; i < n; i++) {
      int c = kv[i].compareTo(o.kv[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(kv.length, o.kv.length);
  }

  /** Prometheus' text form: {@code {a="1", b="2"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < kv.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(kv[i]).append("=\"");
      String v = kv[i + 1];
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '"' -> sb.append("\\\"");
          case '\n' -> sb.append("\\n");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  /**
   * A mutable label set used to build {@link Labels}: set, delete, then build (sorts once). Setting
   * an empty value deletes the label, as Prometheus' builder does. Not thread-safe.
   */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    public Builder() {}

    public Builder(Labels base) {
      reset(base);
    }

    public Builder reset(Labels base) {
      names.clear();
      values.clear();
      for (int i = 0; i < base.kv.length; i += 2) {
        names.add(base.kv[i]);
        values.add(base.kv[i + 1]);
      }
      return this;
    }

    public String get(String name) {
      int i = names.indexOf(name);
      return i < 0 ? "" : values.get(i);
    }

    public boolean has(String name) {
      return names.contains(name);
    }

    /** Sets a label; an empty value deletes it. */
    public Builder set(String name, String value) {
      int i = names.indexOf(name);
      if (value == null || value.isEmpty()) {
        if (i >= 0) {
          names.remove(i);
          values.remove(i);
        }
        return this;
      }
      if (i >= 0) {
        values.set(i, value);
      } else {
        names.add(name);
        values.add(value);
      }
      return this;
    }

    public Builder delete(String name) {
      int i = names.indexOf(name);
      if (i >= 0) {
        names.remove(i);
        values.remove(i);
      }
      return this;
    }

    public int size() {
      return names.size();
    }

    public String name(int i) {
      return names.get(i);
    }

    public String value(int i) {
      return values.get(i);
    }

    public Labels build() {
      int n = names.size();
      Integer[] idx = new Integer[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (a, b) -> names.get(a).compareTo(names.get(b)));
      String[] kv = new String[2 * n];
      for (int i = 0; i < n; i++) {
        kv[2 * i] = names.get(idx[i]);
        kv[2 * i + 1] = values.get(idx[i]);
      }
      return n == 0 ? EMPTY : new Labels(kv);
    }
  }
}
