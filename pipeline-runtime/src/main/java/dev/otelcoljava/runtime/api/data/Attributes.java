package dev.otelcoljava.runtime.api.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A small mutable map of attribute key to value, kept in insertion order in two parallel arrays.
 *
 * <p>Values are {@link String}, {@link Boolean}, {@link Long}, {@link Double}, {@code byte[]}, a
 * {@link List} of such values, or a {@link Map} (OTLP kvlist). Keys are never null; putting a key
 * that exists replaces its value in place. Equality ignores order. Not thread-safe: a batch is
 * owned by one stage at a time (see {@link dev.otelcoljava.runtime.api.MetricsConsumer}).
 */
public final class Attributes {
  private static final String[] NO_KEYS = new String[0];
  private static final Object[] NO_VALUES = new Object[0];

  private String[] keys;
  private Object[] values;
  private int size;

  public Attributes() {
    this.keys = NO_KEYS;
    this.values = NO_VALUES;
  }

  public Attributes(int capacity) {
    this.keys = capacity == 0 ? NO_KEYS : new String[capacity];
    this.values = capacity == 0 ? NO_VALUES : new Object[capacity];
  }

  /** Builds attributes from alternating key, value arguments (tests and small literals). */
  public static Attributes of(Object... keyValues) {
    if ((keyValues.length & 1) != 0) {
      throw new IllegalArgumentException("key/value pairs expected");
    }
    Attributes a = new Attributes(keyValues.length / 2);
    for (int i = 0; i < keyValues.length; i += 2) {
      a.put((String) keyValues[i], keyValues[i + 1]);
    }
    return a;
  }

  public static Attributes fromMap(Map<String, ?> map) {
    Attributes a = new Attributes(map.size());
    map.forEach(a::put);
    return a;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public String key(int i) {
    checkIndex(i);
    return keys[i];
  }

  public Object value(int i) {
    checkIndex(i);
    return values[i];
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
  }

  public int indexOf(String key) {
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  public boolean containsKey(String key) {
    return indexOf(key) >= 0;
  }

  public Object get(String key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  /** The value as a string (non-string values rendered as OTel renders them), or null if absent. */
  public String getString(String key) {
    int i = indexOf(key);
    return i < 0 ? null : asString(values[i]);
  }

  /** Renders an attribute value as text, the way exporters that need strings do. */
  public static String asString(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Double d) {
      double x = d;
      if (x == Math.rint(x) && !Double.isInfinite(x) && Math.abs(x) < 1e15) {
        return Long.toString((long) x);
      }
      return Double.toString(x);
    }
    if (v instanceof byte[] b) {
      return java.util.Base64.getEncoder().encodeToString(b);
    }
    return String.valueOf(v);
  }

  /** Puts a value; a null value removes the key. Returns this. */
  public Attributes put(String key, Object value) {
    if (key == null) {
      throw new NullPointerException("key");
    }
    if (value == null) {
      remove(key);
      return this;
    }
    int i = indexOf(key);
    if (i >= 0) {
      values[i] = value;
      return this;
    }
    if (size == keys.length) {
      int n = Math.max(4, size * 2);
      keys = Arrays.copyOf(keys, n);
      values = Arrays.copyOf(values, n);
    }
    keys[size] = key;
    values[size] = value;
    size++;
    return this;
  }

  /** Puts only when the key is absent. Returns true if it was put. */
  public boolean putIfAbsent(String key, Object value) {
    if (containsKey(key)) {
      return false;
    }
    put(key, value);
    return true;
  }

  /** Removes a key, keeping the order of the others. Returns the old value or null. */
  public Object remove(String key) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    return removeAt(i);
  }

  public Object removeAt(int i) {
    checkIndex(i);
    Object old = values[i];
    int tail = size - i - 1;
    if (tail > 0) {
      System.arraycopy(keys, i + 1, keys, i, tail);
      System.arraycopy(values, i + 1, values, i, tail);
    }
    size--;
    keys[size] = null;
    values[size] = null;
    return old;
  }

  /** Replaces the value at index i. */
  public void setValue(int i, Object value) {
    checkIndex(i);
    values[i] = value;
  }

  /** Renames the key at index i (the caller makes sure the new key is not present). */
  public void setKey(int i, String key) {
    checkIndex(i);
    keys[i] = key;
  }

  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
  }

  public void putAll(Attributes other) {
    for (int i = 0; i < other.size; i++) {
      put(other.keys[i], other.values[i]);
    }
  }

  public void forEach(BiConsumer<String, Object> action) {
    for (int i = 0; i < size; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  public List<String> keys() {
    return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(keys).subList(0, size)));
  }

  /** A copy in insertion order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      m.put(keys[i], values[i]);
    }
    return m;
  }

  /** A copy; immutable values (String, numbers) are shared, arrays and lists are copied. */
  public Attributes copy() {
    Attributes a = new Attributes(size);
    for (int i = 0; i < size; i++) {
      a.keys[i] = keys[i];
      a.values[i] = copyValue(values[i]);
    }
    a.size = size;
    return a;
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object v) {
    if (v instanceof byte[] b) {
      return b.clone();
    }
    if (v instanceof List<?> l) {
      List<Object> c = new ArrayList<>(l.size());
      for (Object o : l) {
        c.add(copyValue(o));
      }
      return c;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> c = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((k, x) -> c.put(k, copyValue(x)));
      return c;
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Attributes other) || other.size != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      int j = other.indexOf(keys[i]);
      if (j < 0 || !valueEquals(values[i], other.values[j])) {
        return false;
      }
    }
    return true;
  }

  private static boolean valueEquals(Object a, Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return a.equals(b);
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < size; i++) {
      Object v = values[i];
      int vh = v instanceof byte[] b ? Arrays.hashCode(b) : v.hashCode();
      h += keys[i].hashCode() ^ vh;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(keys[i]).append('=').append(asString(values[i]));
    }
    return sb.append('}').toString();
  }
}
