package dev.otelcoljava.receiver.prometheus.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig.FileSdConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.runtime.api.RateLimitedLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSdDiscovererTest {
  @TempDir
  Path dir;

  @Test
  void read_jsonAndYamlGroupsGetFilepathMeta() throws Exception {
    Path json = dir.resolve("a.json");
    Files.writeString(json, "[{\"targets\": [\"h1:1\", \"h2:2\"], \"labels\": {\"team\": \"x\"}}, {\"targets\": []}]");
    List<TargetGroup> groups = FileSdDiscoverer.read(json);
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0).source()).isEqualTo(json + ":0");
    assertThat(groups.get(0).targets()).containsExactly(Labels.of("__address__", "h1:1"), Labels.of("__address__", "h2:2"));
    assertThat(groups.get(0).labels()).isEqualTo(Labels.of("team", "x", "__meta_filepath", json.toString()));
    Path yaml = dir.resolve("b.yaml");
    Files.writeString(yaml, "- targets: ['h3:3']\n  labels:\n    env: prod\n");
    assertThat(FileSdDiscoverer.read(yaml).get(0).labels().get("env")).isEqualTo("prod");
  }

  @Test
  void read_rejectsUnknownKeysAndNonLists() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[{\"targetz\": [\"h:1\"]}]");
    assertThatThrownBy(() -> FileSdDiscoverer.read(bad)).isInstanceOf(IOException.class)
        .hasMessageContaining("unknown key \"targetz\"");
    Files.writeString(bad, "{\"targets\": []}");
    assertThatThrownBy(() -> FileSdDiscoverer.read(bad)).hasMessageContaining("expected a list");
  }

  @Test
  void refresh_reportsChangedAndRemovedSourcesOnly() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      FileSdDiscoverer d = new FileSdDiscoverer(new FileSdConfig(List.of(dir + "/*.json"), Duration.ofMinutes(5)),
          timer, new RateLimitedLogger(System.getLogger("test"), Duration.ofMinutes(1)));
      Path a = dir.resolve("a.json");
      Path b = dir.resolve("b.json");
      Files.writeString(a, "[{\"targets\": [\"h1:1\"]}, {\"targets\": [\"h2:2\"]}]");
      Files.writeString(b, "[{\"targets\": [\"h3:3\"]}]");
      assertThat(d.refresh(true)).hasSize(3);
      assertThat(d.refresh(false)).as("nothing changed").isEmpty();
      Files.writeString(a, "[{\"targets\": [\"h1:1\", \"h9:9\"]}]");
      List<TargetGroup> changed = d.refresh(false);
      assertThat(changed).extracting(TargetGroup::source).containsExactly(a + ":0", a + ":1");
      assertThat(changed.get(1).targets()).as("the second group of a is gone").isEmpty();
      Files.writeString(b, "not json");
      assertThat(d.refresh(false)).as("a bad file keeps its last good groups").isEmpty();
      Files.delete(b);
      assertThat(d.refresh(false)).singleElement().satisfies(g -> {
        assertThat(g.source()).isEqualTo(b + ":0");
        assertThat(g.targets()).isEmpty();
      });
      d.close();
    } finally {
      timer.shutdownNow();
    }
  }
}
