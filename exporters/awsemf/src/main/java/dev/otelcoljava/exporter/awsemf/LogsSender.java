package dev.otelcoljava.exporter.awsemf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Sends the events of one export call to CloudWatch Logs with PutLogEvents, per (group, stream):
 * events sorted by time and batched within the API's limits (at most 10,000 events, at most
 * 1,048,576 bytes counting 26 bytes per event, at most 24 hours between the first and last event);
 * an event over 256 KiB truncated and marked {@code [Truncated...]}; events more than 14 days old or
 * 2 hours ahead dropped and counted. A missing stream (and, if needed, its group with retention and
 * tags) is created on ResourceNotFound and the batch sent again once. Throttling and 5xx are
 * retried by the SDK client's standard retry strategy (backoff with jitter, {@code max_retries}).
 * Guarded by the exporter's lock.
 */
final class LogsSender {
  static final int MAX_EVENTS_PER_BATCH = 10_000;
  static final int MAX_BATCH_BYTES = 1_048_576;
  static final int PER_EVENT_BYTES = 26;
  static final int MAX_EVENT_BYTES = 256 * 1024;
  static final String TRUNCATED = "[Truncated...]";
  static final long MAX_SPAN_MS = 24L * 3600 * 1000;
  static final long MAX_AGE_MS = 14L * 24 * 3600 * 1000;
  static final long MAX_AHEAD_MS = 2L * 3600 * 1000;

  /** Outcome counters for the caller's self-metrics. */
  interface Listener {
    void droppedEvent(String reason, int points);

    void truncatedEvent();

    void batchSent(int events, int points);

    void batchFailed(int events, int points, String reason);
  }

  /** What happened to one stream's events. */
  record Result(int sentPoints, int failedPoints, boolean permanent, String error) {}

  private final CloudWatchLogsClient client;
  private final int retentionDays;
  private final Map<String, String> tags;
  private final Listener listener;

  LogsSender(CloudWatchLogsClient client, int retentionDays, Map<String, String> tags, Listener listener) {
    this.client = client;
    this.retentionDays = retentionDays;
    this.tags = tags;
    this.listener = listener;
  }

  private record Prepared(InputLogEvent event, int bytes, int points) {}

  Result push(String group, String stream, List<EmfEvent> events, long nowMs) {
    List<Prepared> prepared = new ArrayList<>(events.size());
    for (EmfEvent e : events) {
      if (e.message().isEmpty()) {
        listener.droppedEvent("empty", e.points());
        continue;
      }
      if (e.timestampMs() < nowMs - MAX_AGE_MS) {
        listener.droppedEvent("too_old", e.points());
        continue;
      }
      if (e.timestampMs() > nowMs + MAX_AHEAD_MS) {
        listener.droppedEvent("too_new", e.points());
        continue;
      }
      String message = e.message();
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      if (bytes.length + PER_EVENT_BYTES > MAX_EVENT_BYTES) {
        message = truncate(bytes);
        bytes = message.getBytes(StandardCharsets.UTF_8);
        listener.truncatedEvent();
      }
      prepared.add(new Prepared(InputLogEvent.builder().timestamp(e.timestampMs()).message(message).build(),
          bytes.length + PER_EVENT_BYTES, e.points()));
    }
    prepared.sort(Comparator.comparingLong(p -> p.event().timestamp()));
    int sent = 0;
    int failed = 0;
    boolean permanent = false;
    String error = null;
    int i = 0;
    while (i < prepared.size()) {
      int start = i;
      int bytes = 0;
      long first = prepared.get(i).event().timestamp();
      while (i < prepared.size() && i - start < MAX_EVENTS_PER_BATCH
          && bytes + prepared.get(i).bytes() <= MAX_BATCH_BYTES
          && prepared.get(i).event().timestamp() - first <= MAX_SPAN_MS) {
        bytes += prepared.get(i).bytes();
        i++;
      }
      List<Prepared> batch = prepared.subList(start, i);
      int points = 0;
      List<InputLogEvent> inputs = new ArrayList<>(batch.size());
      for (Prepared p : batch) {
        points += p.points();
        inputs.add(p.event());
      }
      String err = put(group, stream, inputs);
      if (err == null) {
        sent += points;
        listener.batchSent(inputs.size(), points);
      } else {
        failed += points;
        boolean perm = err.startsWith("InvalidParameter");
        permanent |= perm;
        error = err;
        listener.batchFailed(inputs.size(), points, perm ? "invalid_parameter" : "send_failed");
      }
    }
    return new Result(sent, failed, permanent, error);
  }

  /** Cuts the message so that it plus the suffix and the per-event overhead fit in 256 KiB. */
  static String truncate(byte[] bytes) {
    int limit = MAX_EVENT_BYTES - PER_EVENT_BYTES - TRUNCATED.length();
    int cut = limit;
    while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
      cut--; // do not split a UTF-8 sequence
    }
    return new String(bytes, 0, cut, StandardCharsets.UTF_8) + TRUNCATED;
  }

  /** Returns null on success, else an error description (without request contents). */
  private String put(String group, String stream, List<InputLogEvent> inputs) {
    try {
      try {
        putOnce(group, stream, inputs);
      } catch (ResourceNotFoundException e) {
        createStream(group, stream);
        putOnce(group, stream, inputs);
      }
      return null;
    } catch (InvalidParameterException e) {
      return "InvalidParameterException: " + e.awsErrorDetails().errorMessage();
    } catch (CloudWatchLogsException e) {
      return e.awsErrorDetails().errorCode() + " (" + e.statusCode() + "): " + e.awsErrorDetails().errorMessage();
    } catch (SdkException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private void putOnce(String group, String stream, List<InputLogEvent> inputs) {
    PutLogEventsResponse r = client.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(inputs));
    if (r.rejectedLogEventsInfo() != null) {
      var info = r.rejectedLogEventsInfo();
      int rejected = 0;
      if (info.tooOldLogEventEndIndex() != null) {
        rejected += info.tooOldLogEventEndIndex();
      }
      if (info.tooNewLogEventStartIndex() != null) {
        rejected += inputs.size() - info.tooNewLogEventStartIndex();
      }
      if (rejected > 0) {
        listener.droppedEvent("rejected", 0);
      }
    }
  }

  private void createStream(String group, String stream) {
    try {
      client.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
    } catch (ResourceAlreadyExistsException ignored) {
      // created meanwhile
    } catch (ResourceNotFoundException e) {
      createGroup(group);
      try {
        client.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
      } catch (ResourceAlreadyExistsException ignored) {
        // created meanwhile
      }
    }
  }

  private void createGroup(String group) {
    try {
      client.createLogGroup(b -> {
        b.logGroupName(group);
        if (!tags.isEmpty()) {
          b.tags(tags);
        }
      });
      if (retentionDays > 0) {
        client.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(retentionDays));
      }
    } catch (ResourceAlreadyExistsException ignored) {
      // created meanwhile; retention applies only to groups this exporter creates
    }
  }
}
