package dev.otelcoljava.runtime.api;

/**
 * The shortest decimal digits of a finite, non-zero double that read back as the same double (as
 * {@link Double#toString} finds them, JDK 19+, and as Go's strconv does), without leading or
 * trailing zeros, and where the decimal point goes: the value is {@code 0.DIGITS x 10^point}.
 * Exporters write Go's float formats from it. Taken apart from {@code Double.toString}'s text with
 * no BigDecimal, whose static initialiser does big-number arithmetic (interpreted, at a collector's
 * first request).
 *
 * @param negative whether the double is negative
 * @param digits the significant digits, at least one
 * @param point how many of the digits come before the decimal point (negative or beyond their
 *     count for small or large values)
 */
public record ShortestDecimal(boolean negative, String digits, int point) {
  /** The digits of {@code d}, which must be finite and not zero. */
  public static ShortestDecimal of(double d) {
    String s = Double.toString(d);
    boolean negative = s.charAt(0) == '-';
    int start = negative ? 1 : 0;
    int e = s.indexOf('E');
    int end = e < 0 ? s.length() : e;
    int exp = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
    int dot = s.indexOf('.', start);
    StringBuilder digits = new StringBuilder(end - start);
    digits.append(s, start, dot < 0 ? end : dot);
    if (dot >= 0) {
      digits.append(s, dot + 1, end);
    }
    int point = (dot < 0 ? end : dot) - start + exp;
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
    }
    int len = digits.length();
    while (len > lead + 1 && digits.charAt(len - 1) == '0') {
      len--;
    }
    return new ShortestDecimal(negative, digits.substring(lead, len), point - lead);
  }

  /** Appends the value without an exponent (Go's {@code 'f'} format with precision -1). */
  public void appendPlain(StringBuilder sb) {
    if (negative) {
      sb.append('-');
    }
    int len = digits.length();
    if (point <= 0) {
      sb.append("0.");
      for (int i = point; i < 0; i++) {
        sb.append('0');
      }
      sb.append(digits);
    } else if (point >= len) {
      sb.append(digits);
      for (int i = len; i < point; i++) {
        sb.append('0');
      }
    } else {
      sb.append(digits, 0, point).append('.').append(digits, point, len);
    }
  }
}
