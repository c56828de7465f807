package dev.otelcoljava.receiver.prometheus.labels;

import java.util.Arrays;
import java.util.LinkedHashMap;
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
   *
   * <p>The labels are kept in one array of name/value pairs in the order they were set, and {@link
   * #build} sorts a copy by insertion sort. Label sets are small (a cAdvisor series has ~15) and
   * usually arrive sorted or nearly so (an exposition's own order, a sorted set plus a few target
   * labels), which insertion sort handles in one pass with no boxing or comparator object. A new
   * series builds three label sets, and this was ~70 % of the bytes a first scrape allocates.
   */
  public static final class Builder {
    /** name0, value0, name1, value1, ... in the order set; slots from 2 * n on are null. */
    private String[] kv;
    private int n;

    public Builder() {
      kv = new String[16];
    }

    public Builder(Labels base) {
      kv = new String[Math.max(16, base.kv.length + 4)];
      reset(base);
    }

    public Builder reset(Labels base) {
      int len = base.kv.length;
      if (kv.length < len) {
        kv = new String[len + 4];
      }
      System.arraycopy(base.kv, 0, kv, 0, len);
      if (2 * n > len) {
        Arrays.fill(kv, len, 2 * n, null);
      }
      n = len / 2;
      return this;
    }

    private int find(String name) {
      String[] a = kv;
      for (int i = 0, end = 2 * n; i < end; i += 2) {
        if (a[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }

    public String get(String name) {
      int i = find(name);
      return i < 0 ? "" : kv[i + 1];
    }

    public boolean has(String name) {
      return find(name) >= 0;
    }

    /** Sets a label; an empty value deletes it. */
    public Builder set(String name, String value) {
      int i = find(name);
      if (value == null || value.isEmpty()) {
        if (i >= 0) {
          remove(i);
        }
        return this;
      }
      if (i >= 0) {
        kv[i + 1] = value;
      } else {
        if (2 * n == kv.length) {
          kv = Arrays.copyOf(kv, 2 * kv.length);
        }
        kv[2 * n] = name;
        kv[2 * n + 1] = value;
        n++;
      }
      return this;
    }

    public Builder delete(String name) {
      int i = find(name);
      if (i >= 0) {
        remove(i);
      }
      return this;
    }

    /** Removes the pair at array index i, keeping the order of the others. */
    private void remove(int i) {
      int end = 2 * n;
      System.arraycopy(kv, i + 2, kv, i, end - i - 2);
      kv[end - 2] = null;
      kv[end - 1] = null;
      n--;
    }

    public int size() {
      return n;
    }

    public String name(int i) {
      if (i < 0 || i >= n) {
        throw new IndexOutOfBoundsException("label " + i + " of " + n);
      }
      return kv[2 * i];
    }

    public String value(int i) {
      if (i < 0 || i >= n) {
        throw new IndexOutOfBoundsException("label " + i + " of " + n);
      }
      return kv[2 * i + 1];
    }

    public Labels build() {
      if (n == 0) {
        return EMPTY;
      }
      String[] out = Arrays.copyOf(kv, 2 * n);
      for (int i = 2; i < out.length; i += 2) {
        String name = out[i];
        if (out[i - 2].compareTo(name) <= 0) {
          continue; // already in place: the usual case
        }
        String value = out[i + 1];
        int j = i - 2;
        do {
          out[j + 2] = out[j];
          out[j + 3] = out[j + 1];
          j -= 2;
        } while (j >= 0 && out[j].compareTo(name) > 0);
        out[j + 2] = name;
        out[j + 3] = value;
      }
      return new Labels(out);
    }
  }
}
