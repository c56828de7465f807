package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The exporter's write-ahead log: a directory of segment files {@code <firstSeq>.seg}, each an
 * 8-byte magic followed by records framed as {@code [u32 length][u32 CRC32C][body]}, where the body
 * is {@code [u64 seq][u64 createdMillis][u32 otelPoints][u32 samples][payload]}; plus a {@code
 * checkpoint} file holding the first sequence number not yet acknowledged.
 *
 * <p><b>Durability.</b> {@link #append} returns after the record is written and {@code fsync}ed
 * (group commit: concurrent appenders share one fsync). <b>Recovery.</b> On open, each segment is
 * read record by record; at a torn tail, a bad CRC or an impossible length the damaged bytes are
 * skipped up to the next intact record (valid length, CRC and framing, with a later sequence
 * number), and the segment is rewritten with only its intact records; a bad magic discards the
 * segment, and junk files are ignored; all are counted in {@link Stats}. <b>Budget.</b> When the directory would exceed {@code maxBytes}, whole oldest
 * segments are deleted (reason {@code disk_limit}); records older than {@code maxAgeMillis} are
 * skipped when read and expired segments deleted (reason {@code max_age}). Thread-safe.
 */
public final class Wal implements AutoCloseable {
  static final byte[] MAGIC = {'O', 'C', 'J', 'P', 'R', 'W', '1', '\n'};
  static final int BODY_HEADER = 24;
  static final int MAX_RECORD = 256 << 20;

  /** Counters the WAL reports to self-metrics. */
  public interface Stats {
    void dropped(String reason, long samples);

    void corrupt(String what, long count);
  }

  private static final class Segment {
    final long firstSeq;
    final Path path;
    long size;
    long[] seqs = new long[16];
    int[] samples = new int[16];
    long[] created = new long[16];
    int n;

    Segment(long firstSeq, Path path) {
      this.firstSeq = firstSeq;
      this.path = path;
    }

    void add(long seq, int s, long createdMillis) {
      if (n == seqs.length) {
        seqs = Arrays.copyOf(seqs, n * 2);
        samples = Arrays.copyOf(samples, n * 2);
        created = Arrays.copyOf(created, n * 2);
      }
      seqs[n] = seq;
      samples[n] = s;
      created[n++] = createdMillis;
    }

    long lastSeq() {
      return n == 0 ? firstSeq - 1 : seqs[n - 1];
    }

    long unreadSamples(long readSeq) {
      long t = 0;
      for (int i = 0; i < n; i++) {
        if (seqs[i] >= readSeq) {
          t += samples[i];
        }
      }
      return t;
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long maxAgeMillis;
  private final long segmentBytes;
  private final Stats stats;
  private final Object lock = new Object();
  private final Object syncLock = new Object();
  private final List<Segment> segments = new ArrayList<>();
  private FileChannel active;
  private long nextSeq;
  private long totalBytes;
  private long writeCounter;
  private long syncedCounter;
  // reader position
  private long readSeq;
  private int readSegment;
  private long readOffset;
  private FileChannel readChannel;
  private Path readPath;
  private volatile long ackedBelow;
  private long persistedAck = -1;
  private final CRC32C crc = new CRC32C();

  /** Opens (creating) the WAL in {@code dir} and recovers what is there. */
  public Wal(Path dir, long maxBytes, long maxAgeMillis, Stats stats) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.maxAgeMillis = maxAgeMillis;
    this.segmentBytes = Math.max(64 << 10, Math.min(64L << 20, maxBytes / 8));
    this.stats = stats;
    Files.createDirectories(dir);
    recover();
  }

  private void recover() throws IOException {
    long checkpoint = readCheckpoint();
    List<long[]> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.equals("checkpoint") || name.equals("checkpoint.tmp")) {
          continue;
        }
        if (name.endsWith(".seg.repair")) {
          Files.deleteIfExists(p); // a repair cut short by a crash; its segment is still whole
          continue;
        }
        if (name.endsWith(".seg") && Files.isRegularFile(p)) {
          try {
            found.add(new long[] {Long.parseLong(name.substring(0, name.length() - 4))});
            continue;
          } catch (NumberFormatException ignored) {
            // junk, counted below
          }
        }
        stats.corrupt("junk_file", 1);
      }
    }
    found.sort((a, b) -> Long.compare(a[0], b[0]));
    long maxSeq = checkpoint - 1;
    ByteBuffer head = ByteBuffer.allocate(8);
    for (long[] f : found) {
      Path p = dir.resolve(segName(f[0]));
      Segment seg = new Segment(f[0], p);
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long size = ch.size();
        head.clear();
        if (size < 8 || ch.read(head, 0) != 8 || !Arrays.equals(head.array(), MAGIC)) {
          stats.corrupt("bad_segment_header", 1);
          ch.close();
          Files.deleteIfExists(p);
          continue;
        }
        long pos = 8;
        long lastSeq = -1;
        List<long[]> good = new ArrayList<>(); // [offset, frame length] of each valid record
        boolean damaged = false;
        while (pos < size) {
          Frame fr = readFrame(ch, pos, size);
          if (fr != null && fr.seq > lastSeq) {
            good.add(new long[] {pos, 8 + fr.bodyLen});
            seg.add(fr.seq, fr.samples, fr.created);
            maxSeq = Math.max(maxSeq, fr.seq);
            lastSeq = fr.seq;
            pos += 8 + fr.bodyLen;
            continue;
          }
          // Torn or corrupt: count it, then look for the next intact record after the damage.
          stats.corrupt("torn_or_corrupt_record", 1);
          damaged = true;
          pos = resync(ch, pos + 1, size, lastSeq);
          if (pos < 0) {
            break;
          }
        }
        if (damaged) {
          seg.size = rewrite(ch, p, good);
        } else {
          seg.size = Math.min(pos, ch.size());
        }
      }
      if (seg.n == 0) {
        Files.deleteIfExists(p);
        continue;
      }
      segments.add(seg);
      totalBytes += seg.size;
    }
    nextSeq = maxSeq + 1;
    ackedBelow = checkpoint;
    readSeq = checkpoint;
    readSegment = 0;
    readOffset = 8;
    openNewSegment();
  }

  /**
   * The offset of the first intact record at or after {@code from} whose sequence number follows
   * {@code lastSeq} (a valid length, CRC and payload framing), or -1 if none.
   */
  private long resync(FileChannel ch, long from, long size, long lastSeq) throws IOException {
    long rem = size - from;
    if (rem < 8 + BODY_HEADER || rem > Integer.MAX_VALUE - 16) {
      return -1;
    }
    ByteBuffer all = ByteBuffer.allocate((int) rem);
    if (readFully(ch, all, from) < rem) {
      return -1;
    }
    for (int q = 0; q + 8 + BODY_HEADER <= rem; q++) {
      int len = all.getInt(q);
      if (len < BODY_HEADER || len > MAX_RECORD || len > rem - q - 8) {
        continue;
      }
      long seq = all.getLong(q + 8);
      if (seq <= lastSeq || seq < 0 || (lastSeq >= 0 && seq - lastSeq > 100_000_000L)) {
        continue;
      }
      Frame f = readFrame(ch, from + q, size);
      if (f != null) {
        return from + q;
      }
    }
    return -1;
  }

  /**
   * Replaces a damaged segment by a copy holding only its intact records (same name, fsynced, then
   * renamed over it); returns the new size.
   */
  private long rewrite(FileChannel ch, Path p, List<long[]> good) throws IOException {
    Path tmp = p.resolveSibling(p.getFileName() + ".repair");
    long size = 8;
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(MAGIC), 0);
      for (long[] g : good) {
        long done = 0;
        while (done < g[1]) {
          long n = ch.transferTo(g[0] + done, g[1] - done, out.position(size + done));
          if (n <= 0) {
            throw new IOException("short copy while repairing " + p);
          }
          done += n;
        }
        size += g[1];
      }
      out.force(true);
    }
    try {
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
    }
    return size;
  }

  private record Frame(long seq, long created, int otelPoints, int samples, int bodyLen, byte[] body) {}

  /** Reads and checks the frame at pos; null if it is torn or corrupt. */
  private Frame readFrame(FileChannel ch, long pos, long limit) throws IOException {
    if (limit - pos < 8) {
      return null;
    }
    ByteBuffer h = ByteBuffer.allocate(8);
    if (readFully(ch, h, pos) < 8) {
      return null;
    }
    int len = h.getInt(0);
    int sum = h.getInt(4);
    if (len < BODY_HEADER || len > MAX_RECORD || len > limit - pos - 8) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    if (readFully(ch, body, pos + 8) < len) {
      return null;
    }
    byte[] b = body.array();
    crc.reset();
    crc.update(b, 0, len);
    if ((int) crc.getValue() != sum) {
      return null;
    }
    if (!Payload.valid(b, BODY_HEADER, len - BODY_HEADER)) {
      return null;
    }
    return new Frame(body.getLong(0), body.getLong(8), body.getInt(16), body.getInt(20), len, b);
  }

  private static int readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    int total = 0;
    while (b.hasRemaining()) {
      int r = ch.read(b, pos + total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }

  private static String segName(long firstSeq) {
    return String.format("%020d.seg", firstSeq);
  }

  private void openNewSegment() throws IOException {
    if (active != null) {
      active.force(false);
      active.close();
    }
    Path p = dir.resolve(segName(nextSeq));
    active = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ);
    active.write(ByteBuffer.wrap(MAGIC), 0);
    active.force(true);
    Segment s = new Segment(nextSeq, p);
    s.size = 8;
    segments.add(s);
    totalBytes += 8;
  }

  /**
   * Appends a record and returns once it is on disk (fsync). Enforces the disk budget first by
   * deleting the oldest segments.
   *
   * @return the record as it will be read back
   */
  public Record append(byte[] payload, int payloadLen, int otelPoints, int samples, long createdMillis) throws IOException {
    int len = BODY_HEADER + payloadLen;
    ByteBuffer frame = ByteBuffer.allocate(8 + len);
    frame.putInt(len).putInt(0);
    frame.putLong(0).putLong(createdMillis).putInt(otelPoints).putInt(samples);
    frame.put(payload, 0, payloadLen);
    long myCounter;
    long seq;
    synchronized (lock) {
      seq = nextSeq++;
      frame.putLong(8, seq);
      CRC32C c = new CRC32C();
      c.update(frame.array(), 8, len);
      frame.putInt(4, (int) c.getValue());
      Segment cur = segments.get(segments.size() - 1);
      if (cur.size + frame.capacity() > segmentBytes && cur.n > 0) {
        openNewSegment();
        cur = segments.get(segments.size() - 1);
      }
      enforceBudget(frame.capacity());
      frame.flip();
      long pos = cur.size;
      while (frame.hasRemaining()) {
        pos += active.write(frame, pos);
      }
      cur.size = pos;
      totalBytes += 8 + len;
      cur.add(seq, samples, createdMillis);
      myCounter = ++writeCounter;
      lock.notifyAll();
    }
    sync(myCounter);
    return new Record(seq, createdMillis, Arrays.copyOf(payload, payloadLen), otelPoints, samples);
  }

  private void sync(long counter) throws IOException {
    synchronized (syncLock) {
      if (syncedCounter >= counter) {
        return;
      }
      long target;
      FileChannel ch;
      synchronized (lock) {
        target = writeCounter;
        ch = active;
      }
      ch.force(false);
      syncedCounter = target;
    }
  }

  private void enforceBudget(long incoming) throws IOException {
    while (totalBytes + incoming > maxBytes && segments.size() > 1) {
      dropOldest("disk_limit");
    }
  }

  private void dropOldest(String reason) throws IOException {
    Segment s = segments.remove(0);
    long lost = s.unreadSamples(Math.max(readSeq, ackedBelow));
    if (lost > 0) {
      stats.dropped(reason, lost);
    }
    totalBytes -= s.size;
    if (readSegment > 0) {
      readSegment--;
    } else {
      readOffset = 8;
      closeReader();
      readSeq = Math.max(readSeq, s.lastSeq() + 1);
    }
    Files.deleteIfExists(s.path);
  }

  private void closeReader() throws IOException {
    if (readChannel != null) {
      readChannel.close();
      readChannel = null;
      readPath = null;
    }
  }

  /**
   * The next unread, unexpired record, waiting up to {@code waitMillis} for one to be appended;
   * null if none.
   */
  public Record next(long waitMillis) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + waitMillis;
    synchronized (lock) {
      while (true) {
        while (readSegment < segments.size()) {
          Segment s = segments.get(readSegment);
          if (readOffset >= s.size) {
            if (readSegment == segments.size() - 1) {
              break;
            }
            readSegment++;
            readOffset = 8;
            continue;
          }
          if (readPath == null || !readPath.equals(s.path)) {
            closeReader();
            readChannel = FileChannel.open(s.path, StandardOpenOption.READ);
            readPath = s.path;
          }
          Frame f = readFrame(readChannel, readOffset, s.size);
          if (f == null) {
            // cannot happen for records we wrote; skip the rest of this segment defensively
            stats.corrupt("unreadable_record", 1);
            readOffset = s.size;
            continue;
          }
          readOffset += 8 + f.bodyLen;
          if (f.seq < readSeq) {
            continue; // acknowledged before a restart
          }
          readSeq = f.seq + 1;
          if (maxAgeMillis > 0 && f.created < System.currentTimeMillis() - maxAgeMillis) {
            stats.dropped("max_age", f.samples);
            continue;
          }
          return new Record(f.seq, f.created, Arrays.copyOfRange(f.body, BODY_HEADER, f.bodyLen), f.otelPoints, f.samples);
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return null;
        }
        lock.wait(left);
      }
    }
  }

  /** The sequence number the reader will return next (all below were returned or skipped). */
  public long readSeq() {
    synchronized (lock) {
      return readSeq;
    }
  }

  /** Records that every record below {@code seq} is delivered (or definitively failed). */
  public void ack(long seq) {
    if (seq > ackedBelow) {
      ackedBelow = seq;
    }
  }

  /**
   * Persists the acknowledgement and deletes segments that are fully acknowledged or expired.
   * Called every {@code truncate_frequency} and at shutdown.
   */
  public void truncate() throws IOException {
    long acked = ackedBelow;
    if (acked != persistedAck) {
      writeCheckpoint(acked);
      persistedAck = acked;
    }
    synchronized (lock) {
      long now = System.currentTimeMillis();
      while (segments.size() > 1) {
        Segment s = segments.get(0);
        boolean acknowledged = s.lastSeq() < acked;
        boolean expired = maxAgeMillis > 0 && s.n > 0 && s.created[s.n - 1] < now - maxAgeMillis;
        if (!acknowledged && !expired) {
          break;
        }
        dropOldest(acknowledged ? "acknowledged" : "max_age");
      }
    }
  }

  private long readCheckpoint() {
    Path p = dir.resolve("checkpoint");
    try {
      if (Files.isDirectory(p)) {
        stats.corrupt("checkpoint_is_directory", 1);
        // Removed, or no checkpoint could ever be written over it again (rename onto a directory).
        try (var tree = Files.walk(p)) {
          for (Path q : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(q);
          }
        }
        return 0;
      }
      if (!Files.exists(p)) {
        return 0;
      }
      byte[] b = Files.readAllBytes(p);
      if (b.length != 12) {
        stats.corrupt("bad_checkpoint", 1);
        return 0;
      }
      ByteBuffer bb = ByteBuffer.wrap(b);
      long v = bb.getLong(0);
      CRC32C c = new CRC32C();
      c.update(b, 0, 8);
      if ((int) c.getValue() != bb.getInt(8) || v < 0) {
        stats.corrupt("bad_checkpoint", 1);
        return 0;
      }
      return v;
    } catch (IOException e) {
      stats.corrupt("bad_checkpoint", 1);
      return 0;
    }
  }

  private void writeCheckpoint(long v) throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(12);
    bb.putLong(v);
    CRC32C c = new CRC32C();
    c.update(bb.array(), 0, 8);
    bb.putInt((int) c.getValue());
    Path tmp = dir.resolve("checkpoint.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      bb.flip();
      ch.write(bb);
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Bytes on disk in segments. */
  public long sizeBytes() {
    synchronized (lock) {
      return totalBytes;
    }
  }

  /** Creation time of the oldest unacknowledged record, or -1. */
  public long oldestUnackedMillis() {
    synchronized (lock) {
      long acked = ackedBelow;
      for (Segment s : segments) {
        for (int i = 0; i < s.n; i++) {
          if (s.seqs[i] >= acked) {
            return s.created[i];
          }
        }
      }
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    truncate();
    synchronized (lock) {
      closeReader();
      if (active != null) {
        active.force(true);
        active.close();
        active = null;
      }
    }
  }
}
