package dev.otelcoljava.runtime.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * confmap's merge: maps merge key by key, anything else (lists included) is replaced by the later
 * value; with the {@code confmap.enableMergeAppendOption} gate lists are appended instead.
 */
final class ConfigMerge {
  private ConfigMerge() {}

  @SuppressWarnings("unchecked")
  static Object merge(Object base, Object over, boolean appendLists) {
    if (base instanceof Map<?, ?> b && over instanceof Map<?, ?> o) {
      Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) b);
      for (Map.Entry<?, ?> e : o.entrySet()) {
        String k = String.valueOf(e.getKey());
        out.put(k, merge(out.get(k), e.getValue(), appendLists));
      }
      return out;
    }
    if (appendLists && base instanceof List<?> b && over instanceof List<?> o) {
      List<Object> out = new ArrayList<>(b);
      for (Object item : o) {
        if (!out.contains(item)) {
          out.add(item);
        }
      }
      return out;
    }
    return over;
  }
}
