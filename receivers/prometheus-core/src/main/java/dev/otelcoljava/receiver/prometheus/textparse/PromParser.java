package dev.otelcoljava.receiver.prometheus.textparse;

/**
 * Prometheus text format 0.0.4, reproducing Prometheus 2.42's promlex/promparse as observed
 * against the real server: blank lines and spaces or tabs between tokens are allowed, {@code #}
 * lines other than HELP/TYPE are comments, the last line may lack its newline, timestamps are
 * integer milliseconds, HELP unescapes {@code \\} and {@code \n}, label values also {@code \"};
 * label values and HELP must be valid UTF-8. Whitespace before a sample's metric name becomes part
 * of the name in Prometheus, which then fails the scrape; so it does here. Not thread-safe.
 */
final class PromParser extends ParserBase {

  PromParser(byte[] b, int len) {
    super(b, len);
  }

  private void skipWs() {
    while (pos < len && (b[pos] == ' ' || b[pos] == '\t')) {
      pos++;
    }
  }

  @Override
  public Entry next() throws ParseException {
    while (true) {
      start = pos;
      skipWs();
      if (pos >= len || b[pos] == 0) {
        pos = len;
        return Entry.EOF;
      }
      byte c = b[pos];
      if (c == '\n') {
        pos++; // blank lines are allowed
        continue;
      }
      if (c == '#') {
        return comment();
      }
      if (isNameStart(c)) {
        if (pos > start) {
          // Prometheus keeps the leading blanks in the name and rejects it after parsing.
          int ns = pos;
          while (pos < len && isNameChar(b[pos])) {
            pos++;
          }
          throw new ParseException(
              "invalid metric name or label names: {__name__=" + quote(start, pos) + "}");
        }
        return series();
      }
      throw new ParseException("\"" + (c == '{' ? "BOPEN" : "INVALID") + "\" is not a valid start token");
    }
  }

  private Entry comment() throws ParseException {
    int hash = pos;
    pos++;
    int afterHash = pos;
    skipWs();
    if (pos > afterHash) {
      boolean help = startsWith("HELP");
      boolean type = !help && startsWith("TYPE");
      if ((help || type) && pos + 4 < len && (b[pos + 4] == ' ' || b[pos + 4] == '\t')) {
        pos += 4;
        skipWs();
        return metadata(help);
      }
    }
    // An ordinary comment: consume up to the newline (or the end, which ends the body).
    int nl = indexOfNewline(pos);
    if (nl < 0) {
      pos = len;
      return Entry.EOF;
    }
    textStart = hash;
    textEnd = nl;
    pos = nl + 1;
    return Entry.COMMENT;
  }

