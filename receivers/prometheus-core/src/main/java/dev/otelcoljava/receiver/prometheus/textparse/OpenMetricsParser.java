package dev.otelcoljava.receiver.prometheus.textparse;

import dev.otelcoljava.receiver.prometheus.labels.Labels;

/**
 * OpenMetrics 1.0 text, with the token rules of Prometheus' openmetricslex/openmetricsparse: exactly
 * one space between tokens, no blank lines and no plain comments, {@code # EOF} required and
 * nothing after it, float timestamps in seconds (converted to ms by truncation, as {@code
 * int64(ts*1000)}), {@code # UNIT} must be a suffix of the family name, exemplars after {@code " #
 * "}. {@code _created} series are returned as ordinary series. Not thread-safe.
 */
final class OpenMetricsParser extends ParserBase {
  private boolean eof;

  OpenMetricsParser(byte[] b, int len) {
    super(b, len);
  }

  /** Token kinds of Prometheus' openmetricslex states, named as in its error messages. */
  private enum State {
    META,
    LABELS,
    LVALUE,
    VALUE,
    TIMESTAMP
  }

  private String tokenAt(State state) {
    if (pos >= len) {
      return "EOF";
    }
    byte c = b[pos];
    switch (state) {
      case LABELS:
        if (isLabelStart(c)) {
          return "LNAME";
        }
        return switch (c) {
          case '}' -> "BCLOSE";
          case ',' -> "COMMA";
          case '=' -> "EQUAL";
          default -> "INVALID";
        };
      case VALUE:
        return c == '{' ? "BOPEN" : "INVALID";
      case TIMESTAMP:
        if (c == '\n') {
          return "LINEBREAK";
        }
        if (c == ' ' && pos + 1 < len && b[pos + 1] != ' ' && b[pos + 1] != '\n') {
          return isExemplarStart() ? "COMMENT" : brokenComment() ? "INVALID" : "TIMESTAMP";
        }
        return "INVALID";
      default:
        return "INVALID";
    }
  }

  private ParseException errorAt(String exp, State state) {
    return parseError(exp, tokenAt(state));
  }

  /** Prometheus 2.42: {@code "INVALID" "<char>" is not a valid start token}. */
  private ParseException startTokenError(int p) {
    String tok = p < len && b[p] == '{' ? "BOPEN" : "INVALID";
    int at = p;
    if (p < len && b[p] == '#') {
      // The lexer shows the byte where its longest attempted match broke off.
      at = p + 1;
      if (at < len && b[at] == ' ') {
        at++;
        int best = 0;
        for (String kw : new String[] {"HELP ", "TYPE ", "UNIT ", "EOF"}) {
          int k = 0;
          while (k < kw.length() && at + k < len && b[at + k] == kw.charAt(k)) {
            k++;
          }
          best = Math.max(best, k);
        }
        at += best;
      }
    }
    return new ParseException("\"" + tok + "\" " + quote(at, Math.min(len, at + 1)) + " is not a valid start token");
  }

  @Override
  public Entry next() throws ParseException {
    if (eof) {
      return Entry.EOF;
    }
    start = pos;
    hasExemplar = false;
    if (pos >= len) {
      throw new ParseException("data does not end with # EOF");
    }
    byte c = b[pos];
    if (c == '#') {
      if (pos + 1 < len && b[pos + 1] == ' ') {
        pos += 2;
        if (startsWith("HELP ")) {
          pos += 5;
          return metadata(Entry.HELP);
        }
        if (startsWith("TYPE ")) {
          pos += 5;
          return metadata(Entry.TYPE);
        }
        if (startsWith("UNIT ")) {
          pos += 5;
          return metadata(Entry.UNIT);
        }
        if (startsWith("EOF")) {
          pos += 3;
          if (pos < len && b[pos] == '\n') {
            pos++;
          }
          if (pos < len) {
            throw new ParseException("unexpected data after # EOF");
          }
          eof = true;
          return Entry.EOF;
        }
      }
      throw startTokenError(start);
    }
    if (isNameStart(c)) {
      return series();
    }
    throw startTokenError(pos);
  }

  private Entry metadata(Entry kind) throws ParseException {
    String tok = kind.name();
    if (pos >= len || !isNameStart(b[pos])) {
      throw errorAt("expected metric name after " + tok, State.META);
    }
    mfStart = pos;
    while (pos < len && isNameChar(b[pos])) {
      pos++;
    }
    mfEnd = pos;
    // text: {S}{C}*\n
    if (pos >= len || b[pos] != ' ') {
      throw new ParseException("expected text in " + tok);
    }
    int nl = indexOfNewline(pos);
    if (nl < 0) {
      throw new ParseException("expected text in " + tok);
    }
    textStart = pos + 1;
    textEnd = nl;
    pos = nl + 1;
    switch (kind) {
      case TYPE -> mtype = omType(textStart, textEnd);
      case HELP -> {
        if (!validUtf8(textStart, textEnd)) {
          throw new ParseException("help text is not a valid utf8 string");
        }
      }
      case UNIT -> {
        int u = textEnd - textStart;
        int m = mfEnd - mfStart;
        if (u > 0
            && (m < u + 1
                || !java.util.Arrays.equals(b, mfEnd - u, mfEnd, b, textStart, textEnd)
                || b[mfEnd - u - 1] != '_')) {
          throw new ParseException("unit not a suffix of metric " + quote(mfStart, mfEnd));
        }
      }
      default -> throw new AssertionError(kind);
    }
    return kind;
  }

