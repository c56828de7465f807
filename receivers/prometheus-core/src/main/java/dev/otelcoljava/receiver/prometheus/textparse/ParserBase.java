package dev.otelcoljava.receiver.prometheus.textparse;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * State and byte-level helpers shared by the two text parsers: label offsets, value and timestamp
 * of the current series, metadata of the current TYPE/HELP/UNIT entry, number parsing with Go's
 * {@code strconv} rules, unescaping and UTF-8 validation. Nothing here allocates on the SERIES fast
 * path except growing the offset array for a series with more labels than seen before.
 */
abstract class ParserBase implements Parser {
  /** Bits of Go's canonical NaN (Prometheus' value.NormalNaN). */
  static final double NORMAL_NAN = Double.longBitsToDouble(0x7ff8000000000001L);

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  final byte[] b;
  final int len;
  int pos;
  /** Start of the current entry (Prometheus' p.start), for error messages. */
  int start;

  // SERIES state
  int seriesStart;
  int seriesEnd;
  int nameStart;
  int nameEnd;
  /** Per label: name start, name end, value start, value end (value without quotes). */
  int[] lo = new int[64];
  int labelCount;
  /** True if some label value of the current series contains a backslash. */
  boolean anyEscape;
  double value;
  boolean hasTs;
  long ts;

  // exemplar state (OpenMetrics only)
  int[] eo = new int[16];
  int exemplarLabelCount;
  boolean hasExemplar;
  double exemplarValue;
  boolean exemplarHasTs;
  long exemplarTs;

  // metadata state
  int mfStart;
  int mfEnd;
  int textStart;
  int textEnd;
  MetricType mtype = MetricType.UNKNOWN;

  ParserBase(byte[] b, int len) {
    if (len < 0 || len > b.length) {
      throw new IllegalArgumentException("length " + len + " outside buffer of " + b.length);
    }
    this.b = b;
    this.len = len;
  }

  @Override
  public final byte[] buffer() {
    return b;
  }

  @Override
  public final int seriesStart() {
    return seriesStart;
  }

  @Override
  public final int seriesEnd() {
    return seriesEnd;
  }

  @Override
  public final double value() {
    return value;
  }

  @Override
  public final boolean hasTimestamp() {
    return hasTs;
  }

  @Override
  public final long timestampMs() {
    return ts;
  }

  @Override
  public final Labels labels() throws ParseException {
    for (int i = 0; i < labelCount; i++) {
      checkDuplicate(lo, i, lo[4 * i], lo[4 * i + 1]);
    }
    Labels.Builder lb = new Labels.Builder();
    lb.set(Labels.METRIC_NAME, ascii(nameStart, nameEnd));
    addLabels(lb, lo, labelCount);
    return lb.build();
  }

  final void addLabels(Labels.Builder lb, int[] offsets, int count) {
    for (int i = 0; i < count; i++) {
      int k = 4 * i;
      lb.set(ascii(offsets[k], offsets[k + 1]), labelValue(offsets[k + 2], offsets[k + 3]));
    }
  }

  @Override
  public boolean exemplar(Exemplar out) {
    return false;
  }

  @Override
  public final String metricFamily() {
    return ascii(mfStart, mfEnd);
  }

  @Override
  public final MetricType type() {
    return mtype;
  }