  private Entry metadata(boolean help) throws ParseException {
    String tok = help ? "HELP" : "TYPE";
    if (pos >= len || !isNameStart(b[pos])) {
      throw parseError("expected metric name after " + tok, "INVALID");
    }
    mfStart = pos;
    while (pos < len && isNameChar(b[pos])) {
      pos++;
    }
    mfEnd = pos;
    // The text token is the rest of the line minus its first character; a rest made only of
    // blanks lexes as whitespace, leaving empty text.
    int nl = indexOfNewline(pos);
    int end = nl < 0 ? len : nl;
    boolean blank = true;
    for (int i = pos; i < end; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        blank = false;
        break;
      }
    }
    textStart = blank ? end : pos + 1;
    textEnd = end;
    pos = end;
    if (help) {
      if (!validUtf8(textStart, textEnd)) {
        throw new ParseException("help text is not a valid utf8 string");
      }
    } else {
      int s = textStart;
      int e = textEnd;
      if (is(s, e, "counter")) {
        mtype = MetricType.COUNTER;
      } else if (is(s, e, "gauge")) {
        mtype = MetricType.GAUGE;
      } else if (is(s, e, "histogram")) {
        mtype = MetricType.HISTOGRAM;
      } else if (is(s, e, "summary")) {
        mtype = MetricType.SUMMARY;
      } else if (is(s, e, "untyped")) {
        mtype = MetricType.UNKNOWN;
      } else {
        throw new ParseException("invalid metric type " + quote(s, e));
      }
    }
    if (pos < len) {
      pos++; // the newline; a last line without one is accepted, as by Prometheus
    }
    return help ? Entry.HELP : Entry.TYPE;
  }

  private Entry series() throws ParseException {
    nameStart = pos;
    seriesStart = pos;
    while (pos < len && isNameChar(b[pos])) {
      pos++;
    }
    nameEnd = pos;
    seriesEnd = pos;
    labelCount = 0;
    skipWs();
    if (pos < len && b[pos] == '{') {
      pos++;
      parseLabels();
      seriesEnd = pos;
      skipWs();
    }
    // value: [^{ \t\n]+
    int vs = pos;
    while (pos < len) {
      byte c = b[pos];
      if (c == ' ' || c == '\t' || c == '\n' || c == '{') {
        break;
      }
      pos++;
    }
    if (pos == vs) {
      throw parseError("expected value after metric", pos < len && b[pos] == '{' ? "BOPEN" : "INVALID");
    }
    value = parseFloat(vs, pos);
    hasTs = false;
    skipWs();
    if (pos >= len) {
      return Entry.SERIES;
    }
    if (b[pos] == '\n') {
      pos++;
      return Entry.SERIES;
    }
    if (b[pos] >= '0' && b[pos] <= '9') {
      int ts0 = pos;
      long t = 0;
      boolean overflow = false;
      while (pos < len && b[pos] >= '0' && b[pos] <= '9') {
        int d = b[pos] - '0';
        if (t > (Long.MAX_VALUE - d) / 10) {
          overflow = true;
        }
        t = t * 10 + d;
        pos++;
      }
      if (overflow) {
        throw new ParseException("strconv.ParseInt: parsing " + quote(ts0, pos) + ": value out of range");
      }
      hasTs = true;
      ts = t;
      skipWs();
      if (pos >= len) {
        return Entry.SERIES;
      }
      if (b[pos] == '\n') {
        pos++;
        return Entry.SERIES;
      }
      throw parseError("expected next entry after timestamp", "INVALID");
    }
    throw parseError("expected timestamp or new record", "INVALID");
  }

  /** The promlexer's token name for the byte at pos inside braces. */
  private String labelsToken() {
    if (pos >= len) {
      return "INVALID";
    }
    byte c = b[pos];
    if (isLabelStart(c)) {
      return "LNAME";
    }
    return switch (c) {
      case '}' -> "BCLOSE";
      case '=' -> "EQUAL";
      case ',' -> "COMMA";
      case '\n' -> "INVALID";
      default -> "INVALID";
    };
  }

  /** Parses the label pairs after '{' up to and including '}'. */
  private void parseLabels() throws ParseException {
    anyEscape = false;
    skipWs();
    while (true) {
      if (pos >= len) {
        throw parseError("expected label name", "INVALID");
      }
      byte c = b[pos];
      if (c == '}') {
        pos++;
        return;
      }
      if (!isLabelStart(c)) {
        throw parseError("expected label name", labelsToken());
      }
      int ns = pos;
      while (pos < len && isLabelChar(b[pos])) {
        pos++;
      }
      int ne = pos;
      skipWs();
      if (pos >= len || b[pos] != '=') {
        throw parseError("expected equal", labelsToken());
      }
      pos++;
      skipWs();
      if (pos >= len || b[pos] != '"') {
        throw parseError("expected label value", "INVALID");
      }
      pos++;
      int vs = pos;
      int high = 0;
      valueHighBits = 0;
      while (true) {
        pos = skipPlainValueBytes(pos, false);
        if (pos >= len) {
          throw parseError("expected label value", "INVALID");
        }
        byte v = b[pos];
        if (v == '"') {
          break;
        }
        if (v == '\\') {
          // "\\." : any escaped byte except a newline
          if (pos + 1 >= len || b[pos + 1] == '\n') {
            throw parseError("expected label value", "INVALID");
          }
          anyEscape = true;
          pos += 2;
          continue;
        }
        high |= v;
        pos++;
      }
      int ve = pos;
      pos++; // closing quote
      if ((high < 0 || skippedNonAscii()) && !validUtf8(vs, ve)) {
        throw new ParseException("invalid UTF-8 label value");
      }
      addLabel(ns, ne, vs, ve);
      skipWs();
      if (pos < len && b[pos] == ',') {
        pos++;
        skipWs();
      }
    }
  }

  @Override
  public String help() {
    // helpReplacer: only \\ and \n.
    return unescape(textStart, textEnd, false);
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
