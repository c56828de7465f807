package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumed batch on its way out: its WAL sequence number (or an in-memory one), creation time,
 * payload, OTel point and sample counts, and how many shard chunks are still unfinished.
 * Thread-safe counters; the payload is read-only after creation.
 */
public final class Record {
  final long seq;
  final long createdMillis;
  final byte[] payload;
  final int otelPoints;
  final int samples;
  final AtomicInteger pending = new AtomicInteger();
  final AtomicLong okSamples = new AtomicLong();
  final AtomicLong failedSamples = new AtomicLong();
  final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();

  public Record(long seq, long createdMillis, byte[] payload, int otelPoints, int samples) {
    this.seq = seq;
    this.createdMillis = createdMillis;
    this.payload = payload;
    this.otelPoints = otelPoints;
    this.samples = samples;
  }

  public long seq() {
    return seq;
  }

  /** Size of the encoded payload this record holds in memory. */
  public int payloadBytes() {
    return payload.length;
  }
}
