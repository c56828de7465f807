package dev.otelcoljava.exporter.prometheusremotewrite.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link WalPowerCutTest}: opens the WAL in {@code args[0]} and appends
 * numbered records ({@link #payload}) as fast as it can, printing {@code acked <n> <unsynced bytes>}
 * only after {@link Wal#append} returned for record n. After each record it also appends 256 bytes
 * to {@code args[1]} without ever syncing it: the control that a simulated power cut loses what
 * was never forced to disk. Runs until killed.
 */
public final class WalPowerCutWriter {
  static final int PAYLOAD_BYTES = 3000;

  private WalPowerCutWriter() {}

  /** Record n's payload: one series whose body is n's bytes (checked byte for byte after the cut). */
  static byte[] payload(int n) {
    ByteBuf b = new ByteBuf(PAYLOAD_BYTES + 12);
    Payload.putInt(b, n);
    Payload.putInt(b, 1);
    Payload.putInt(b, PAYLOAD_BYTES);
    byte[] body = new byte[PAYLOAD_BYTES];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (n * 31 + i);
    }
    b.write(body, 0, body.length);
    return b.toByteArray();
  }

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(new FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.US_ASCII);
    Wal.Stats none = new Wal.Stats() {
      @Override
      public void dropped(String reason, long samples) {}

      @Override
      public void corrupt(String what, long count) {}

      @Override
      public void notDurable(String reason, long samples) {
        System.err.println("not durable: " + reason);
      }

      @Override
      public void diskFailed(String reason, IOException cause) {
        System.err.println("disk failed: " + reason + " " + cause);
      }

      @Override
      public void diskRecovered(long notDurableSamples) {}
    };
    byte[] junk = new byte[256];
    java.util.Arrays.fill(junk, (byte) 'u');
    long unsynced = 0;
    try (Wal wal = new Wal(Path.of(args[0]), 48L << 20, 0, none);
        FileOutputStream control = new FileOutputStream(args[1])) {
      out.println("ready");
      out.flush();
      for (int n = 0; ; n++) {
        byte[] p = payload(n);
        wal.append(p, p.length, 1, 1, System.currentTimeMillis());
        control.write(junk); // reaches the page cache only: never forced
        unsynced += junk.length;
        out.println("acked " + n + " " + unsynced);
        out.flush();
      }
    }
  }
}
