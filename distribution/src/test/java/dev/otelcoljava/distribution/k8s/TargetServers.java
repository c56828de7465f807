package dev.otelcoljava.distribution.k8s;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * Many cheap HTTP/1.1 scrape targets in the test JVM: one listener per port (virtual threads),
 * keep-alive, a body per (port, path). Every request is recorded with its Authorization header and
 * the process id of the client, looked up from {@code /proc/net/tcp*} and the {@code /proc/<pid>/fd}
 * of the processes registered with {@link #watchProcess}, so a test can count scrapes per target
 * per collector process.
 */
public final class TargetServers implements AutoCloseable {
  /** One request. {@code pid} is -1 when the client is none of the watched processes. */
  public record Scrape(int port, String path, long pid, String authorization) {}

  private final BiFunction<Integer, String, String> bodies;
  private final List<ServerSocket> listeners = new CopyOnWriteArrayList<>();
  private final List<Scrape> scrapes = new CopyOnWriteArrayList<>();
  private final Set<Long> watched = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> pidByInode = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** {@code bodies} gives the exposition for (port, path), or null for 404. */
  public TargetServers(BiFunction<Integer, String, String> bodies) {
    this.bodies = bodies;
  }

  /** Listens on 127.0.0.1:{@code port} (0 = a free port); returns the bound port. */
  public int listen(int port) {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      listeners.add(s);
      Thread.ofVirtual().start(() -> accept(s));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")"
          + (port != 0 ? "; the scenario config names this port, so it must be free" : ""), e);
    }
  }

  public void watchProcess(long pid) {
    watched.add(pid);
  }

  public List<Scrape> scrapes() {
    return List.copyOf(scrapes);
  }

  public void clear() {
    scrapes.clear();
  }

  private void accept(ServerSocket s) {
    while (!closed) {
      try {
        Socket c = s.accept();
        Thread.ofVirtual().start(() -> serve(c, s.getLocalPort()));
      } catch (IOException e) {
        if (closed || s.isClosed()) {
          return;
        }
      }
    }
  }

  private void serve(Socket c, int port) {
    long pid = -2;
    try (c) {
      InputStream in = new BufferedInputStream(c.getInputStream());
      OutputStream out = c.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        if (pid == -2) {
          pid = clientPid(c.getPort(), port);
        }
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        String path = requestLine.length > 1 ? requestLine[1] : "/";
        String auth = null;
        boolean close = false;
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          if (colon < 0) {
            continue;
          }
          String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = lines[i].substring(colon + 1).trim();
          if (name.equals("authorization")) {
            auth = value;
          } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
            close = true;
          }
        }
        scrapes.add(new Scrape(port, path, pid, auth));
        String body = bodies.apply(port, path);
        byte[] b = (body == null ? "not found\n" : body).getBytes(StandardCharsets.UTF_8);
        String status = body == null ? "404 Not Found" : "200 OK";
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: "
            + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        if (close) {
          return;
        }
      }
    } catch (IOException ignored) {
      // client went away
    }
  }

  /** The request head up to the blank line, or null at end of stream. Requests have no body (GET). */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    int state = 0;
    int b;
    while ((b = in.read()) >= 0) {
      buf.write(b);
      state = switch (state) {
        case 0 -> b == '\r' ? 1 : 0;
        case 1 -> b == '\n' ? 2 : b == '\r' ? 1 : 0;
        case 2 -> b == '\r' ? 3 : 0;
        case 3 -> b == '\n' ? 4 : b == '\r' ? 1 : 0;
        default -> 0;
      };
      if (state == 4) {
        return buf.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  /** The watched process owning the client end (local port {@code clientPort}) of a connection to {@code serverPort}. */
  private long clientPid(int clientPort, int serverPort) {
    long inode = inode(clientPort, serverPort);
    if (inode <= 0) {
      return -1;
    }
    Long pid = pidByInode.get(inode);
    if (pid == null) {
      rescanFds();
      pid = pidByInode.get(inode);
    }
    return pid == null ? -1 : pid;
  }

  private static long inode(int clientPort, int serverPort) {
    for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file));
      } catch (IOException e) {
        continue;
      }
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length < 10) {
          continue;
        }
        if (port(f[1]) == clientPort && port(f[2]) == serverPort) {
          return Long.parseLong(f[9]);
        }
      }
    }
    return -1;
  }

  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
  }

  private synchronized void rescanFds() {
    Map<Long, Long> found = new HashMap<>();
    for (long pid : watched) {
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
        for (Path fd : fds) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")) {
              found.put(Long.parseLong(target.substring(8, target.length() - 1)), pid);
            }
          } catch (IOException | NumberFormatException ignored) {
            // fd closed meanwhile
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
    }
    pidByInode.putAll(found);
  }

  /** Scrapes per port per process id. */
  public Map<Integer, Map<Long, Integer>> countsByPortAndPid() {
    Map<Integer, Map<Long, Integer>> out = new HashMap<>();
    for (Scrape s : scrapes) {
      out.computeIfAbsent(s.port(), k -> new HashMap<>()).merge(s.pid(), 1, Integer::sum);
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    for (ServerSocket s : new ArrayList<>(listeners)) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
