package dev.otelcoljava.runtime.internal.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses YAML into plain values (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double,
 * Boolean, null) the way otelcol's YAML library (go-yaml v3) types untagged scalars: the YAML 1.2
 * core schema, so {@code yes}, {@code on}, {@code no} and dates stay strings (YAML 1.1 readers
 * would turn a label value {@code on} into {@code true}); {@code true/false} in three spellings,
 * {@code ~/null/empty} as null, decimal, {@code 0x} and leading-zero octal integers, floats with
 * {@code .inf}/{@code .nan}; merge keys ({@code <<}) work; duplicate keys are an error, as in Go.
 * Keys containing otelcol's {@code ::} delimiter are split into nested maps, as confmap does for
 * every source ({@code service::telemetry::logs::level: debug}). Thread-safe (a loader per call).
 */
final class Yaml {
  private Yaml() {}

  /** A parse failure: the problem and its 1-based position, never an excerpt of the content. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  /**
   * The text as a Reader whose reads of more than one char never end on a high surrogate.
   * SnakeYAML 2.3's StreamReader reads 1024 chars at a time and, when a read ends on a high
   * surrogate, reads one more char into its full buffer: an IndexOutOfBoundsException for valid
   * YAML with, say, an emoji at char 1023.
   */
  static final class PairKeepingReader extends java.io.Reader {
    private final String text;
    private int pos;

    PairKeepingReader(String text) {
      this.text = text;
    }

    @Override
    public int read(char[] buf, int off, int len) {
      java.util.Objects.checkFromIndexSize(off, len, buf.length);
      if (len == 0) {
        return 0;
      }
      if (pos >= text.length()) {
        return -1;
      }
      int n = Math.min(len, text.length() - pos);
      if (n > 1 && Character.isHighSurrogate(text.charAt(pos + n - 1))) {
        n--; // the pair (or a lone high surrogate) starts the next read instead
      }
      text.getChars(pos, pos + n, buf, off);
      pos += n;
      return n;
    }

    @Override
    public void close() {}
  }

  /** Parses a document; a blank or comment-only document yields null. */
  static Object parse(String text) throws ParseException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    // SnakeYAML applies its size limit only after scanning, and scans one long scalar in
    // quadratic time: a 6 MB value took 50 s to be refused. Refuse an oversized document first.
    int limit = options.getCodePointLimit();
    if (text.length() > limit && text.codePointCount(0, text.length()) > limit) {
      throw new ParseException("The incoming YAML document exceeds the limit: " + limit + " code points.");
    }
    org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(
        new CoreConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
        new CoreResolver());
    try {
      return unflatten(yaml.load(new PairKeepingReader(text)));
    } catch (MarkedYAMLException e) {
      String where = e.getProblemMark() == null
          ? ""
          : " (line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + ")";
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      if (e.getContext() != null) {
        problem = e.getContext() + ": " + problem;
      }
      throw new ParseException(problem.replace('\n', ' ') + where);
    } catch (YAMLException | IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      throw new ParseException(nl < 0 ? m : m.substring(0, nl));
    } catch (ClassCastException e) {
      // SnakeYAML's constructors cast the node an explicit tag names (`!!map`, `!!seq`, `!!set`,
      // `!!omap`, ...) without checking its kind: `k: !!map x` ends in a ClassCastException.
      throw new ParseException("an explicit tag does not fit its value (" + nodeKinds(e.getMessage()) + ")");
    }
  }

  /** "a scalar where the tag needs a mapping" from a ClassCastException between SnakeYAML node classes. */
  private static String nodeKinds(String cce) {
    java.util.regex.Matcher m = Pattern.compile("nodes\\.(\\w+)Node cannot be cast to class org\\.yaml\\.snakeyaml\\.nodes\\.(\\w+)Node")
        .matcher(String.valueOf(cce));
    if (m.find()) {
      return "a " + m.group(1).toLowerCase(java.util.Locale.ROOT) + " where the tag needs a " + m.group(2).toLowerCase(java.util.Locale.ROOT);
    }
    return "e.g. !!map or !!seq on a value of another kind";
  }

  /**
   * Parses a retrieved value the way confmap's NewRetrievedFromYAML does: YAML if it parses, else
   * the raw text.
   */
  static Object parseLenient(String text) {
    try {
      return parse(text);
    } catch (ParseException e) {
      return text;
    }
  }

  /** The YAML 1.2 core schema for untagged plain scalars (what go-yaml v3 resolves). */
  private static final class CoreResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
      addImplicitResolver(Tag.INT, Pattern.compile("^(?:[-+]?0x[0-9a-fA-F]+|[-+]?[0-9]+)$"), "-+0123456789");
      addImplicitResolver(
          Tag.FLOAT,
          Pattern.compile(
              "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"),
          "-+0123456789.");
      addImplicitResolver(Tag.MERGE, Pattern.compile("^(?:<<)$"), "<");
      addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL)$"), "~nN");
      addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
    }
  }

  /** Safe construction, with integers read as Go reads them (0x hex, leading-zero octal). */
  private static final class CoreConstructor extends SafeConstructor {
    CoreConstructor(LoaderOptions options) {
      super(options);
      this.yamlConstructors.put(Tag.INT, new ConstructInt());
    }

    private final class ConstructInt extends AbstractConstruct {
      @Override
      public Object construct(Node node) {
        String v = constructScalar((ScalarNode) node);
        int sign = 1;
        String s = v;
        if (s.startsWith("-") || s.startsWith("+")) {
          sign = s.startsWith("-") ? -1 : 1;
          s = s.substring(1);
        }
        BigInteger n;
        if (s.startsWith("0x")) {
          n = new BigInteger(s.substring(2), 16);
        } else if (s.length() > 1 && s.startsWith("0") && s.chars().allMatch(c -> c >= '0' && c <= '7')) {
          n = new BigInteger(s.substring(1), 8);
        } else {
          n = new BigInteger(s);
        }
        if (sign < 0) {
          n = n.negate();
        }
        if (n.bitLength() < 32) {
          return n.intValue();
        }
        if (n.bitLength() < 64) {
          return n.longValue();
        }
        return n;
      }
    }
  }

  /** Deep-copies a value, splitting {@code a::b} keys into nested maps. */
  @SuppressWarnings("unchecked")
  static Object unflatten(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        Object value = unflatten(e.getValue());
        if (key.contains("::")) {
          String[] parts = key.split("::", -1);
          Map<String, Object> cur = out;
          for (int i = 0; i < parts.length - 1; i++) {
            Object next = cur.get(parts[i]);
            if (!(next instanceof Map)) {
              next = new LinkedHashMap<String, Object>();
              cur.put(parts[i], next);
            }
            cur = (Map<String, Object>) next;
          }
          Object existing = cur.get(parts[parts.length - 1]);
          cur.put(parts[parts.length - 1], ConfigMerge.merge(existing, value, false));
        } else {
          Object existing = out.get(key);
          out.put(key, existing instanceof Map ? ConfigMerge.merge(existing, value, false) : value);
        }
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(unflatten(o));
      }
      return out;
    }
    return v;
  }
}
