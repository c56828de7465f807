package dev.otelcoljava.processor.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.otelcoljava.runtime.api.config.ConfigNode;
import dev.otelcoljava.runtime.api.data.Attributes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * contrib's {@code attraction}: an ordered list of insert / update / upsert / delete / hash /
 * extract / convert actions over an attribute map, shared by the {@code resource} and {@code
 * attributes} processors. Immutable and thread-safe once built.
 */
public final class AttributeActions {
  /**
   * One configured action.
   *
   * @param value the YAML value (String, Long, Double or Boolean), or null
   * @param defaultValue {@code default_value}: used when the value source yields nothing, or null
   */
  public record Action(String key, Object value, String fromAttribute, String fromContext, String pattern,
      String convertedType, String action, Object defaultValue) {
    /** An action without {@code default_value}. */
    public Action(String key, Object value, String fromAttribute, String fromContext, String pattern,
        String convertedType, String action) {
      this(key, value, fromAttribute, fromContext, pattern, convertedType, action, null);
    }
  }

  private static final List<String> ACTIONS = List.of("insert", "update", "upsert", "delete", "hash", "extract", "convert");

  private record Compiled(Action a, Pattern regex, String[] groupNames) {}

  private final List<Compiled> actions;

  private AttributeActions(List<Compiled> actions) {
    this.actions = actions;
  }

  /** Reads the list under {@code key}, reporting contrib's errors at the list path. */
  public static List<Action> read(ConfigNode parent, String key) {
    List<Action> out = new ArrayList<>();
    for (ConfigNode n : parent.list(key)) {
      Object value = typedValue(n, "value");
      Object defaultValue = typedValue(n, "default_value");
      out.add(new Action(n.string("key", ""), value, n.string("from_attribute", ""), n.string("from_context", ""),
          n.string("pattern", ""), n.string("converted_type", ""), n.string("action", "").toLowerCase(java.util.Locale.ROOT),
          defaultValue));
    }
    List<String> errors = new ArrayList<>();
    compile(out, errors::add);
    ConfigNode list = parent.get(key);
    for (String e : errors) {
      list.error(e);
    }
    return List.copyOf(out);
  }

