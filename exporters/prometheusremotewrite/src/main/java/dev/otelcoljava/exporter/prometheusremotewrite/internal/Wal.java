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
 * skipped when read and expired segments deleted (reason {@code max_age}).
 *
 * <p><b>Disk full or read-only.</b> When a record cannot be written (ENOSPC, EROFS, another I/O
 * error), the partial write is cut off and the record is kept in memory instead, in the same
 * sequence (so {@link #next} still returns records in append order, memory and disk interleaved),
 * counted by {@link Stats#notDurable}; {@link Stats#diskFailed} is called once when writing starts
 * to fail and {@link Stats#diskRecovered} once when it works again. While failing, the disk is
 * tried again at most once per {@link #DISK_RETRY_NANOS}. The memory kept is bounded ({@code
 * memoryRecords} records and {@link #MEMORY_BYTES} bytes); beyond it {@link #append} throws {@link
 * FullException}. Records kept in memory do not survive a restart. Thread-safe.
 */
public final class Wal implements AutoCloseable {
  static final byte[] MAGIC = {'O', 'C', 'J', 'P', 'R', 'W', '2', '\n'};
  /**
   * The first format: the same framing, but the series' shard hashes in the payload are FNV-1a over
   * the label chars. Its segments are still read, with each payload's hashes recomputed
   * ({@link Payload#rehash}) so that a series replayed after an upgrade goes to the same shard as
   * its new samples, and is sent before them.
   */
  static final byte[] MAGIC_V1 = {'O', 'C', 'J', 'P', 'R', 'W', '1', '\n'};
  static final int BODY_HEADER = 24;
  static final int MAX_RECORD = 256 << 20;
  /** While the disk fails, how often an append tries it again. */
  static final long DISK_RETRY_NANOS = 1_000_000_000L;
  /** At most this many payload bytes are kept in memory while the disk fails. */
  static final long MEMORY_BYTES = 64L << 20;

  /** Counters the WAL reports to self-metrics. */
  public interface Stats {
    void dropped(String reason, long samples);

    void corrupt(String what, long count);

    /** Samples accepted but kept only in memory, because the disk failed ({@code reason}). */
    void notDurable(String reason, long samples);

    /** Writing to the directory started to fail ({@code reason}: disk_full, read_only, io_error). */
    void diskFailed(String reason, IOException cause);

    /** Writing works again after a failure; {@code notDurableSamples} were kept in memory meanwhile. */
    void diskRecovered(long notDurableSamples);
  }

  /**
   * Thrown by {@link #append} when the disk fails and the memory kept instead is full: the record
   * was not accepted.
   */
  public static final class FullException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    FullException(String reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    /** Why the disk could not take it: disk_full, read_only or io_error. */
    public String reason() {
      return reason;
    }
  }

  /** The failure for a message: its kind and the operating system's words, e.g. "disk_full: No space left on device". */
  public static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      m = f.getFile() + ": " + f.getReason();
    }
    return classify(e) + ": " + (m == null ? e.getClass().getSimpleName() : m);
  }

  /** disk_full, read_only or io_error, from the operating system's message. */
  public static String classify(IOException e) {
    String m = String.valueOf(e.getMessage()) + " " + (e instanceof java.nio.file.FileSystemException f ? f.getReason() : "");
    if (m.contains("No space left on device") || m.contains("Disk quota exceeded") || m.contains("File too large")) {
      return "disk_full";
    }
    if (m.contains("Read-only file system")) {
      return "read_only";
    }
    if (e instanceof java.nio.file.AccessDeniedException || m.contains("Permission denied")) {
      return "permission_denied";
    }
    return "io_error";
  }

  private static final class Segment {
    final long firstSeq;
    final Path path;
    long size;
    long[] seqs = new long[16];
    int[] samples = new int[16];
    long[] created = new long[16];
    int n;
    /** Written in the first format ({@link #MAGIC_V1}): hashes are recomputed when read. */
    boolean legacyHash;

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
  // Records kept in memory while the disk fails, in sequence order, not yet read.
  private final int memoryRecords;
  private final java.util.ArrayDeque<Record> memory = new java.util.ArrayDeque<>();
  private long memoryBytes;
  private String diskFailure; // null while writes succeed
  private IOException diskFailureCause;
  private long diskRetryAt;
  private long notDurableSinceFailure;
  // seq -> samples of each record kept in memory and not yet known acknowledged (pruned lazily)
  private final java.util.TreeMap<Long, Integer> memoryUnacked = new java.util.TreeMap<>();

  /** Opens (creating) the WAL in {@code dir} and recovers what is there. */
  public Wal(Path dir, long maxBytes, long maxAgeMillis, Stats stats) throws IOException {
    this(dir, maxBytes, maxAgeMillis, 300, stats);
  }

  /**
   * Opens (creating) the WAL in {@code dir} and recovers what is there; while the disk fails, up to
   * {@code memoryRecords} unread records are kept in memory.
   */
  public Wal(Path dir, long maxBytes, long maxAgeMillis, int memoryRecords, Stats stats) throws IOException {
    this.memoryRecords = Math.max(1, memoryRecords);
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
        if (size < 8 || ch.read(head, 0) != 8
            || !Arrays.equals(head.array(), MAGIC) && !(seg.legacyHash = Arrays.equals(head.array(), MAGIC_V1))) {
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
          seg.size = rewrite(ch, p, good, seg.legacyHash ? MAGIC_V1 : MAGIC);
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
  private long rewrite(FileChannel ch, Path p, List<long[]> good, byte[] magic) throws IOException {
    Path tmp = p.resolveSibling(p.getFileName() + ".repair");
    long size = 8;
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(magic), 0);
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

  /**
   * Creates (or truncates) the segment file {@code p} with its magic, forced to disk; on failure
   * the file is removed if it could be created, and the error thrown.
   */
  private static FileChannel createSegmentFile(Path p) throws IOException {
    FileChannel ch = null;
    try {
      ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ);
      ch.write(ByteBuffer.wrap(MAGIC), 0);
      ch.force(true);
      return ch;
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // a leftover header-less file is discarded (and counted) at the next start
        }
      }
      throw e;
    }
  }

  /**
   * Starts a new segment; on failure (disk full, read-only) the current one stays active and the
   * new file is removed if it could be created.
   */
  private void openNewSegment() throws IOException {
    Path p = dir.resolve(segName(nextSeq));
    FileChannel ch = createSegmentFile(p);
    if (active != null) {
      try {
        active.force(false);
      } finally {
        active.close();
      }
    }
    active = ch;
    Segment s = new Segment(nextSeq, p);
    s.size = 8;
    segments.add(s);
    totalBytes += 8;
  }

  /**
   * After a read-only or I/O failure, before trying the disk again: continues in a new segment
   * file, opened through the directory path. A file system that went read-only (ext4's
   * errors=remount-ro) stays so until it is mounted again, after a repair; the open segment belongs
   * to the old mount, a new file lands on the new one. Fails, changing nothing, while the
   * directory still takes no writes.
   */
  private void reopenActive() throws IOException {
    Segment cur = segments.get(segments.size() - 1);
    Path p = dir.resolve(segName(nextSeq));
    FileChannel ch = createSegmentFile(p);
    FileChannel old = active;
    active = ch;
    try {
      old.close(); // not forced: everything acknowledged from it was forced already
    } catch (IOException ignored) {
      // the old mount is gone
    }
    if (cur.path.equals(p)) {
      cur.size = 8; // the current segment was empty: the same file, created again
      return;
    }
    Segment s = new Segment(nextSeq, p);
    s.size = 8;
    segments.add(s);
    totalBytes += 8;
  }

  /**
   * Appends a record and returns once it is on disk (fsync). Enforces the disk budget first by
   * deleting the oldest segments. If the disk cannot take it, the record is kept in memory instead
   * (see the class comment).
   *
   * @return the record as it will be read back
   * @throws FullException if the disk fails and the memory kept instead is full
   */
  public Record append(byte[] payload, int payloadLen, int otelPoints, int samples, long createdMillis) throws IOException {
    // A FileChannel closes itself when a thread with its interrupt flag set writes to it
    // (ClosedByInterruptException), which would break the WAL for every later batch. The caller's
    // interrupt (e.g. a scrape loop told to stop) is kept for after the write.
    boolean interrupted = Thread.interrupted();
    try {
      return appendUninterrupted(payload, payloadLen, otelPoints, samples, createdMillis);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Record appendUninterrupted(byte[] payload, int payloadLen, int otelPoints, int samples, long createdMillis)
      throws IOException {
    int len = BODY_HEADER + payloadLen;
    ByteBuffer frame = ByteBuffer.allocate(8 + len);
    frame.putInt(len).putInt(0);
    frame.putLong(0).putLong(createdMillis).putInt(otelPoints).putInt(samples);
    frame.put(payload, 0, payloadLen);
    long myCounter;
    long seq;
    String failedNow = null;
    IOException failedCause = null;
    long recoveredAfter = -1;
    Record inMemory = null;
    String memoryReason = null;
    synchronized (lock) {
      seq = nextSeq;
      frame.putLong(8, seq);
      CRC32C c = new CRC32C();
      c.update(frame.array(), 8, len);
      frame.putInt(4, (int) c.getValue());
      IOException failure = null;
      if (diskFailure == null || System.nanoTime() - diskRetryAt >= 0) {
        try {
          if (diskFailure != null && !diskFailure.equals("disk_full")) {
            reopenActive();
          }
          writeFrame(frame, seq, samples, createdMillis);
        } catch (IOException e) {
          failure = e;
        }
      } else {
        failure = diskFailureCause;
      }
      if (failure == null) {
        nextSeq++;
        myCounter = ++writeCounter;
        if (diskFailure != null) {
          recoveredAfter = notDurableSinceFailure;
          diskFailure = null;
          diskFailureCause = null;
          notDurableSinceFailure = 0;
        }
        lock.notifyAll();
      } else {
        if (diskFailure == null || failure != diskFailureCause) {
          diskRetryAt = System.nanoTime() + DISK_RETRY_NANOS;
          if (diskFailure == null) {
            failedNow = classify(failure);
            failedCause = failure;
          }
          diskFailure = classify(failure);
          diskFailureCause = failure;
        }
        if (memory.size() >= memoryRecords || memoryBytes + payloadLen > MEMORY_BYTES) {
          FullException full = new FullException(diskFailure, "cannot write to the WAL in " + dir + " (" + diskFailure + ": "
              + failure.getMessage() + ") and " + memory.size() + " records are already kept in memory", failure);
          if (failedNow != null) {
            notifyFailed(failedNow, failedCause);
          }
          throw full;
        }
        inMemory = new Record(seq, createdMillis, Arrays.copyOf(payload, payloadLen), otelPoints, samples);
        nextSeq++;
        memory.addLast(inMemory);
        memoryUnacked.headMap(ackedBelow).clear();
        memoryUnacked.put(seq, samples);
        memoryBytes += payloadLen;
        notDurableSinceFailure += samples;
        memoryReason = diskFailure;
        lock.notifyAll();
        myCounter = -1;
      }
    }
    if (failedNow != null) {
      notifyFailed(failedNow, failedCause);
    }
    if (recoveredAfter >= 0) {
      stats.diskRecovered(recoveredAfter);
    }
    if (inMemory != null) {
      stats.notDurable(memoryReason, samples);
      return inMemory;
    }
    try {
      sync(myCounter);
    } catch (IOException e) {
      // Written but perhaps not on disk: it is read back and sent all the same.
      stats.notDurable(classify(e), samples);
    }
    return new Record(seq, createdMillis, Arrays.copyOf(payload, payloadLen), otelPoints, samples);
  }

  private void notifyFailed(String reason, IOException cause) {
    stats.diskFailed(reason, cause);
  }

  /**
   * Writes one frame at the end of the active segment (rotating and enforcing the budget first).
   * On failure nothing of it is kept: the segment is cut back to its last whole record.
   */
  private void writeFrame(ByteBuffer frame, long seq, int samples, long createdMillis) throws IOException {
    Segment cur = segments.get(segments.size() - 1);
    if (cur.size + frame.capacity() > segmentBytes && cur.n > 0) {
      openNewSegment();
      cur = segments.get(segments.size() - 1);
    }
    enforceBudget(frame.capacity());
    frame.rewind();
    long pos = cur.size;
    try {
      while (frame.hasRemaining()) {
        pos += active.write(frame, pos);
      }
    } catch (IOException e) {
      try {
        active.truncate(cur.size);
      } catch (IOException ignored) {
        // a torn tail is cut off at the next start; later records overwrite it first
      }
      throw e;
    }
    cur.size = pos;
    totalBytes += frame.capacity();
    cur.add(seq, samples, createdMillis);
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
        while (true) {
          Record m = memory.peekFirst();
          if (m != null && m.seq < nextDiskSeq()) {
            // kept in memory while the disk failed: returned in sequence order with the rest
            memory.pollFirst();
            memoryBytes -= m.payload.length;
            readSeq = Math.max(readSeq, m.seq + 1);
            if (maxAgeMillis > 0 && m.createdMillis < System.currentTimeMillis() - maxAgeMillis) {
              stats.dropped("max_age", m.samples);
              continue;
            }
            return m;
          }
          if (readSegment >= segments.size()) {
            break;
          }
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
          byte[] payload = Arrays.copyOfRange(f.body, BODY_HEADER, f.bodyLen);
          if (s.legacyHash) {
            Payload.rehash(payload);
          }
          return new Record(f.seq, f.created, payload, f.otelPoints, f.samples);
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return null;
        }
        lock.wait(left);
      }
    }
  }

  /** The sequence number of the first unread record on disk, or Long.MAX_VALUE. Under lock. */
  private long nextDiskSeq() {
    for (int i = Math.max(0, readSegment); i < segments.size(); i++) {
      Segment s = segments.get(i);
      int k = Arrays.binarySearch(s.seqs, 0, s.n, readSeq);
      if (k < 0) {
        k = -k - 1;
      }
      if (k < s.n) {
        return s.seqs[k];
      }
    }
    return Long.MAX_VALUE;
  }

  /** Records kept in memory because the disk failed, not yet read (for tests and self-metrics). */
  public int memoryRecords() {
    synchronized (lock) {
      return memory.size();
    }
  }

  /**
   * Samples of the records kept in memory (never written to disk) that are not acknowledged: what
   * is lost if the process stops now.
   */
  public long unackedMemorySamples() {
    synchronized (lock) {
      long t = 0;
      for (int v : memoryUnacked.tailMap(ackedBelow).values()) {
        t += v;
      }
      return t;
    }
  }

  /** Why writing to disk currently fails (disk_full, read_only, permission_denied, io_error), or null. */
  public String diskFailure() {
    synchronized (lock) {
      return diskFailure;
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
    IOException checkpointFailed = null;
    if (acked != persistedAck) {
      try {
        writeCheckpoint(acked);
        persistedAck = acked;
      } catch (IOException e) {
        // On a full disk: still delete what is acknowledged below, which frees the space. (Only
        // acknowledged data is deleted, so an older checkpoint after a crash replays nothing lost.)
        checkpointFailed = e;
        try {
          Files.deleteIfExists(dir.resolve("checkpoint.tmp"));
        } catch (IOException ignored) {
          // read-only: nothing was written either
        }
      }
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
    if (checkpointFailed != null) {
      throw checkpointFailed;
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
    try {
      truncate();
    } finally {
      synchronized (lock) {
        closeReader();
        if (active != null) {
          try {
            active.force(true);
          } finally {
            active.close();
            active = null;
          }
        }
      }
    }
  }
}
