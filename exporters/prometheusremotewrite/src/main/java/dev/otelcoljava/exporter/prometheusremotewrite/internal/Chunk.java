package dev.otelcoljava.exporter.prometheusremotewrite.internal;

/**
 * The series of one {@link Record} that belong to one shard: offsets into the record's payload.
 * Owned by the shard worker once queued.
 */
final class Chunk {
  final Record record;
  final int[] offsets;
  final int count;
  final int samples;
  int cursor;
  long ok;
  long failed;
  int credited;

  Chunk(Record record, int[] offsets, int count, int samples) {
    this.record = record;
    this.offsets = offsets;
    this.count = count;
    this.samples = samples;
  }
}
