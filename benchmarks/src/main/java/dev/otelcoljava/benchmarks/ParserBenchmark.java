package dev.otelcoljava.benchmarks;

import dev.otelcoljava.receiver.prometheus.textparse.ParseException;
import dev.otelcoljava.receiver.prometheus.textparse.Parser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Exposition parser throughput on real fixtures (one op = one whole body).
 *
 * <p>{@code steadyState}: what a scrape does for series seen before: next(), the raw series bytes
 * (hashed here as a cache lookup would), value and timestamp; labels() is never called. {@code
 * coldLabels}: every series decoded with labels(), as on the first scrape of a target. The {@code
 * bytes} and {@code samples} aux counters give bytes/s and samples/s; with {@code -prof gc},
 * gc.alloc.rate.norm divided by the samples per body (printed in setup) gives bytes allocated per
 * sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParserBenchmark {

  @Param({"cadvisor", "springboot"})
  public String fixture;

  byte[] body;
  String contentType = "text/plain; version=0.0.4; charset=utf-8";
  int samplesPerBody;

  /** Per-iteration counters reported by JMH as rates (bytes/s, samples/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long bytes;
    public long samples;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      samples = 0;
    }
  }

  @Setup(Level.Trial)
  public void load() throws ParseException {
    String path = switch (fixture) {
      case "cadvisor" -> "cadvisor/nri-kubernetes-1_35/kubelet-metrics-cadvisor.txt";
      case "springboot" -> "expositions/springboot/actuator-prometheus-1.txt";
      default -> throw new IllegalArgumentException(fixture);
    };
    body = Fixtures.read(path);
    Parser p = Parser.create(body, body.length, contentType);
    int n = 0;
    while (true) {
      Parser.Entry e = p.next();
      if (e == Parser.Entry.EOF) {
        break;
      }
      if (e == Parser.Entry.SERIES) {
        n++;
      }
    }
    samplesPerBody = n;
    System.err.println("\n" + fixture + ": " + body.length + " bytes, " + n + " samples per body");
  }

  @Benchmark
  public long steadyState(Counters c) throws ParseException {
    Parser p = Parser.create(body, body.length, contentType);
    long acc = 0;
    int n = 0;
    while (true) {
      Parser.Entry e = p.next();
      if (e == Parser.Entry.EOF) {
        break;
      }
      if (e == Parser.Entry.SERIES) {
        byte[] b = p.buffer();
        int h = 1;
        for (int i = p.seriesStart(), end = p.seriesEnd(); i < end; i++) {
          h = 31 * h + b[i];
        }
        acc += h + Double.doubleToRawLongBits(p.value()) + (p.hasTimestamp() ? p.timestampMs() : 0);
        n++;
      }
    }
    c.bytes += body.length;
    c.samples += n;
    return acc;
  }

  @Benchmark
  public void coldLabels(Counters c, Blackhole bh) throws ParseException {
    Parser p = Parser.create(body, body.length, contentType);
    int n = 0;
    while (true) {
      Parser.Entry e = p.next();
      if (e == Parser.Entry.EOF) {
        break;
      }
      if (e == Parser.Entry.SERIES) {
        bh.consume(p.labels());
        bh.consume(p.value());
        n++;
      }
    }
    c.bytes += body.length;
    c.samples += n;
  }
}