  private MetricType omType(int s, int e) throws ParseException {
    if (is(s, e, "counter")) {
      return MetricType.COUNTER;
    } else if (is(s, e, "gauge")) {
      return MetricType.GAUGE;
    } else if (is(s, e, "histogram")) {
      return MetricType.HISTOGRAM;
    } else if (is(s, e, "gaugehistogram")) {
      return MetricType.GAUGE_HISTOGRAM;
    } else if (is(s, e, "summary")) {
      return MetricType.SUMMARY;
    } else if (is(s, e, "info")) {
      return MetricType.INFO;
    } else if (is(s, e, "stateset")) {
      return MetricType.STATESET;
    } else if (is(s, e, "unknown")) {
      return MetricType.UNKNOWN;
    }
    throw new ParseException("invalid metric type " + quote(s, e));
  }

  private Entry series() throws ParseException {
    nameStart = pos;
    seriesStart = pos;
    while (pos < len && isNameChar(b[pos])) {
      pos++;
    }
    nameEnd = pos;
    labelCount = 0;
    if (pos < len && b[pos] == '{') {
      pos++;
      parseLabels(false); // addLabel counts the non-empty ones in labelCount
    }
    seriesEnd = pos;
    value = floatToken("metric");
    hasTs = false;
    if (pos >= len) {
      throw new ParseException("data does not end with # EOF");
    }
    if (b[pos] == '\n') {
      pos++;
      return Entry.SERIES;
    }
    if (b[pos] == ' ' && isExemplarStart()) {
      exemplar();
      return Entry.SERIES;
    }
    if (b[pos] == ' ' && pos + 1 < len && b[pos + 1] != ' ' && b[pos + 1] != '\n' && !brokenComment()) {
      int s = pos + 1;
      pos = s;
      while (pos < len && b[pos] != ' ' && b[pos] != '\n') {
        pos++;
      }
      double t = parseFloat(s, pos);
      if (Double.isNaN(t) || Double.isInfinite(t)) {
        throw new ParseException("invalid timestamp");
      }
      hasTs = true;
      ts = (long) (t * 1000);
      if (pos < len && b[pos] == '\n') {
        pos++;
        return Entry.SERIES;
      }
      if (pos < len && b[pos] == ' ' && isExemplarStart()) {
        exemplar();
        return Entry.SERIES;
      }
      throw errorAt("expected next entry after timestamp", State.TIMESTAMP);
    }
    throw errorAt("expected timestamp or # symbol", State.TIMESTAMP);
  }

  /**
   * " # " not followed by '{': Prometheus' generated lexer has gone past the accepting " #" on
   * the way to an exemplar and does not back up, so the token is invalid (not a timestamp "#").
   */
  private boolean brokenComment() {
    return pos + 2 < len && b[pos + 1] == '#' && b[pos + 2] == ' ' && !isExemplarStart();
  }

  private boolean isExemplarStart() {
    return pos + 3 < len && b[pos + 1] == '#' && b[pos + 2] == ' ' && b[pos + 3] == '{';
  }

  /**
   * Parses " # {labels} value [timestamp]\n" starting at the space. Prometheus 2.42 allows exemplars
   * only on series whose name ends in {@code _total} or {@code _bucket} (whatever the family type,
   * as observed against the real server) and fails the scrape otherwise.
   */
  private void exemplar() throws ParseException {
    if (!endsWith(nameStart, nameEnd, "_total") && !endsWith(nameStart, nameEnd, "_bucket")) {
      throw new ParseException("metric name " + ascii(nameStart, nameEnd) + " does not support exemplars");
    }
    pos += 4;
    int n = parseLabels(true);
    exemplarLabelCount = n;
    exemplarValue = floatToken("exemplar labels");
    exemplarHasTs = false;
    if (pos >= len) {
      throw new ParseException("data does not end with # EOF");
    }
    if (b[pos] == '\n') {
      pos++;
      hasExemplar = true;
      return;
    }
    if (b[pos] == ' ' && pos + 1 < len && b[pos + 1] != ' ' && b[pos + 1] != '\n') {
      int s = pos + 1;
      pos = s;
      while (pos < len && b[pos] != ' ' && b[pos] != '\n') {
        pos++;
      }
      double t = parseFloat(s, pos);
      if (Double.isNaN(t) || Double.isInfinite(t)) {
        throw new ParseException("invalid exemplar timestamp");
      }
      exemplarHasTs = true;
      exemplarTs = (long) (t * 1000);
      if (pos < len && b[pos] == '\n') {
        pos++;
        hasExemplar = true;
        return;
      }
      throw errorAt("expected next entry after exemplar timestamp", State.TIMESTAMP);
    }
    throw errorAt("expected timestamp or comment", State.TIMESTAMP);
  }

