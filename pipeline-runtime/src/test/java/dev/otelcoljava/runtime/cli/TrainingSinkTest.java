package dev.otelcoljava.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSinkTest {
  @Test
  void writesItsPortAndAnswersEveryPostWith204(@TempDir Path dir) throws Exception {
    Path portFile = dir.resolve("port");
    HttpServer server = TrainingSink.start(portFile);
    try {
      int port = Integer.parseInt(Files.readString(portFile).trim());
      assertThat(port).isEqualTo(server.getAddress().getPort());
      assertThat(dir.resolve("port.tmp")).doesNotExist();
      HttpClient client = HttpClient.newHttpClient();
      for (int size : new int[] {0, 10, 3 << 20}) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/write"))
            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[size])).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("body of %d bytes", size).isEqualTo(204);
        assertThat(r.body()).isEmpty();
      }
    } finally {
      server.stop(0);
    }
  }
}
