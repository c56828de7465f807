package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir Path dir;
  final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();
  final Wal.Stats stats = new Wal.Stats() {
    @Override
    public void dropped(String reason, long samples) {
      counts.computeIfAbsent("dropped:" + reason, k -> new AtomicLong()).addAndGet(samples);
    }

    @Override
    public void corrupt(String what, long count) {
      counts.computeIfAbsent("corrupt:" + what, k -> new AtomicLong()).addAndGet(count);
    }

    @Override
    public void notDurable(String reason, long samples) {
      counts.computeIfAbsent("notDurable:" + reason, k -> new AtomicLong()).addAndGet(samples);
    }

    @Override
    public void diskFailed(String reason, java.io.IOException cause) {
      counts.computeIfAbsent("diskFailed:" + reason, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void diskRecovered(long notDurableSamples) {
      counts.computeIfAbsent("diskRecovered", k -> new AtomicLong()).incrementAndGet();
    }
  };

  static byte[] payload(int i) {
    ByteBuf b = new ByteBuf(64);
    Payload.putInt(b, i);
    Payload.putInt(b, 1);
    Payload.putInt(b, 3);
    b.write(new byte[] {1, 2, (byte) i}, 0, 3);
    return b.toByteArray();
  }

  List<Long> readAll(Wal w) throws Exception {
    List<Long> seqs = new ArrayList<>();
    Record r;
    while ((r = w.next(0)) != null) {
      seqs.add(r.seq());
    }
    return seqs;
  }

  /**
   * A writer whose interrupt flag is set (a scrape loop being stopped at SIGTERM) must not close
   * the WAL's FileChannel (ClosedByInterruptException): its record is written, later appends work,
   * and the flag is still set afterwards for the caller.
   */
  @Test
  void append_byAnInterruptedThread_writesAndKeepsTheWalUsable() throws Exception {
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      byte[] p0 = payload(0);
      Thread.currentThread().interrupt();
      try {
        w.append(p0, p0.length, 1, 1, System.currentTimeMillis());
        assertThat(Thread.currentThread().isInterrupted()).as("the caller's interrupt is kept").isTrue();
      } finally {
        Thread.interrupted();
      }
      byte[] p1 = payload(1);
      w.append(p1, p1.length, 1, 1, System.currentTimeMillis());
      assertThat(readAll(w)).containsExactly(0L, 1L);
    }
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).as("both on disk after a restart").containsExactly(0L, 1L);
    }
  }

  @Test
  void open_firstFormatSegment_readWithTheCurrentShardHashes() throws Exception {
    SeriesSet set = new SeriesSet();
    set.series(new String[] {"__name__", "job", "pod"}, new String[] {"up", "kubelet", "caf\u00e9-0"}).addSample(1, 1000);
    set.series(new String[] {"__name__", "job"}, new String[] {"up", "nginx"}).addSample(0, 1000);
    ByteBuf b = new ByteBuf(256);
    Payload.encode(set.series(), b);
    byte[] current = b.toByteArray();
    byte[] legacy = current.clone();
    // what the first format held: other hash values in the series headers
    int second = 12 + Payload.getInt(current, 8);
    ByteBuf.putIntBE(legacy, 0, 0x1234abcd);
    ByteBuf.putIntBE(legacy, second, 0x7fff0001);
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      w.append(legacy, legacy.length, 2, 2, System.currentTimeMillis());
      w.append(current, current.length, 2, 2, System.currentTimeMillis());
    }
    Path seg;
    try (var s = Files.list(dir)) {
      seg = s.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(w.next(0).payload).as("a current segment's payloads are read as written").isEqualTo(legacy);
      assertThat(w.next(0).payload).isEqualTo(current);
    }
    // The same segment with the first format's magic: the hashes are recomputed from the labels.
    byte[] all = Files.readAllBytes(seg);
    System.arraycopy(Wal.MAGIC_V1, 0, all, 0, 8);
    Files.write(seg, all);
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(Payload.getInt(current, 0)).isEqualTo(set.series().get(0).hash());
      assertThat(w.next(0).payload).as("hashes recomputed").isEqualTo(current);
      assertThat(w.next(0).payload).isEqualTo(current);
    }
    assertThat(Files.readAllBytes(seg)).as("the segment itself is not rewritten").isEqualTo(all);
  }

  @Test
  void open_recoversValidPrefixOfTornAndCorruptSegments() throws Exception {
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      for (int i = 0; i < 5; i++) {
        byte[] p = payload(i);
        w.append(p, p.length, 1, 1, System.currentTimeMillis());
      }
    }
    Path seg;
    try (var s = Files.list(dir)) {
      seg = s.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    // torn tail: a half-written frame; plus junk files, a directory, and a segment with a bad header
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2, 3}));
    }
    Files.writeString(dir.resolve("junk.txt"), "junk");
    Files.createDirectories(dir.resolve("somedir"));
    Files.write(dir.resolve("00000000000000000900.seg"), new byte[] {'g', 'a', 'r', 'b', 'a', 'g', 'e', '!', 0x7f, 0x7f, 0x7f, 0x7f});
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).containsExactly(0L, 1L, 2L, 3L, 4L);
      byte[] p = payload(9);
      assertThat(w.append(p, p.length, 1, 1, System.currentTimeMillis()).seq()).isEqualTo(5);
    }
    assertThat(counts.get("corrupt:torn_or_corrupt_record").get()).isEqualTo(1);
    assertThat(counts.get("corrupt:bad_segment_header").get()).isEqualTo(1);
    assertThat(counts.get("corrupt:junk_file").get()).isEqualTo(2);
  }

  @Test
  void open_corruptCrcInMiddleKeepsRecordsBeforeAndAfterIt() throws Exception {
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      for (int i = 0; i < 4; i++) {
        byte[] p = payload(i);
        w.append(p, p.length, 1, 1, System.currentTimeMillis());
      }
    }
    Path seg;
    try (var s = Files.list(dir)) {
      seg = s.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    byte[] all = Files.readAllBytes(seg);
    int frame = (all.length - 8) / 4;
    all[8 + 2 * frame + 20] ^= 0x55; // flip a byte inside the third record
    Files.write(seg, all);
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).containsExactly(0L, 1L, 3L);
      byte[] p = payload(7);
      assertThat(w.append(p, p.length, 1, 1, System.currentTimeMillis()).seq()).isEqualTo(4);
    }
    assertThat(counts.get("corrupt:torn_or_corrupt_record").get()).isEqualTo(1);
    // The segment was rewritten without the damaged record: a second start finds nothing wrong.
    counts.clear();
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).containsExactly(0L, 1L, 3L, 4L);
    }
    assertThat(counts).isEmpty();
  }

  @Test
  void open_garbageBetweenRecordsAndLeftoverRepairFile_keepsEveryIntactRecord() throws Exception {
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      for (int i = 0; i < 4; i++) {
        byte[] p = payload(i);
        w.append(p, p.length, 1, 1, System.currentTimeMillis());
      }
    }
    Path seg;
    try (var s = Files.list(dir)) {
      seg = s.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    byte[] all = Files.readAllBytes(seg);
    int frame = (all.length - 8) / 4;
    byte[] junk = new byte[37];
    java.util.Arrays.fill(junk, (byte) 0x7f); // an impossible length where a frame should start
    byte[] out = new byte[all.length + junk.length];
    System.arraycopy(all, 0, out, 0, 8 + 2 * frame);
    System.arraycopy(junk, 0, out, 8 + 2 * frame, junk.length);
    System.arraycopy(all, 8 + 2 * frame, out, 8 + 2 * frame + junk.length, all.length - 8 - 2 * frame);
    Files.write(seg, out);
    Files.write(dir.resolve(seg.getFileName() + ".repair"), new byte[] {1, 2, 3});
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).containsExactly(0L, 1L, 2L, 3L);
    }
    assertThat(counts.get("corrupt:torn_or_corrupt_record").get()).isEqualTo(1);
    assertThat(counts).doesNotContainKey("corrupt:junk_file");
    assertThat(Files.exists(dir.resolve(seg.getFileName() + ".repair"))).isFalse();
  }

  @Test
  void append_overBudgetDropsOldestFirstAndCounts() throws Exception {
    try (Wal w = new Wal(dir, 1 << 20, 0, stats)) {
      byte[] big = new byte[100_000];
      ByteBuf b = new ByteBuf(big.length + 12);
      Payload.putInt(b, 1);
      Payload.putInt(b, 10);
      Payload.putInt(b, big.length);
      b.write(big, 0, big.length);
      for (int i = 0; i < 40; i++) {
        w.append(b.array(), b.length(), 1, 10, System.currentTimeMillis());
      }
      assertThat(w.sizeBytes()).isLessThanOrEqualTo((1 << 20) + 200_000);
      List<Long> seqs = readAll(w);
      assertThat(seqs).isNotEmpty().endsWith(39L);
      assertThat(seqs.get(0)).isPositive();
      assertThat(counts.get("dropped:disk_limit").get()).isEqualTo(10L * seqs.get(0));
    }
  }

  @Test
  void next_recordsOlderThanMaxAgeAreSkippedAndCounted() throws Exception {
    long now = System.currentTimeMillis();
    try (Wal w = new Wal(dir, 1 << 30, 2_000, stats)) {
      for (int i = 0; i < 3; i++) {
        byte[] p = payload(i);
        w.append(p, p.length, 1, 5, now - 10_000); // outlived max_age
      }
      byte[] p = payload(3);
      w.append(p, p.length, 1, 5, now);
      assertThat(readAll(w)).containsExactly(3L);
    }
    assertThat(counts.get("dropped:max_age").get()).isEqualTo(15);
  }

  @Test
  void open_checkpointAsDirectoryOrGarbage_startsFromTheBeginningAndKeepsWorking() throws Exception {
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      for (int i = 0; i < 3; i++) {
        byte[] p = payload(i);
        w.append(p, p.length, 1, 1, System.currentTimeMillis());
      }
    }
    Files.deleteIfExists(dir.resolve("checkpoint"));
    Files.createDirectories(dir.resolve("checkpoint"));
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).containsExactly(0L, 1L, 2L); // nothing known acknowledged: replay all
      w.ack(2);
      w.truncate(); // the acknowledgement must be persistable again
    }
    assertThat(counts.get("corrupt:checkpoint_is_directory").get()).isEqualTo(1);
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).containsExactly(2L);
    }
    Files.write(dir.resolve("checkpoint"), new byte[] {1, 2, 3, 4, 5});
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).containsExactly(0L, 1L, 2L);
    }
    assertThat(counts.get("corrupt:bad_checkpoint").get()).isEqualTo(1);
  }

  @Test
  void open_missingMiddleSegment_keepsTheOthersInOrder() throws Exception {
    // 64 KiB segments (the minimum): 30 records of 20 KB fill several.
    byte[] big = new byte[20_000];
    ByteBuf b = new ByteBuf(big.length + 12);
    Payload.putInt(b, 1);
    Payload.putInt(b, 1);
    Payload.putInt(b, big.length);
    b.write(big, 0, big.length);
    try (Wal w = new Wal(dir, 512 << 10, 0, stats)) {
      for (int i = 0; i < 12; i++) {
        w.append(b.array(), b.length(), 1, 1, System.currentTimeMillis());
      }
    }
    List<Path> segs;
    try (var s = Files.list(dir)) {
      segs = s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
    assertThat(segs.size()).isGreaterThanOrEqualTo(3);
    Files.delete(segs.get(1));
    try (Wal w = new Wal(dir, 512 << 10, 0, stats)) {
      List<Long> seqs = readAll(w);
      assertThat(seqs).isSorted().doesNotHaveDuplicates().contains(0L, 11L).hasSizeLessThan(12);
      byte[] p = payload(1);
      assertThat(w.append(p, p.length, 1, 1, System.currentTimeMillis()).seq()).isEqualTo(12);
    }
  }

  @Test
  void ackAndTruncate_restartReplaysOnlyUnacknowledged() throws Exception {
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      for (int i = 0; i < 6; i++) {
        byte[] p = payload(i);
        w.append(p, p.length, 1, 1, System.currentTimeMillis());
      }
      w.ack(4);
      w.truncate();
    }
    try (Wal w = new Wal(dir, 1 << 30, 0, stats)) {
      assertThat(readAll(w)).containsExactly(4L, 5L);
    }
  }

  /** A payload of one series of {@code size} bytes (more than a page: it never fits into a page tail). */
  static byte[] bigPayload(int i, int size) {
    ByteBuf b = new ByteBuf(size + 12);
    Payload.putInt(b, i);
    Payload.putInt(b, 1);
    Payload.putInt(b, size);
    byte[] body = new byte[size];
    java.util.Arrays.fill(body, (byte) i);
    b.write(body, 0, size);
    return b.toByteArray();
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    p.waitFor();
    return p.exitValue() == 0 ? null : "`" + String.join(" ", cmd) + "` exited " + p.exitValue() + ": " + out;
  }

  /**
   * RELIABILITY case 11 at the WAL level, on a real full disk (a 256 KiB tmpfs filled up; mounting
   * needs root, and the test fails with the reason where it cannot): records that cannot be written
   * are kept in memory in the same sequence and read back in append order between those on disk;
   * the memory kept is bounded; the failure and the recovery are reported once each; after space
   * returns records go to disk again; after a restart only what was on disk is there.
   */
  @Test
  void append_diskFull_keptInMemoryInSequence_boundedThenBackOnDisk() throws Exception {
    Path fs = Files.createDirectories(dir.resolve("fs"));
    String failed = run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", fs.toString());
    assertThat(failed).as("this test mounts a small tmpfs to fill it up (a real ENOSPC); that needs root with CAP_SYS_ADMIN")
        .isNull();
    try {
      Path walDir = fs.resolve("wal");
      try (Wal w = new Wal(walDir, 1 << 20, 0, 2, stats)) {
        for (int i = 0; i < 3; i++) {
          byte[] p = bigPayload(i, 6000);
          assertThat(w.append(p, p.length, 1, 10, System.currentTimeMillis()).seq()).isEqualTo(i);
        }
        assertThat(w.next(0).seq()).isZero();
        Path filler = fs.resolve("filler");
        try (var out = Files.newOutputStream(filler)) {
          byte[] block = new byte[4096];
          while (true) {
            out.write(block);
          }
        } catch (java.io.IOException e) {
          assertThat(e.getMessage()).contains("No space left on device");
        }
        for (int i = 3; i < 5; i++) {
          byte[] p = bigPayload(i, 6000);
          assertThat(w.append(p, p.length, 1, 10, System.currentTimeMillis()).seq()).isEqualTo(i);
        }
        assertThat(w.diskFailure()).isEqualTo("disk_full");
        assertThat(w.memoryRecords()).isEqualTo(2);
        byte[] refused = bigPayload(9, 6000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.append(refused, refused.length, 1, 10, System.currentTimeMillis()))
            .isInstanceOfSatisfying(Wal.FullException.class, e -> assertThat(e.reason()).isEqualTo("disk_full"))
            .hasMessageContaining("2 records are already kept in memory");
        assertThat(counts.get("notDurable:disk_full").get()).isEqualTo(20);
        assertThat(counts.get("diskFailed:disk_full").get()).isEqualTo(1);

        Files.delete(filler);
        Thread.sleep(Wal.DISK_RETRY_NANOS / 1_000_000 + 100);
        for (int i = 5; i < 7; i++) {
          byte[] p = bigPayload(i, 6000);
          assertThat(w.append(p, p.length, 1, 10, System.currentTimeMillis()).seq()).isEqualTo(i);
        }
        assertThat(w.diskFailure()).isNull();
        assertThat(counts.get("diskRecovered").get()).isEqualTo(1);
        assertThat(counts.get("notDurable:disk_full").get()).isEqualTo(20);
        // Disk, memory and disk again, in append order; each payload intact.
        List<Record> rest = new ArrayList<>();
        Record r;
        while ((r = w.next(0)) != null) {
          rest.add(r);
        }
        assertThat(rest).extracting(Record::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        for (Record x : rest) {
          assertThat(x.payload).isEqualTo(bigPayload((int) x.seq(), 6000));
        }
      }
      try (Wal w = new Wal(walDir, 1 << 20, 0, 2, stats)) {
        assertThat(readAll(w)).as("after a restart: what was on disk").containsExactly(0L, 1L, 2L, 5L, 6L);
        assertThat(counts).doesNotContainKey("corrupt:torn_or_corrupt_record");
      }
    } finally {
      if (run("umount", fs.toString()) != null) {
        run("umount", "-l", fs.toString());
      }
    }
  }
}
