package dev.otelcoljava.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ext4 file system in an image file, on a loop device, mounted by the test (root only): for
 * the read-only-while-running and power-cut cases of RELIABILITY case 11. Where loop devices or
 * mounting are not available the test fails with the command and what it said, never skips.
 * {@link #close()} unmounts (lazily if busy) and detaches every loop device it attached.
 */
public final class LoopFs implements AutoCloseable {
  private final Path image;
  private final Path mountPoint;
  private final List<String> devices = new ArrayList<>();
  private String device;
  private boolean mounted;

  private LoopFs(Path image, Path mountPoint) {
    this.image = image;
    this.mountPoint = mountPoint;
  }

  /** A new ext4 image of {@code megabytes} at {@code image}, mounted at {@code mountPoint} with errors=remount-ro. */
  public static LoopFs create(Path image, Path mountPoint, int megabytes) throws Exception {
    require(run("truncate", "-s", megabytes + "M", image.toString()));
    require(run("mkfs.ext4", "-q", "-F", image.toString()));
    return mount(image, mountPoint);
  }

  /** Mounts an existing image (ext4 replays its journal, as after a power cut) at {@code mountPoint}. */
  public static LoopFs mount(Path image, Path mountPoint) throws Exception {
    LoopFs fs = new LoopFs(image, mountPoint);
    try {
      fs.attachAndMount();
    } catch (Throwable t) {
      fs.close();
      throw t;
    }
    return fs;
  }

  private void attachAndMount() throws Exception {
    Files.createDirectories(mountPoint);
    Result r = run("losetup", "-f", "--show", image.toString());
    if (r.rc != 0) {
      throw new AssertionError("RELIABILITY case 11 needs loop devices (root with CAP_SYS_ADMIN and /dev/loop-control;"
          + " in a container: --privileged) to put the WAL on a real ext4 file system: `losetup -f --show " + image
          + "` exited " + r.rc + ": " + r.out);
    }
    device = r.out.trim();
    devices.add(device);
    require(run("mount", "-t", "ext4", "-o", "errors=remount-ro", device, mountPoint.toString()));
    mounted = true;
  }

  public Path mountPoint() {
    return mountPoint;
  }

  public Path image() {
    return image;
  }

  /**
   * Makes ext4 report an error on this file system, as a failing disk would: with errors=remount-ro
   * it goes read-only at once (writes fail with EROFS) and stays so until mounted again.
   */
  public void triggerError() throws Exception {
    Path knob = Path.of("/sys/fs/ext4", device.substring(device.lastIndexOf('/') + 1), "trigger_fs_error");
    if (!Files.exists(knob)) {
      throw new AssertionError("this kernel has no " + knob + " (ext4's error injection, Linux >= 4.x) to make the file"
          + " system go read-only while it is in use");
    }
    Files.writeString(knob, "1");
  }

  /**
   * What an operator does after the file system went read-only, while the collector keeps running:
   * detaches the mount (lazily: the WAL still holds files of it), checks the image with {@code
   * e2fsck -fy} on a second loop device and mounts it again at the same path.
   */
  public void repairAndRemount() throws Exception {
    require(run("umount", "-l", mountPoint.toString()));
    mounted = false;
    Result r = run("losetup", "-f", "--show", image.toString());
    require(r);
    String second = r.out.trim();
    devices.add(second);
    Result fsck = run("e2fsck", "-fy", second);
    // 0: clean, 1: errors corrected
    if (fsck.rc > 1) {
      throw new AssertionError("`e2fsck -fy " + second + "` exited " + fsck.rc + ": " + fsck.out);
    }
    device = second;
    require(run("mount", "-t", "ext4", "-o", "errors=remount-ro", device, mountPoint.toString()));
    mounted = true;
  }

  /** Unmounts (flushing what the file system still holds; lazily if busy) and detaches the loop devices. */
  @Override
  public void close() throws Exception {
    if (mounted) {
      if (run("umount", mountPoint.toString()).rc != 0) {
        run("umount", "-l", mountPoint.toString());
      }
      mounted = false;
    }
    for (String d : devices) {
      // A device still held by a lazily unmounted file system is detached when that is released.
      run("losetup", "-d", d);
    }
    devices.clear();
  }

  public record Result(String cmd, int rc, String out) {}

  public static Result run(String... cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(cmd[0] + " is not installed; install it with: apt-get install -y util-linux e2fsprogs mount", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish in 30 s");
    }
    return new Result(String.join(" ", cmd), p.exitValue(), out.trim());
  }

  public static void require(Result r) {
    if (r.rc != 0) {
      throw new AssertionError("`" + r.cmd + "` exited " + r.rc + ": " + r.out + " (RELIABILITY case 11 mounts ext4 images on loop devices: run the tests as root)");
    }
  }
}
