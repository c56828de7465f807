package dev.otelcoljava.processor.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.otelcoljava.runtime.api.data.Attributes;
import dev.otelcoljava.runtime.api.data.DataPoint;
import dev.otelcoljava.runtime.api.data.Metric;
import dev.otelcoljava.runtime.api.data.MetricType;
import dev.otelcoljava.runtime.api.data.NumberPoint;
import dev.otelcoljava.runtime.api.data.ResourceMetrics;
import dev.otelcoljava.runtime.api.data.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled boolean condition: the subset of OTTL (and of the legacy {@code expr} language) that
 * the filter processor supports. Parsing is strict: anything outside the subset fails with a
 * {@link ParseException} naming what is not supported, so that a condition never silently passes.
 *
 * <p>OTTL subset: {@code and}, {@code or}, {@code not}, parentheses, comparisons {@code == != < <=
 * > >=} between paths, string/int/float/bool/nil literals and enums ({@code METRIC_DATA_TYPE_*},
 * {@code AGGREGATION_TEMPORALITY_*}); functions {@code IsMatch(target, "re")}, {@code
 * HasAttrKeyOnDatapoint("k")}, {@code HasAttrOnDatapoint("k", "v")}. Paths: {@code
 * resource.attributes["k"]}, {@code scope.name|version|attributes["k"]}, {@code
 * metric.name|type|unit|description|aggregation_temporality|is_monotonic}, {@code
 * datapoint.attributes["k"]|value_int|value_double|start_time_unix_nano|time_unix_nano}; in a
 * context's own unprefixed form too. Comparisons follow OTTL: values of different types are never
 * equal, ints and floats compare numerically, nil equals only nil.
 *
 * <p>Expr subset (legacy {@code match_type: expr}): {@code MetricName}, {@code MetricType}, {@code
 * Label("k")}, {@code HasLabel("k")}, {@code == != matches}, {@code && || !} ({@code and or not}),
 * parentheses, string and bool literals. Immutable and thread-safe once built.
 */
final class Condition {
  /** Evaluation levels, from the outermost. */
  static final int RESOURCE = 0;
  static final int SCOPE = 1;
  static final int METRIC = 2;
  static final int DATAPOINT = 3;

  enum Dialect {
    OTTL,
    EXPR
  }

  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  /** What a condition is evaluated against; the fields below the condition's level may be null. */
  static final class Ctx {
    ResourceMetrics resource;
    ScopeMetrics scope;
    Metric metric;
    DataPoint point;
  }

  private interface Node {
    Object eval(Ctx c);
  }

  private final String text;
  private final Node root;
  private final int level;

  private Condition(String text, Node root, int level) {
    this.text = text;
    this.root = root;
    this.level = level;
  }

  String text() {
    return text;
  }

  /** The innermost level the condition reads (for inferred contexts). */
  int level() {
    return level;
  }

  boolean test(Ctx c) {
    return Boolean.TRUE.equals(root.eval(c));
  }

  /**
   * Parses an OTTL condition for a context. {@code context} is the fixed context for the legacy
   * form (unprefixed paths are relative to it), or -1 for context inference (every path prefixed).
   */
  static Condition parseOttl(String text, int context) throws ParseException {
    Parser p = new Parser(text, Dialect.OTTL, context);
    Node n = p.parseTop();
    int level = context >= 0 ? context : Math.max(p.maxLevel, RESOURCE);
    return new Condition(text, n, level);
  }

  /** Parses a legacy expr expression, evaluated per data point. */
  static Condition parseExpr(String text) throws ParseException {
    Parser p = new Parser(text, Dialect.EXPR, DATAPOINT);
    return new Condition(text, p.parseTop(), DATAPOINT);
  }

  // ---------------------------------------------------------------- tokenizer

  private enum T {
    IDENT,
    STRING,
    INT,
    FLOAT,
    LPAREN,
    RPAREN,
    LBRACK,
    RBRACK,
    COMMA,
    DOT,
    OP,
    EOF
  }

  private record Tok(T type, String text, int pos) {}

