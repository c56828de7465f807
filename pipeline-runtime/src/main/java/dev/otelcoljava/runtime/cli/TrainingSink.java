package dev.otelcoljava.runtime.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The remote-write sink of {@code bin/write-start-cache}'s training run: answers every request with
 * 204 after reading its body, so that the run takes the success path of remote write (the JDK
 * client's and the exporter's), whose classes and lambdas then come from the start-up cache instead
 * of being made at the first real request. Not a collector component.
 *
 * <p>Usage: {@code TrainingSink PORT_FILE SECONDS}: binds a free loopback port, writes its number to
 * PORT_FILE (atomically) and serves until it is killed, for SECONDS at most (should the script that
 * started it not stop it).
 */
public final class TrainingSink {
  private TrainingSink() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !args[1].matches("[0-9]{1,6}")) {
      System.err.println("usage: TrainingSink PORT_FILE SECONDS");
      System.exit(2);
    }
    long seconds = Long.parseLong(args[1]);
    Thread.ofPlatform().daemon().name("training-sink-deadline").start(() -> {
      try {
        Thread.sleep(seconds * 1000);
      } catch (InterruptedException e) {
        return;
      }
      System.exit(0);
    });
    start(Path.of(args[0]));
  }

  /** Binds, serves and writes the port file; the caller stops the server. */
  static HttpServer start(Path portFile) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", exchange -> {
      try (exchange; InputStream body = exchange.getRequestBody()) {
        body.transferTo(OutputStream.nullOutputStream());
        exchange.sendResponseHeaders(204, -1);
      }
    });
    server.start();
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, server.getAddress().getPort() + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return server;
  }
}
