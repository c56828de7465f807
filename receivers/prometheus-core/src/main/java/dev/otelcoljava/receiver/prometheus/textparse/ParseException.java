package dev.otelcoljava.receiver.prometheus.textparse;

/**
 * A syntax error in an exposition body. As in Prometheus, one error fails the whole scrape; the
 * message follows Prometheus' wording (e.g. {@code expected label name, got "BCLOSE"}).
 */
public final class ParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public ParseException(String message) {
    super(message);
  }
}
