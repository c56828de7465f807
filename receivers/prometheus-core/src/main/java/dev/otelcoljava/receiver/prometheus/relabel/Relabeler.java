package dev.otelcoljava.receiver.prometheus.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies relabel rules with Prometheus' semantics ({@code model/relabel}). Stateless and
 * thread-safe; the input {@link Labels} is never changed.
 */
public final class Relabeler {
  private Relabeler() {}

  /**
   * Applies the rules in order to {@code labels}; returns the resulting label set, the same
   * instance if no rule changed anything, or null if a rule dropped the set (keep, drop, keepequal,
   * dropequal). Setting a label to "" deletes it, as in Prometheus' label builder.
   */
  public static Labels process(Labels labels, List<RelabelConfig> rules) {
    if (rules.isEmpty()) {
      return labels;
    }
    Labels.Builder lb = new Labels.Builder(labels);
    boolean changed = false;
    for (int i = 0, n = rules.size(); i < n; i++) {
      int r = apply(lb, rules.get(i));
      if (r < 0) {
        return null;
      }
      changed |= r > 0;
    }
    return changed ? lb.build() : labels;
  }

  /** Returns -1 if dropped, 1 if the builder may have changed, 0 if untouched. */
  private static int apply(Labels.Builder lb, RelabelConfig cfg) {
    String val = joinSources(lb, cfg.sourceLabels(), cfg.separator());
    switch (cfg.action()) {
      case DROP -> {
        return cfg.pattern().matches(val) ? -1 : 0;
      }
      case KEEP -> {
        return cfg.pattern().matches(val) ? 0 : -1;
      }
      case DROPEQUAL -> {
        return lb.get(cfg.targetLabel()).equals(val) ? -1 : 0;
      }
      case KEEPEQUAL -> {
        return lb.get(cfg.targetLabel()).equals(val) ? 0 : -1;
      }
      case REPLACE -> {
        // Prometheus' fast path: an empty value with the default regex and no references sets the
        // replacement literally (or deletes the target when the replacement is empty).
        if (val.isEmpty()
            && cfg.defaultRegex()
            && cfg.targetLabel().indexOf('$') < 0
            && cfg.replacement().indexOf('$') < 0) {
          lb.set(cfg.targetLabel(), cfg.replacement());
          return 1;
        }
        Matcher m = cfg.pattern().matcher(val);
        if (!m.find()) {
          return 0;
        }
        String target = expand(cfg.pattern(), m, cfg.targetLabel());
        if (!RelabelConfig.validLabelName(target)) {
          return 0;
        }
        String res = expand(cfg.pattern(), m, cfg.replacement());
        if (res.isEmpty()) {
          lb.delete(target);
        } else {
          lb.set(target, res);
        }
        return 1;
      }
      case LOWERCASE -> {
        lb.set(cfg.targetLabel(), val.toLowerCase(Locale.ROOT));
        return 1;
      }
      case UPPERCASE -> {
        lb.set(cfg.targetLabel(), val.toUpperCase(Locale.ROOT));
        return 1;
      }
      case HASHMOD -> {
        lb.set(cfg.targetLabel(), Long.toUnsignedString(hashmod(val, cfg.modulus())));
        return 1;
      }
      case LABELMAP -> {
        Pattern p = cfg.pattern();
        String[] snapshot = snapshot(lb);
        boolean changed = false;
        for (int i = 0; i < snapshot.length; i += 2) {
          Matcher m = p.matcher(snapshot[i]);
          if (m.find()) {
            lb.set(expand(p, m, cfg.replacement()), snapshot[i + 1]);
            changed = true;
          }
        }
        return changed ? 1 : 0;
      }
      case LABELDROP, LABELKEEP -> {
        Pattern p = cfg.pattern();
        boolean keep = cfg.action() == Action.LABELKEEP;
        String[] snapshot = snapshot(lb);
        boolean changed = false;
        for (int i = 0; i < snapshot.length; i += 2) {
          if (p.matches(snapshot[i]) != keep) {
            lb.delete(snapshot[i]);
            changed = true;
          }
        }
        return changed ? 1 : 0;
      }
    }
    throw new AssertionError(cfg.action());
  }

  private static String[] snapshot(Labels.Builder lb) {
    int n = lb.size();
    String[] kv = new String[2 * n];
    for (int i = 0; i < n; i++) {
      kv[2 * i] = lb.name(i);
      kv[2 * i + 1] = lb.value(i);
    }
    return kv;
  }

  private static String joinSources(Labels.Builder lb, List<String> sources, String sep) {
    int n = sources.size();
    if (n == 0) {
      return "";
    }
    if (n == 1) {
      return lb.get(sources.get(0));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(sep);
      }
      sb.append(lb.get(sources.get(i)));
    }
    return sb.toString();
  }

  /**
   * md5 of {@code val}, the last 8 bytes read as a big-endian unsigned 64-bit integer, modulo
   * {@code modulus} (unsigned), as Prometheus' hashmod.
   */
  static long hashmod(String val, long modulus) {
    byte[] d;
    try {
      d = MessageDigest.getInstance("MD5").digest(val.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every JRE", e);
    }
    long h = 0;
    for (int i = 8; i < 16; i++) {
      h = (h << 8) | (d[i] & 0xff);
    }
    return Long.remainderUnsigned(h, modulus);
  }

  /**
   * Go's {@code Regexp.ExpandString}: {@code $name} / {@code ${name}} where name is the longest run
   * of letters, digits and underscores ({@code $1x} refers to group "1x", which does not exist and
   * expands to ""), {@code $$} is a literal {@code $}, and a malformed reference is kept as text.
   */
  static String expand(Pattern p, Matcher m, String template) {
    int dollar = template.indexOf('$');
    if (dollar < 0) {
      return template;
    }
    StringBuilder sb = new StringBuilder(template.length() + 16);
    int i = 0;
    int n = template.length();
    while (i < n) {
      dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      sb.append(template, i, dollar);
      i = dollar + 1;
      if (i < n && template.charAt(i) == '$') {
        sb.append('$');
        i++;
        continue;
      }
      boolean brace = i < n && template.charAt(i) == '{';
      int j = brace ? i + 1 : i;
      int nameStart = j;
      while (j < n) {
        int cp = template.codePointAt(j);
        if (cp == '_' || Character.isLetterOrDigit(cp)) {
          j += Character.charCount(cp);
        } else {
          break;
        }
      }
      if (j == nameStart || (brace && (j >= n || template.charAt(j) != '}'))) {
        sb.append('$'); // malformed: keep the $ as text
        continue;
      }
      String name = template.substring(nameStart, j);
      i = brace ? j + 1 : j;
      int num = groupNumber(name);
      if (num >= 0) {
        if (num <= m.groupCount()) {
          String g = m.group(num);
          if (g != null) {
            sb.append(g);
          }
        }
      } else {
        Map<String, Integer> named = p.namedGroups();
        Integer idx = named.get(name);
        if (idx != null) {
          String g = m.group(idx);
          if (g != null) {
            sb.append(g);
          }
        }
      }
    }
    sb.append(template, i, n);
    return sb.toString();
  }

  /** The group number a name denotes in Go's Expand, or -1 (not all digits, leading zero, huge). */
  private static int groupNumber(String name) {
    int num = 0;
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + (c - '0');
    }
    if (name.charAt(0) == '0' && name.length() > 1) {
      return -1;
    }
    return num;
  }
}