  private static List<Tok> lex(String s, Dialect d) throws ParseException {
    List<Tok> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      if (c == '"' || (c == '\'' && d == Dialect.EXPR)) {
        StringBuilder sb = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char x = s.charAt(i);
          if (x == '\\' && i + 1 < n) {
            char e = s.charAt(i + 1);
            switch (e) {
              case 'n' -> sb.append('\n');
              case 't' -> sb.append('\t');
              case 'r' -> sb.append('\r');
              default -> sb.append(e);
            }
            i += 2;
            continue;
          }
          if (x == c) {
            closed = true;
            i++;
            break;
          }
          sb.append(x);
          i++;
        }
        if (!closed) {
          throw new ParseException("unterminated string starting at offset " + start);
        }
        out.add(new Tok(T.STRING, sb.toString(), start));
        continue;
      }
      if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(s.charAt(i + 1))
          && (out.isEmpty() || out.get(out.size() - 1).type == T.OP
              || out.get(out.size() - 1).type == T.LPAREN || out.get(out.size() - 1).type == T.COMMA))) {
        i++;
        boolean isFloat = false;
        while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == 'e'
            || s.charAt(i) == 'E' || ((s.charAt(i) == '+' || s.charAt(i) == '-')
                && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
          if (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E') {
            isFloat = true;
          }
          i++;
        }
        out.add(new Tok(isFloat ? T.FLOAT : T.INT, s.substring(start, i), start));
        continue;
      }
      if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        out.add(new Tok(T.IDENT, s.substring(start, i), start));
        continue;
      }
      switch (c) {
        case '(' -> out.add(new Tok(T.LPAREN, "(", i++));
        case ')' -> out.add(new Tok(T.RPAREN, ")", i++));
        case '[' -> out.add(new Tok(T.LBRACK, "[", i++));
        case ']' -> out.add(new Tok(T.RBRACK, "]", i++));
        case ',' -> out.add(new Tok(T.COMMA, ",", i++));
        case '.' -> out.add(new Tok(T.DOT, ".", i++));
        default -> {
          String two = i + 1 < n ? s.substring(i, i + 2) : "";
          if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")
              || (d == Dialect.EXPR && (two.equals("&&") || two.equals("||")))) {
            out.add(new Tok(T.OP, two, i));
            i += 2;
          } else if (c == '<' || c == '>' || (c == '!' && d == Dialect.EXPR)) {
            out.add(new Tok(T.OP, String.valueOf(c), i));
            i++;
          } else {
            throw new ParseException("unexpected character '" + c + "' at offset " + i);
          }
        }
      }
    }
    out.add(new Tok(T.EOF, "", n));
    return out;
  }

  // ---------------------------------------------------------------- parser

  private static final class Parser {
    private final List<Tok> toks;
    private final Dialect dialect;
    private final int context;
    private int pos;
    int maxLevel = -1;

    Parser(String text, Dialect dialect, int context) throws ParseException {
      this.toks = lex(text, dialect);
      this.dialect = dialect;
      this.context = context;
    }

    private Tok peek() {
      return toks.get(pos);
    }

    private Tok next() {
      return toks.get(pos++);
    }

    private boolean isWord(String w) {
      Tok t = peek();
      return t.type == T.IDENT && t.text.equals(w);
    }

    private boolean isOp(String o) {
      Tok t = peek();
      return t.type == T.OP && t.text.equals(o);
    }

    private Tok expect(T type, String what) throws ParseException {
      Tok t = next();
      if (t.type != type) {
        throw new ParseException("expected " + what + " at offset " + t.pos + ", found "
            + (t.type == T.EOF ? "end of condition" : "\"" + t.text + "\""));
      }
      return t;
    }

    Node parseTop() throws ParseException {
      if (peek().type == T.EOF) {
        throw new ParseException("empty condition");
      }
      Typed n = parseOr();
      if (peek().type != T.EOF) {
        throw new ParseException("unexpected \"" + peek().text + "\" at offset " + peek().pos);
      }
      requireBool(n);
      return n.node;
    }

    private record Typed(Node node, boolean bool) {}

    private void requireBool(Typed t) throws ParseException {
      if (!t.bool) {
        throw new ParseException("expression is not a boolean condition");
      }
    }

    private boolean orWord() {
      return isWord("or") || (dialect == Dialect.EXPR && isOp("||"));
    }

    private boolean andWord() {
      return isWord("and") || (dialect == Dialect.EXPR && isOp("&&"));
    }

    private boolean notWord() {
      return isWord("not") || (dialect == Dialect.EXPR && isOp("!"));
    }

    private Typed parseOr() throws ParseException {
      Typed left = parseAnd();
      while (orWord()) {
        next();
        requireBool(left);
        Typed right = parseAnd();
        requireBool(right);
        Node l = left.node;
        Node r = right.node;
        left = new Typed(c -> Boolean.TRUE.equals(l.eval(c)) || Boolean.TRUE.equals(r.eval(c)), true);
      }
      return left;
    }

    private Typed parseAnd() throws ParseException {
      Typed left = parseNot();
      while (andWord()) {
        next();
        requireBool(left);
        Typed right = parseNot();
        requireBool(right);
        Node l = left.node;
        Node r = right.node;
        left = new Typed(c -> Boolean.TRUE.equals(l.eval(c)) && Boolean.TRUE.equals(r.eval(c)), true);
      }
      return left;
    }

    private Typed parseNot() throws ParseException {
      if (notWord()) {
        next();
        Typed inner = parseNot();
        requireBool(inner);
        Node n = inner.node;
        return new Typed(c -> !Boolean.TRUE.equals(n.eval(c)), true);
      }
      return parseComparison();
    }

    private Typed parseComparison() throws ParseException {
      Typed left = parseValue();
      Tok t = peek();
      String op = null;
      if (t.type == T.OP && (t.text.equals("==") || t.text.equals("!=") || t.text.equals("<")
          || t.text.equals("<=") || t.text.equals(">") || t.text.equals(">="))) {
        if (dialect == Dialect.EXPR && !t.text.equals("==") && !t.text.equals("!=")) {
          throw new ParseException("operator " + t.text + " is not supported in expr conditions");
        }
        op = t.text;
      } else if (dialect == Dialect.EXPR && isWord("matches")) {
        op = "matches";
      }
      if (op == null) {
        return left;
      }
      next();
      Typed right = parseValue();
      Node l = left.node;
      Node r = right.node;
      if (op.equals("matches")) {
        Pattern p = literalPattern(right, "matches");
        return new Typed(c -> {
          Object v = l.eval(c);
          return v instanceof String s && p.matcher(s).find();
        }, true);
      }
      String o = op;
      return new Typed(c -> compare(l.eval(c), r.eval(c), o), true);
    }

    private Pattern literalPattern(Typed t, String fn) throws ParseException {
      if (!(t.node instanceof Literal lit) || !(lit.value instanceof String s)) {
        throw new ParseException(fn + " needs a string literal pattern");
      }
      try {
        return Pattern.compile(s);
      } catch (PatternSyntaxException e) {
        throw new ParseException("invalid regular expression \"" + s + "\": " + e.getDescription());
      }
    }

    private Typed parseValue() throws ParseException {
      Tok t = peek();
      switch (t.type) {
        case LPAREN -> {
          next();
          Typed inner = parseOr();
          expect(T.RPAREN, "\")\"");
          return inner;
        }
        case STRING -> {
          next();
          return new Typed(new Literal(t.text), false);
        }
        case INT -> {
          next();
          try {
            return new Typed(new Literal(Long.parseLong(t.text)), false);
          } catch (NumberFormatException e) {
            throw new ParseException("invalid integer " + t.text);
          }
        }
        case FLOAT -> {
          next();
          try {
            return new Typed(new Literal(Double.parseDouble(t.text)), false);
          } catch (NumberFormatException e) {
            throw new ParseException("invalid number " + t.text);
          }
        }
        case IDENT -> {
          return parseIdent();
        }
        default -> throw new ParseException("unexpected " + (t.type == T.EOF ? "end of condition" : "\"" + t.text + "\"")
            + " at offset " + t.pos);
      }
    }

    private Typed parseIdent() throws ParseException {
      Tok t = next();
      String w = t.text;
      if (w.equals("true") || w.equals("false")) {
        return new Typed(new Literal(Boolean.parseBoolean(w)), true);
      }
      if (dialect == Dialect.OTTL && w.equals("nil")) {
        return new Typed(new Literal(null), false);
      }
      if (peek().type == T.LPAREN) {
        next();
        List<Typed> args = new ArrayList<>();
        if (peek().type != T.RPAREN) {
          args.add(parseOr());
          while (peek().type == T.COMMA) {
            next();
            args.add(parseOr());
          }
        }
        expect(T.RPAREN, "\")\"");
        return function(w, args);
      }
      if (dialect == Dialect.EXPR) {
        return switch (w) {
          case "MetricName" -> new Typed(c -> c.metric.name(), false);
          case "MetricType" -> new Typed(c -> metricTypeName(c.metric.type()), false);
          default -> throw new ParseException("unknown identifier \"" + w + "\" (supported: MetricName, MetricType, Label(k), HasLabel(k))");
        };
      }
      Long e = enumValue(w);
      if (e != null) {
        return new Typed(new Literal(e), false);
      }
      List<String> segs = new ArrayList<>();
      segs.add(w);
      while (peek().type == T.DOT) {
        next();
        segs.add(expect(T.IDENT, "a path segment").text);
      }
      String key = null;
      if (peek().type == T.LBRACK) {
        next();
        key = expect(T.STRING, "a string key").text;
        expect(T.RBRACK, "\"]\"");
        if (peek().type == T.LBRACK) {
          throw new ParseException("nested keys are not supported");
        }
      }
      return path(segs, key);
    }

    private void use(int level) {
      maxLevel = Math.max(maxLevel, level);
    }

    private Typed path(List<String> segs, String key) throws ParseException {
      String full = String.join(".", segs) + (key == null ? "" : "[\"" + key + "\"]");
      List<String> s = new ArrayList<>(segs);
      int prefix = switch (s.get(0)) {
        case "resource" -> RESOURCE;
        case "scope", "instrumentation_scope" -> SCOPE;
        case "metric" -> METRIC;
        case "datapoint" -> DATAPOINT;
        default -> -1;
      };
      if (prefix >= 0 && s.size() > 1) {
        s.remove(0);
      } else if (prefix >= 0 && key != null && s.size() == 1) {
        throw new ParseException("path \"" + full + "\" is not supported");
      } else {
        if (context < 0) {
          throw new ParseException("path \"" + full + "\" must start with a context (resource., scope., metric. or datapoint.)");
        }
        prefix = context;
      }
      if (context >= 0 && prefix > context) {
        throw new ParseException("path \"" + full + "\" is not available in this context");
      }
      use(prefix);
      String field = String.join(".", s);
      final String k = key;
      switch (prefix) {
        case RESOURCE -> {
          if (field.equals("attributes")) {
            return attrs(full, k, c -> c.resource.resource());
          }
        }
        case SCOPE -> {
          if (field.equals("attributes")) {
            return attrs(full, k, c -> c.scope.attributes());
          }
          if (k == null && field.equals("name")) {
            return new Typed(c -> c.scope.name(), false);
          }
          if (k == null && field.equals("version")) {
            return new Typed(c -> c.scope.version(), false);
          }
        }
        case METRIC -> {
          if (k == null) {
            switch (field) {
              case "name" -> {
                return new Typed(c -> c.metric.name(), false);
              }
              case "unit" -> {
                return new Typed(c -> c.metric.unit(), false);
              }
              case "description" -> {
                return new Typed(c -> c.metric.description(), false);
              }
              case "type" -> {
                return new Typed(c -> (long) typeEnum(c.metric.type()), false);
              }
              case "aggregation_temporality" -> {
                return new Typed(c -> (long) c.metric.temporality().ordinal(), false);
              }
              case "is_monotonic" -> {
                return new Typed(c -> c.metric.monotonic(), true);
              }
              default -> {}
            }
          }
        }
        default -> {
          if (field.equals("attributes")) {
            return attrs(full, k, c -> c.point.attributes());
          }
          if (k == null) {
            switch (field) {
              case "value_int" -> {
                return new Typed(c -> c.point instanceof NumberPoint p ? (Object) (p.isDouble() ? 0L : p.longValue()) : null, false);
              }
              case "value_double" -> {
                return new Typed(c -> c.point instanceof NumberPoint p ? (Object) (p.isDouble() ? p.doubleValue() : 0.0) : null, false);
              }
              case "start_time_unix_nano" -> {
                return new Typed(c -> c.point.startTimeNanos(), false);
              }
              case "time_unix_nano" -> {
                return new Typed(c -> c.point.timeNanos(), false);
              }
              default -> {}
            }
          }
        }
      }
      throw new ParseException("path \"" + full + "\" is not supported");
    }

    private Typed attrs(String full, String key, java.util.function.Function<Ctx, Attributes> f) throws ParseException {
      if (key == null) {
        throw new ParseException("path \"" + full + "\" needs a key: attributes[\"name\"]");
      }
      return new Typed(c -> f.apply(c).get(key), false);
    }

    private Typed function(String name, List<Typed> args) throws ParseException {
      if (dialect == Dialect.EXPR) {
        switch (name) {
          case "Label" -> {
            String k = stringArg(name, args, 0, 1);
            return new Typed(c -> c.point == null ? null : c.point.attributes().getString(k), false);
          }
          case "HasLabel" -> {
            String k = stringArg(name, args, 0, 1);
            return new Typed(c -> c.point != null && c.point.attributes().containsKey(k), true);
          }
          default -> throw new ParseException("function " + name + " is not supported (supported: Label, HasLabel)");
        }
      }
      switch (name) {
        case "IsMatch" -> {
          if (args.size() != 2) {
            throw new ParseException("IsMatch takes 2 arguments, got " + args.size());
          }
          Pattern p = literalPattern(args.get(1), "IsMatch");
          Node target = args.get(0).node;
          return new Typed(c -> {
            Object v = target.eval(c);
            if (v == null) {
              return false;
            }
            String s = v instanceof String x ? x : Attributes.asString(v);
            return p.matcher(s).find();
          }, true);
        }
        case "HasAttrKeyOnDatapoint" -> {
          String k = stringArg(name, args, 0, 1);
          use(METRIC);
          return new Typed(c -> {
            for (DataPoint p : c.metric.points()) {
              if (p.attributes().containsKey(k)) {
                return true;
              }
            }
            return false;
          }, true);
        }
        case "HasAttrOnDatapoint" -> {
          String k = stringArg(name, args, 0, 2);
          String v = stringArg(name, args, 1, 2);
          use(METRIC);
          return new Typed(c -> {
            for (DataPoint p : c.metric.points()) {
              Object x = p.attributes().get(k);
              if (x instanceof String s && s.equals(v)) {
                return true;
              }
            }
            return false;
          }, true);
        }
        default -> throw new ParseException("function " + name + " is not supported (supported: IsMatch, HasAttrKeyOnDatapoint, HasAttrOnDatapoint)");
      }
    }

    private String stringArg(String fn, List<Typed> args, int i, int n) throws ParseException {
      if (args.size() != n) {
        throw new ParseException(fn + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size());
      }
      if (!(args.get(i).node instanceof Literal l) || !(l.value instanceof String s)) {
        throw new ParseException(fn + " needs string literal arguments");
      }
      return s;
    }
  }

  private record Literal(Object value) implements Node {
    @Override
    public Object eval(Ctx c) {
      return value;
    }
  }

  private static Long enumValue(String w) {
    return switch (w) {
      case "METRIC_DATA_TYPE_NONE" -> 0L;
      case "METRIC_DATA_TYPE_GAUGE" -> 1L;
      case "METRIC_DATA_TYPE_SUM" -> 2L;
      case "METRIC_DATA_TYPE_HISTOGRAM" -> 3L;
      case "METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM" -> 4L;
      case "METRIC_DATA_TYPE_SUMMARY" -> 5L;
      case "AGGREGATION_TEMPORALITY_UNSPECIFIED" -> 0L;
      case "AGGREGATION_TEMPORALITY_DELTA" -> 1L;
      case "AGGREGATION_TEMPORALITY_CUMULATIVE" -> 2L;
      default -> null;
    };
  }

  static int typeEnum(MetricType t) {
    return switch (t) {
      case GAUGE -> 1;
      case SUM -> 2;
      case HISTOGRAM -> 3;
      case EXPONENTIAL_HISTOGRAM -> 4;
      case SUMMARY -> 5;
    };
  }

  /** pdata's MetricType.String(), which the legacy expr language compares against. */
  static String metricTypeName(MetricType t) {
    return switch (t) {
      case GAUGE -> "Gauge";
      case SUM -> "Sum";
      case HISTOGRAM -> "Histogram";
      case EXPONENTIAL_HISTOGRAM -> "ExponentialHistogram";
      case SUMMARY -> "Summary";
    };
  }

  static boolean compare(Object a, Object b, String op) {
    if (a == null || b == null) {
      boolean eq = a == null && b == null;
      return switch (op) {
        case "==" -> eq;
        case "!=" -> !eq;
        default -> false;
      };
    }
    int cmp;
    if (a instanceof Number x && b instanceof Number y) {
      if ((x instanceof Long || x instanceof Integer) && (y instanceof Long || y instanceof Integer)) {
        cmp = Long.compare(x.longValue(), y.longValue());
      } else {
        double dx = x.doubleValue();
        double dy = y.doubleValue();
        if (Double.isNaN(dx) || Double.isNaN(dy)) {
          return op.equals("!=");
        }
        cmp = Double.compare(dx == 0.0 ? 0.0 : dx, dy == 0.0 ? 0.0 : dy);
      }
    } else if (a instanceof String x && b instanceof String y) {
      cmp = x.compareTo(y);
    } else if (a instanceof Boolean x && b instanceof Boolean y) {
      if (op.equals("==")) {
        return x.equals(y);
      }
      if (op.equals("!=")) {
        return !x.equals(y);
      }
      return false;
    } else {
      return op.equals("!=");
    }
    return switch (op) {
      case "==" -> cmp == 0;
      case "!=" -> cmp != 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      case ">" -> cmp > 0;
      default -> cmp >= 0;
    };
  }
}
