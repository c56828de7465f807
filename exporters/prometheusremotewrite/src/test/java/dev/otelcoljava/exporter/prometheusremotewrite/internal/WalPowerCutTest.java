package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelcoljava.testing.LoopFs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY case 11, last sentence: with fsync on, data already acknowledged survives a simulated
 * power cut. The WAL lives on ext4 in an image file on a loop device; a child JVM ({@link
 * WalPowerCutWriter}) appends numbered records and prints "acked n" only after {@link Wal#append}
 * returned. At a random moment the child is SIGKILLed and the image file is copied at once: the
 * copy holds what reached the "disk", and what was still only in the page cache of the ext4 inside
 * (never forced; dirty data is written back after 30 s by default) is missing, as after a power
 * cut. The copy is mounted on a second loop device (ext4 replays its journal) and the WAL opened
 * from it must hold every acknowledged record, intact and in order. The same child writes a control
 * file that it never syncs: in the copy it must be missing or shorter than what the child wrote, or
 * the simulation would prove nothing. Needs root (loop devices and mounts); fails, never skips,
 * without them.
 */
class WalPowerCutTest {
  static final int ROUNDS = 4;
  @TempDir Path tmp;

  @Test
  void sigkillThenImageCopy_everyAcknowledgedRecordIntactInOrder_unsyncedControlFileLost() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      round(round);
    }
  }

  private void round(int round) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("round" + round));
    Path image = dir.resolve("wal.img");
    Path copy = dir.resolve("copy.img");
    long maxAcked = -1;
    long unsyncedWritten = 0;
    try (LoopFs fs = LoopFs.create(image, dir.resolve("mnt"), 64)) {
      Path walDir = fs.mountPoint().resolve("wal");
      Path control = fs.mountPoint().resolve("control-unsynced");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          WalPowerCutWriter.class.getName(), walDir.toString(), control.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      AtomicLong acked = new AtomicLong(-1);
      AtomicLong unsynced = new AtomicLong();
      AtomicReference<Boolean> ready = new AtomicReference<>(false);
      Thread reader = Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.equals("ready")) {
              ready.set(true);
            } else if (line.startsWith("acked ")) {
              String[] f = line.split(" ");
              acked.set(Long.parseLong(f[1]));
              unsynced.set(Long.parseLong(f[2]));
            }
          }
        } catch (Exception e) {
          // the child is gone
        }
      });
      try {
        long deadline = System.currentTimeMillis() + 15_000;
        while (acked.get() < 20 && System.currentTimeMillis() < deadline && child.isAlive()) {
          Thread.sleep(5);
        }
        assertThat(acked.get()).as("the writer child acknowledged records (ready=%s, alive=%s)", ready.get(), child.isAlive())
            .isGreaterThanOrEqualTo(20);
        // A random kill point: from just after the first records to ~1.5 s of appends.
        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 1500));
      } finally {
        child.destroyForcibly(); // SIGKILL
        child.waitFor(10, TimeUnit.SECONDS);
      }
      // What reached the device, before anything else can write back the page cache of the ext4 inside.
      LoopFs.require(LoopFs.run("cp", "--sparse=always", image.toString(), copy.toString()));
      reader.join(5000);
      maxAcked = acked.get();
      unsyncedWritten = unsynced.get();
    }

    Map<String, AtomicLong> corrupt = new ConcurrentHashMap<>();
    List<Long> seqs = new ArrayList<>();
    long controlLength;
    try (LoopFs after = LoopFs.mount(copy, dir.resolve("mnt-copy"))) {
      Path c = after.mountPoint().resolve("control-unsynced");
      controlLength = Files.exists(c) ? Files.size(c) : -1;
      try (Wal w = new Wal(after.mountPoint().resolve("wal"), 48L << 20, 0, stats(corrupt))) {
        Record r;
        while ((r = w.next(0)) != null) {
          assertThat(r.payload).as("round %d: record %d intact", round, r.seq()).isEqualTo(WalPowerCutWriter.payload((int) r.seq()));
          seqs.add(r.seq());
        }
      }
    }
    System.err.printf("power cut round %d: %d acknowledged, %d records recovered, corrupt %s; control file: %d of %d bytes%n",
        round, maxAcked + 1, seqs.size(), corrupt, controlLength, unsyncedWritten);
    // Every acknowledged record (0..maxAcked) is there, in order; records written but not yet
    // acknowledged at the kill may follow.
    assertThat(seqs.size()).as("round %d: records recovered vs %d acknowledged", round, maxAcked + 1)
        .isGreaterThanOrEqualTo((int) maxAcked + 1);
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).as("round %d: record at position %d", round, i).isEqualTo(i);
    }
    assertThat(controlLength)
        .as("round %d: the control file the child never synced must be missing or short in the copy (it wrote %d bytes);"
            + " if it is complete, the kernel wrote the page cache back before the copy and this round proves nothing"
            + " (vm.dirty_expire_centisecs lowered? a sync running?)", round, unsyncedWritten)
        .isLessThan(unsyncedWritten);
  }

  private static Wal.Stats stats(Map<String, AtomicLong> corrupt) {
    return new Wal.Stats() {
      @Override
      public void dropped(String reason, long samples) {
        corrupt.computeIfAbsent("dropped:" + reason, k -> new AtomicLong()).addAndGet(samples);
      }

      @Override
      public void corrupt(String what, long count) {
        corrupt.computeIfAbsent(what, k -> new AtomicLong()).addAndGet(count);
      }

      @Override
      public void notDurable(String reason, long samples) {}

      @Override
      public void diskFailed(String reason, java.io.IOException cause) {}

      @Override
      public void diskRecovered(long notDurableSamples) {}
    };
  }
}