  /** " value": exactly one space, then [^ \n]+. */
  private double floatToken(String after) throws ParseException {
    if (pos + 1 < len && b[pos] == ' ' && b[pos + 1] != ' ' && b[pos + 1] != '\n') {
      int s = pos + 1;
      pos = s;
      while (pos < len && b[pos] != ' ' && b[pos] != '\n') {
        pos++;
      }
      return parseFloat(s, pos);
    }
    throw errorAt("expected value after " + after, State.VALUE);
  }

  /**
   * Parses label pairs after '{' through '}' (no whitespace allowed); returns the count. Series
   * labels go to {@code lo}, exemplar labels to {@code eo}.
   */
  private int parseLabels(boolean exemplarLabels) throws ParseException {
    int count = 0;
    boolean first = true;
    if (!exemplarLabels) {
      anyEscape = false;
    }
    while (true) {
      if (pos >= len) {
        throw errorAt(first ? "expected label name or left brace" : "expected comma or left brace", State.LABELS);
      }
      byte c = b[pos];
      if (c == '}') {
        pos++;
        return count;
      }
      if (c == ',') {
        if (first) {
          throw errorAt("expected label name or left brace", State.LABELS);
        }
        pos++;
        if (pos >= len || !isLabelStart(b[pos])) {
          throw errorAt("expected label name", State.LABELS);
        }
      } else if (isLabelStart(c)) {
        if (!first) {
          throw parseError("expected comma", "LNAME");
        }
      } else {
        throw errorAt(first ? "expected label name or left brace" : "expected comma or left brace", State.LABELS);
      }
      first = false;
      int ns = pos;
      while (pos < len && isLabelChar(b[pos])) {
        pos++;
      }
      int ne = pos;
      if (pos >= len || b[pos] != '=') {
        throw errorAt("expected equal", State.LABELS);
      }
      pos++;
      if (pos >= len || b[pos] != '"') {
        throw errorAt("expected label value", State.LVALUE);
      }
      pos++;
      int vs = pos;
      int high = 0;
      valueHighBits = 0;
      while (true) {
        pos = skipPlainValueBytes(pos, true);
        if (pos >= len || b[pos] == '\n') {
          throw parseError("expected label value", "INVALID");
        }
        byte v = b[pos];
        if (v == '"') {
          break;
        }
        if (v == '\\') {
          if (pos + 1 >= len || b[pos + 1] == '\n') {
            throw parseError("expected label value", "INVALID");
          }
          pos += 2;
          continue;
        }
        high |= v;
        pos++;
      }
      int ve = pos;
      pos++;
      if ((high < 0 || skippedNonAscii()) && !validUtf8(vs, ve)) {
        throw new ParseException("invalid UTF-8 label value");
      }
      if (exemplarLabels) {
        int k = 4 * count;
        if (k + 4 > eo.length) {
          eo = java.util.Arrays.copyOf(eo, eo.length * 2);
        }
        eo[k] = ns;
        eo[k + 1] = ne;
        eo[k + 2] = vs;
        eo[k + 3] = ve;
      } else {
        // Not labelCount = count: a label with an empty value is dropped by addLabel, so the
        // stored labels can be fewer than the labels read (the rest of lo is a previous series').
        addLabel(ns, ne, vs, ve);
      }
      count++;
    }
  }

  @Override
  public boolean exemplar(Exemplar out) {
    if (!hasExemplar) {
      return false;
    }
    Labels.Builder lb = new Labels.Builder();
    addLabels(lb, eo, exemplarLabelCount);
    out.labels = lb.build();
    out.value = exemplarValue;
    out.hasTs = exemplarHasTs;
    out.tsMs = exemplarTs;
    return true;
  }

  @Override
  public String help() {
    // Prometheus' OpenMetrics parser unescapes HELP with the label-value replacer.
    return unescape(textStart, textEnd, true);
  }

  @Override
  public String unit() {
    return ascii(textStart, textEnd);
  }

  private boolean endsWith(int s, int e, String suffix) {
    int n = suffix.length();
    if (e - s < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[e - n + i] != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean startsWith(String word) {
    if (pos + word.length() > len) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (b[pos + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int indexOfNewline(int from) {
    for (int i = from; i < len; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
