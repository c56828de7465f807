package dev.otelcoljava.benchmarks;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.otlp.MapperSettings;
import dev.otelcoljava.receiver.prometheus.otlp.TargetMapper;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap the prometheus receiver keeps per scraped series: runs the per-target mappers (series
 * cache, groups, start-time and staleness state) over exposition files as the scrape loops do, then
 * reports the live heap they retain after a full GC, per sample line, and the size of one scrape's
 * OTel batch. A footprint, not a timing: a main program, not a JMH benchmark.
 *
 * <pre>
 * peer-bench --preset cluster --keep-tmp ...   # keeps TMP/targets/t0.prom ... t19.prom
 * java -cp 'benchmarks/target/classes:distribution/target/otelcol-java/lib/*' \
 *     dev.otelcoljava.benchmarks.ReceiverFootprint TMP/targets [scrapes]
 * </pre>
 */
public final class ReceiverFootprint {
  private ReceiverFootprint() {}

  private static long liveHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ReceiverFootprint DIR_OF_EXPOSITIONS [scrapes (default 3)]");
      System.exit(2);
    }
    List<Path> files = new ArrayList<>();
    try (var s = Files.list(Path.of(args[0]))) {
      s.filter(p -> p.toString().endsWith(".prom") || p.toString().endsWith(".txt")).sorted().forEach(files::add);
    }
    if (files.isEmpty()) {
      System.err.println("no *.prom or *.txt files in " + args[0]);
      System.exit(2);
    }
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<byte[]> bodies = new ArrayList<>();
    for (Path p : files) {
      bodies.add(Files.readAllBytes(p));
    }
    long base = liveHeap();
    TargetMapper[] mappers = new TargetMapper[bodies.size()];
    for (int i = 0; i < mappers.length; i++) {
      String addr = "127.0.0.1:" + (20000 + i);
      mappers[i] = new TargetMapper(new MapperSettings(Labels.of("job", "footprint", "instance", addr),
          Labels.of("job", "footprint", "__address__", addr, "__scheme__", "http", "__metrics_path__", "/metrics"),
          false, true, false, List.of(), 0, 0, 0, 0, Labels.EMPTY, "text/plain; version=0.0.4", "0.1.0", false,
          Duration.ofSeconds(10)));
    }
    MetricsBatch last = null;
    long lines = 0;
    for (int r = 0; r < scrapes; r++) {
      for (int i = 0; i < mappers.length; i++) {
        mappers[i].beginScrape(1_700_000_000_000L + r * 10_000L);
        byte[] b = bodies.get(i);
        mappers[i].appendBody(b, b.length, "text/plain; version=0.0.4");
        MetricsBatch batch = mappers[i].commit(new TargetMapper.Report(true, 0.1));
        if (r == scrapes - 1 && i == 0) {
          last = batch;
        }
        if (r == scrapes - 1) {
          lines += mappers[i].samplesScraped();
        }
      }
    }
    long withBatch = liveHeap();
    int points = last == null ? 0 : last.dataPointCount();
    last = null;
    long state = liveHeap();
    System.out.printf("%d targets, %d sample lines per scrape round, %d scrapes%n", mappers.length, lines, scrapes);
    System.out.printf("receiver state: %.1f MiB, %.0f B per sample line%n", (state - base) / 1048576.0,
        (state - base) / (double) Math.max(1, lines));
    System.out.printf("one scrape's OTel batch (first target, %d points): %.1f MiB%n", points,
        (withBatch - state) / 1048576.0);
  }
}