  private static Object typedValue(ConfigNode n, String key) {
    if (!n.has(key)) {
      return null;
    }
    ConfigNode v = n.get(key);
    Object raw = v.raw();
    if (raw instanceof Integer || raw instanceof Long || raw instanceof java.math.BigInteger) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof Number num) {
      return num.doubleValue();
    }
    if (raw instanceof Boolean b) {
      return b;
    }
    return raw == null ? null : v.asString();
  }

  /** Compiles validated actions (throws IllegalArgumentException on an invalid one). */
  public static AttributeActions of(List<Action> actions) {
    List<String> errors = new ArrayList<>();
    AttributeActions a = compile(actions, errors::add);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(errors.get(0));
    }
    return a;
  }

  private static AttributeActions compile(List<Action> actions, java.util.function.Consumer<String> errors) {
    List<Compiled> out = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      Action a = actions.get(i);
      String err = null;
      Pattern regex = null;
      String[] groups = null;
      int sources = (a.value() != null ? 1 : 0) + (a.fromAttribute().isEmpty() ? 0 : 1) + (a.fromContext().isEmpty() ? 0 : 1);
      boolean deleteOrHash = a.action().equals("delete") || a.action().equals("hash");
      if (deleteOrHash && a.key().isEmpty() && a.pattern().isEmpty()) {
        errors.accept("error creating AttrProc due to missing required field (at least one of \"key\" and \"pattern\" have to be used) at the " + i + "-th action");
        continue;
      }
      if (!deleteOrHash && a.key().isEmpty()) {
        errors.accept("error creating AttrProc due to missing required field \"key\" at the " + i + "-th action");
        continue;
      }
      if (!ACTIONS.contains(a.action())) {
        err = "error creating AttrProc due to unsupported action \"" + a.action() + "\"";
      } else {
        switch (a.action()) {
          case "insert", "update", "upsert" -> {
            if (sources == 0 && a.defaultValue() == null) {
              err = "error creating AttrProc. Either field \"value\", \"from_attribute\", \"from_context\", or \"default_value\" must be specified";
            } else if (sources > 1) {
              err = "error creating AttrProc due to multiple value sources being set";
            } else if (!a.pattern().isEmpty()) {
              err = "error creating AttrProc. Action \"" + a.action() + "\" does not use the \"pattern\" field. This must not be specified";
            } else if (!a.convertedType().isEmpty()) {
              err = "error creating AttrProc. Action \"" + a.action() + "\" does not use the \"converted_type\" field. This must not be specified";
            }
          }
          case "delete", "hash" -> {
            if (a.value() != null || !a.fromAttribute().isEmpty()) {
              err = "error creating AttrProc. Action \"" + a.action() + "\" does not use \"value\" or \"from_attribute\" field. These must not be specified";
            } else if (!a.convertedType().isEmpty()) {
              err = "error creating AttrProc. Action \"" + a.action() + "\" does not use the \"converted_type\" field. This must not be specified";
            } else if (!a.pattern().isEmpty()) {
              try {
                regex = Pattern.compile(a.pattern());
              } catch (PatternSyntaxException e) {
                err = "error creating AttrProc. Field \"pattern\" has invalid pattern: \"" + a.pattern() + "\"";
              }
            }
          }
          case "extract" -> {
            if (sources > 0 || a.defaultValue() != null) {
              err = "error creating AttrProc. Action \"extract\" does not use a value source field. These must not be specified";
            } else if (a.pattern().isEmpty()) {
              err = "error creating AttrProc due to missing required field \"pattern\" for action \"extract\"";
            } else {
              try {
                regex = Pattern.compile(a.pattern());
                Map<String, Integer> named = regex.namedGroups();
                if (named.isEmpty()) {
                  err = "error creating AttrProc. Field \"pattern\" contains no named matcher groups";
                } else {
                  // Older contrib releases accepted unnamed groups beside named ones (the README's own
                  // example has one); they are ignored here rather than refused as the newest release does.
                  groups = new String[regex.groupCount() + 1];
                  for (Map.Entry<String, Integer> e : named.entrySet()) {
                    groups[e.getValue()] = e.getKey();
                  }
                }
              } catch (PatternSyntaxException e) {
                err = "error creating AttrProc. Field \"pattern\" has invalid pattern: \"" + a.pattern() + "\"";
              }
            }
          }
          default -> { // convert
            if (!List.of("int", "double", "string").contains(a.convertedType())) {
              err = "error creating AttrProc due to invalid value \"" + a.convertedType() + "\" in field \"converted_type\" for action \"convert\"";
            }
          }
        }
      }
      if (err != null) {
        errors.accept("error with key \"" + a.key() + "\" (" + i + "-th action): " + err);
        continue;
      }
      out.add(new Compiled(a, regex, groups));
    }
    return new AttributeActions(List.copyOf(out));
  }

  /** Applies every action in order to the attributes. */
  public void apply(Attributes attrs) {
    for (Compiled c : actions) {
      Action a = c.a;
      switch (a.action()) {
        case "insert" -> {
          if (!attrs.containsKey(a.key())) {
            Object v = source(a, attrs);
            if (v != null) {
              attrs.put(a.key(), v);
            }
          }
        }
        case "update" -> {
          if (attrs.containsKey(a.key())) {
            Object v = source(a, attrs);
            if (v != null) {
              attrs.put(a.key(), v);
            }
          }
        }
        case "upsert" -> {
          Object v = source(a, attrs);
          if (v != null) {
            attrs.put(a.key(), v);
          }
        }
        case "delete" -> {
          if (!a.key().isEmpty()) {
            attrs.remove(a.key());
          }
          if (c.regex != null) {
            for (int i = attrs.size() - 1; i >= 0; i--) {
              if (c.regex.matcher(attrs.key(i)).find()) {
                attrs.removeAt(i);
              }
            }
          }
        }
        case "hash" -> {
          if (!a.key().isEmpty()) {
            hashAt(attrs, attrs.indexOf(a.key()));
          }
          if (c.regex != null) {
            for (int i = 0; i < attrs.size(); i++) {
              if (c.regex.matcher(attrs.key(i)).find()) {
                hashAt(attrs, i);
              }
            }
          }
        }
        case "extract" -> {
          Object v = attrs.get(a.key());
          if (v instanceof String s) {
            Matcher m = c.regex.matcher(s);
            if (m.find()) {
              for (int g = 1; g < c.groupNames.length; g++) {
                if (c.groupNames[g] != null) {
                  String sub = m.group(g);
                  attrs.put(c.groupNames[g], sub == null ? "" : sub);
                }
              }
            }
          }
        }
        default -> convert(attrs, a);
      }
    }
  }

  private static Object source(Action a, Attributes attrs) {
    if (a.value() != null) {
      return a.value();
    }
    Object v = null;
    if (!a.fromAttribute().isEmpty()) {
      v = attrs.get(a.fromAttribute());
    }
    // from_context: otelcol-java receivers carry no client metadata, so it never yields a value
    return v != null ? v : a.defaultValue();
  }

  private static void hashAt(Attributes attrs, int i) {
    if (i < 0) {
      return;
    }
    Object v = attrs.value(i);
    byte[] bytes;
    if (v instanceof String s) {
      bytes = s.getBytes(StandardCharsets.UTF_8);
    } else if (v instanceof Long l) {
      bytes = ByteBuffer.allocate(8).putLong(l).array();
    } else if (v instanceof Double d) {
      bytes = ByteBuffer.allocate(8).putLong(Double.doubleToLongBits(d)).array();
    } else if (v instanceof Boolean b) {
      bytes = new byte[] {(byte) (b ? 1 : 0)};
    } else if (v instanceof byte[] b) {
      bytes = b;
    } else {
      return;
    }
    try {
      attrs.setValue(i, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void convert(Attributes attrs, Action a) {
    int i = attrs.indexOf(a.key());
    if (i < 0) {
      return;
    }
    Object v = attrs.value(i);
    Object out = switch (a.convertedType()) {
      case "int" -> {
        if (v instanceof Long) {
          yield v;
        }
        if (v instanceof Double d) {
          yield (long) (double) d;
        }
        if (v instanceof Boolean b) {
          yield b ? 1L : 0L;
        }
        if (v instanceof String s) {
          try {
            yield Long.parseLong(s.trim());
          } catch (NumberFormatException e) {
            yield null;
          }
        }
        yield null;
      }
      case "double" -> {
        if (v instanceof Double) {
          yield v;
        }
        if (v instanceof Long l) {
          yield (double) l;
        }
        if (v instanceof Boolean b) {
          yield b ? 1.0 : 0.0;
        }
        if (v instanceof String s) {
          try {
            yield Double.parseDouble(s.trim());
          } catch (NumberFormatException e) {
            yield null;
          }
        }
        yield null;
      }
      default -> Attributes.asString(v);
    };
    if (out != null) {
      attrs.setValue(i, out);
    }
  }
}
