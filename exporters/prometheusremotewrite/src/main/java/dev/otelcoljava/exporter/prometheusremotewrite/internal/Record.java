package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumed batch on its way out: its WAL sequence number (or an in-memory one), creation time,
 * payload, OTel point and sample counts, and how many shard chunks are still unfinished.
 * Thread-safe counters; the payload is read-only after creation. A record queued in memory behind a
 * backlog has no payload of its own: its shard chunks hold compressed copies of its series instead
 * (see {@link Sharder#split}).
 */
public final class Record {
  final long seq;
  final long createdMillis;
  /** The encoded series; dropped (null) in the memory queue once no chunk indexes it. */
  byte[] payload;
  /** Bytes of {@link #payload} in use (a pooled array may be longer). */
  final int payloadLen;
  /** Chunks that index {@link #payload} (memory queue only). */
  final AtomicInteger rawChunks = new AtomicInteger();
  final int otelPoints;
  final int samples;
  final AtomicInteger pending = new AtomicInteger();
  final AtomicLong okSamples = new AtomicLong();
  final AtomicLong failedSamples = new AtomicLong();
  final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
  /** Bytes this record holds while queued (payload and compressed chunks); set by {@link Sharder#split}. */
  final AtomicLong heldBytes = new AtomicLong();

  public Record(long seq, long createdMillis, byte[] payload, int otelPoints, int samples) {
    this(seq, createdMillis, payload, payload == null ? 0 : payload.length, otelPoints, samples);
  }

  /** A record whose payload is the first {@code payloadLen} bytes of {@code payload}. */
  public Record(long seq, long createdMillis, byte[] payload, int payloadLen, int otelPoints, int samples) {
    this.seq = seq;
    this.createdMillis = createdMillis;
    this.payload = payload;
    this.payloadLen = payloadLen;
    this.otelPoints = otelPoints;
    this.samples = samples;
  }

  public long seq() {
    return seq;
  }

  /** Size of the encoded payload this record holds in memory (0 if its chunks hold compressed copies). */
  public int payloadBytes() {
    return payload == null ? 0 : payloadLen;
  }

  /** Bytes this record holds while queued: its payload, or its chunks' compressed copies. */
  public long heldBytes() {
    return heldBytes.get();
  }
}
