package dev.otelcoljava.receiver.awscontainerinsight;

import java.io.IOException;

/** A failed HTTP read, with a short reason for the self-metric (connection, timeout, http_status, parse). */
final class FetchException extends IOException {
  private static final long serialVersionUID = 1L;
  final String reason;
  final int status;

  FetchException(String reason, String message, Throwable cause) {
    this(reason, 0, message, cause);
  }

  FetchException(String reason, int status, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.status = status;
  }
}