  @Override
  public String unit() {
    return "";
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** True if b[s, e) is exactly the ASCII word (no String is made: TYPE lines stay allocation-free). */
  final boolean is(int s, int e, String word) {
    if (e - s != word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (b[s + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  final String ascii(int s, int e) {
    return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
  }

  final String utf8(int s, int e) {
    return new String(b, s, e - s, StandardCharsets.UTF_8);
  }

  /** A label value with Prometheus' lvalReplacer applied: \" → ", \\ → \, \n → newline. */
  final String labelValue(int s, int e) {
    return unescape(s, e, true);
  }

  /**
   * Go strings.Replacer semantics over the escapes: scanning left to right, a recognised pair is
   * replaced, anything else (including an unknown escape) is kept as is.
   */
  final String unescape(int s, int e, boolean quote) {
    int bs = -1;
    for (int i = s; i < e; i++) {
      if (b[i] == '\\') {
        bs = i;
        break;
      }
    }
    if (bs < 0) {
      return utf8(s, e);
    }
    byte[] out = new byte[e - s];
    int n = 0;
    int i = s;
    while (i < e) {
      byte c = b[i];
      if (c == '\\' && i + 1 < e) {
        byte d = b[i + 1];
        if (d == '\\') {
          out[n++] = '\\';
          i += 2;
          continue;
        } else if (d == 'n') {
          out[n++] = '\n';
          i += 2;
          continue;
        } else if (d == '"' && quote) {
          out[n++] = '"';
          i += 2;
          continue;
        }
      }
      out[n++] = c;
      i++;
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

  /** The high bits of the bytes {@link #skipPlainValueBytes} passed over since it was last cleared. */
  long valueHighBits;

  /**
   * Advances from {@code p} over label value bytes that need no attention, 8 at a time: stops at
   * the first {@code '"'} or a backslash (or a newline, if {@code newline}), or where fewer than 8
   * bytes are left; the caller's byte loop goes on from there. The high bits of the bytes passed
   * over are or-ed into {@link #valueHighBits} (a non-ASCII byte means the value must be checked
   * as UTF-8). Label values are most of an exposition's bytes.
   */
  final int skipPlainValueBytes(int p, boolean newline) {
    long high = 0;
    while (p + 8 <= len) {
      long w = (long) LONGS.get(b, p);
      long hit = zeroBytes(w ^ QUOTES) | zeroBytes(w ^ BACKSLASHES);
      if (newline) {
        hit |= zeroBytes(w ^ NEWLINES);
      }
      if (hit != 0) {
        // the lowest flagged byte is always a true match (a false one can only follow a true one)
        int k = Long.numberOfTrailingZeros(hit) >>> 3;
        valueHighBits |= high | (w & ((1L << (k << 3)) - 1));
        return p + k;
      }
      high |= w;
      p += 8;
    }
    valueHighBits |= high;
    return p;
  }

  /** The high bit of each byte of {@code x} that is zero (and maybe of bytes above the lowest such byte). */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  /** Whether a byte passed over by {@link #skipPlainValueBytes} since {@link #valueHighBits} was cleared was not ASCII. */
  final boolean skippedNonAscii() {
    return (valueHighBits & HIGHS) != 0;
  }

  static boolean isNameStart(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  static boolean isNameChar(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (c >= '0' && c <= '9');
  }

  static boolean isLabelStart(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isLabelChar(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
  }

  /**
   * Records one label's offsets in {@code lo}; {@link #labels} checks the names. Labels with empty
   * values are not recorded and take no part in the check: Prometheus drops them before it checks,
   * so {@code a{b="",b="c"}} is accepted there and here.
   */
  final void addLabel(int ns, int ne, int vs, int ve) {
    if (vs == ve) {
      return; // empty value: dropped, as by Prometheus' label builder
    }
    int k = 4 * labelCount;
    if (k + 4 > lo.length) {
      lo = java.util.Arrays.copyOf(lo, lo.length * 2);
    }
    lo[k] = ns;
    lo[k + 1] = ne;
    lo[k + 2] = vs;
    lo[k + 3] = ve;
    labelCount++;
  }

  private static final byte[] NAME_LABEL = Labels.METRIC_NAME.getBytes(StandardCharsets.US_ASCII);

  /**
   * Duplicate label names make Prometheus fail the scrape (the appender rejects the sample as
   * invalid). Exposed names are nearly always sorted, so one comparison with the previous name
   * proves uniqueness; otherwise every earlier name is checked.
   */
  /** True while the names recorded for the current series are strictly increasing. */
  private boolean namesSorted;

  final void checkDuplicate(int[] offs, int count, int ns, int ne) throws ParseException {
    if (ne - ns == NAME_LABEL.length && java.util.Arrays.equals(b, ns, ne, NAME_LABEL, 0, NAME_LABEL.length)) {
      throw duplicate(ns, ne);
    }
    if (count == 0) {
      namesSorted = true;
      return;
    }
    int pk = 4 * (count - 1);
    if (namesSorted && java.util.Arrays.compareUnsigned(b, offs[pk], offs[pk + 1], b, ns, ne) < 0) {
      return;
    }
    namesSorted = false;
    for (int i = 0; i < count; i++) {
      int k = 4 * i;
      if (java.util.Arrays.equals(b, offs[k], offs[k + 1], b, ns, ne)) {
        throw duplicate(ns, ne);
      }
    }
  }

  private ParseException duplicate(int ns, int ne) {
    return new ParseException("label name \"" + ascii(ns, ne) + "\" is not unique: invalid sample");
  }

  /** Go's utf8.Valid over b[s, e). */
  final boolean validUtf8(int s, int e) {
    int i = s;
    while (i < e) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + need >= e) {
        return false;
      }
      int cp = c & (0x3f >> need);
      for (int j = 1; j <= need; j++) {
        int d = b[i + j] & 0xff;
        if ((d & 0xc0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (d & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return false;
      }
      i += need + 1;
    }
    return true;
  }

  /** Go-style quoting of raw bytes for error messages (%q). */
  final String quote(int s, int e) {
    StringBuilder sb = new StringBuilder(e - s + 2).append('"');
    int end = Math.min(e, s + 256);
    for (int i = s; i < end; i++) {
      int c = b[i] & 0xff;
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c >= 0x7f) {
            sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          } else {
            sb.append((char) c);
          }
        }
      }
    }
    if (end < e) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }

  /** Prometheus 2.42's parseError: {@code <exp>, got "<TOKEN>"}. */
  static ParseException parseError(String exp, String token) {
    return new ParseException(exp + ", got \"" + token + "\"");
  }

  /**
   * Parses a float as Prometheus' parseFloat: Go's strconv.ParseFloat without hex, underscores or
   * 'p' exponents; accepts [+-]inf, [+-]infinity and nan in any case. NaN becomes Go's canonical
   * NaN.
   */
  final double parseFloat(int s, int e) throws ParseException {
    int n = e - s;
    if (n == 0) {
      throw floatError(s, e, "invalid syntax");
    }
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (c == 'p' || c == 'P' || c == '_') {
        throw new ParseException("unsupported character in float");
      }
    }
    int i = s;
    boolean neg = false;
    byte c0 = b[i];
    if (c0 == '+' || c0 == '-') {
      neg = c0 == '-';
      i++;
    }
    int unsigned = i;
    if (i < e) {
      byte c = b[i];
      if (c == 'i' || c == 'I') {
        if (equalsIgnoreCase(i, e, "inf") || equalsIgnoreCase(i, e, "infinity")) {
          return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        throw floatError(s, e, "invalid syntax");
      }
      if ((c == 'n' || c == 'N') && i == s) {
        if (equalsIgnoreCase(i, e, "nan")) {
          return NORMAL_NAN;
        }
        throw floatError(s, e, "invalid syntax");
      }
    }
    // decimal: digits [. digits] [e [+-] digits]
    long mant = 0;
    int sigDigits = 0;
    int digits = 0;
    int dropped = 0; // integer digits not held in mant
    int fracDigits = 0;
    boolean exact = true;
    while (i < e && b[i] >= '0' && b[i] <= '9') {
      digits++;
      if (sigDigits < 18) {
        mant = mant * 10 + (b[i] - '0');
        if (mant != 0) {
          sigDigits++;
        }
      } else {
        dropped++;
        exact = false;
      }
      i++;
    }
    if (i < e && b[i] == '.') {
      i++;
      while (i < e && b[i] >= '0' && b[i] <= '9') {
        digits++;
        if (sigDigits < 18) {
          mant = mant * 10 + (b[i] - '0');
          if (mant != 0) {
            sigDigits++;
          }
          fracDigits++;
        } else if (b[i] != '0') {
          exact = false;
        }
        i++;
      }
    }
    if (digits == 0) {
      throw floatError(s, e, "invalid syntax");
    }
    int exp = 0;
    if (i < e && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      boolean eneg = false;
      if (i < e && (b[i] == '+' || b[i] == '-')) {
        eneg = b[i] == '-';
        i++;
      }
      int ed = 0;
      while (i < e && b[i] >= '0' && b[i] <= '9') {
        if (exp < 100_000) {
          exp = exp * 10 + (b[i] - '0');
        }
        ed++;
        i++;
      }
      if (ed == 0) {
        throw floatError(s, e, "invalid syntax");
      }
      if (eneg) {
        exp = -exp;
      }
    }
    if (i != e) {
      throw floatError(s, e, "invalid syntax");
    }
    int e10 = exp - fracDigits + dropped;
    double v;
    if (exact && mant < (1L << 53) && e10 >= -22 && e10 <= 22) {
      // Clinger's fast path: both operands exact, one correctly rounded operation.
      v = e10 >= 0 ? (double) mant * POW10[e10] : (double) mant / POW10[-e10];
    } else {
      v = Double.parseDouble(ascii(unsigned, e));
    }
    if (Double.isInfinite(v)) {
      throw floatError(s, e, "value out of range");
    }
    return neg ? -v : v;
  }

  private boolean equalsIgnoreCase(int s, int e, String word) {
    if (e - s != word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      int c = b[s + i] | 0x20;
      if (c != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private ParseException floatError(int s, int e, String why) {
    return new ParseException("strconv.ParseFloat: parsing " + quote(s, e) + ": " + why);
  }
}
