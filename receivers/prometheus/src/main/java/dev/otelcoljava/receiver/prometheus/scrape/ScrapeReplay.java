package dev.otelcoljava.receiver.prometheus.scrape;

import dev.otelcoljava.receiver.prometheus.config.PromConfig;
import dev.otelcoljava.receiver.prometheus.config.ScrapeConfig;
import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.otlp.MapperSettings;
import dev.otelcoljava.receiver.prometheus.otlp.TargetMapper;
import dev.otelcoljava.runtime.api.ReceiverReplay;
import dev.otelcoljava.runtime.api.data.MetricsBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays saved exposition bodies as scrapes of one target of the receiver's first job (or of the
 * job named by the source label {@code job}): the job's relabel_configs build the target from the
 * given discovered labels exactly as for a discovered target, and the receiver's own {@link
 * TargetMapper} (metric_relabel_configs, limits, honor_labels/timestamps, start times, staleness,
 * the synthetic up/scrape_* series) turns each body into the batch a real scrape would emit. Not
 * thread-safe.
 */
public final class ScrapeReplay implements ReceiverReplay.Replayer {
  private final ScrapeConfig cfg;
  private final Target target;
  private final TargetMapper mapper;

  private ScrapeReplay(ScrapeConfig cfg, Target target, TargetMapper mapper) {
    this.cfg = cfg;
    this.target = target;
    this.mapper = mapper;
  }

  /**
   * Opens the replay.
   *
   * @param source discovered labels of the target ({@code __address__}, {@code __meta_*}); without
   *     {@code __address__}, the job's first static target (with its group's labels), else {@code
   *     localhost:9090}. A {@code job} entry picks the job by name.
   * @throws IllegalArgumentException when there is no job, the named job does not exist, or the
   *     job's relabel_configs drop or invalidate the target
   */
  public static ScrapeReplay open(PromConfig config, Map<String, String> source, String scopeVersion,
      boolean trimMetricSuffixes) {
    if (config.scrapeConfigs().isEmpty()) {
      throw new IllegalArgumentException("the prometheus receiver has no scrape_configs to replay");
    }
    Map<String, String> labels = new LinkedHashMap<>(source);
    String job = labels.remove("job");
    ScrapeConfig cfg = config.scrapeConfigs().get(0);
    if (job != null) {
      cfg = null;
      for (ScrapeConfig c : config.scrapeConfigs()) {
        if (c.jobName().equals(job)) {
          cfg = c;
        }
      }
      if (cfg == null) {
        throw new IllegalArgumentException("no scrape config with job_name \"" + job + "\"");
      }
    }
    Labels group = Labels.EMPTY;
    if (!labels.containsKey("__address__")) {
      // a static job: its first target, with the labels of its group
      for (ScrapeConfig.StaticConfig sc : cfg.staticConfigs()) {
        if (!sc.targets().isEmpty()) {
          labels.put("__address__", sc.targets().get(0));
          group = sc.labels();
          break;
        }
      }
    }
    labels.putIfAbsent("__address__", "localhost:9090");
    Target t;
    try {
      t = TargetBuilder.build(cfg, Labels.fromMap(labels), group);
    } catch (TargetBuilder.TargetException e) {
      throw new IllegalArgumentException("job " + cfg.jobName() + ": the target " + labels
          + (e.dropped() ? " is dropped by relabel_configs" : " is invalid: " + e.getMessage()));
    }
    TargetMapper mapper = new TargetMapper(new MapperSettings(t.publicLabels(), t.discoveredLabels(),
        cfg.honorLabels(), cfg.honorTimestamps(), cfg.trackTimestampsStaleness(), cfg.metricRelabelConfigs(),
        cfg.sampleLimit(), cfg.labelLimit(), cfg.labelNameLengthLimit(), cfg.labelValueLengthLimit(),
        config.global().externalLabels(), ScrapePool.fallbackContentType(cfg.fallbackScrapeProtocol()),
        scopeVersion, trimMetricSuffixes, t.interval()));
    return new ScrapeReplay(cfg, t, mapper);
  }

  @Override
  public String describe() {
    return "job " + cfg.jobName() + ", target " + target.url() + " " + target.publicLabels();
  }

  @Override
  public Duration interval() {
    return target.interval();
  }

  /**
   * One scrape of the given body at {@code timeMillis}. The content type is OpenMetrics when the
   * body ends with {@code # EOF}, else text 0.0.4.
   *
   * @throws Exception (a {@link dev.otelcoljava.receiver.prometheus.otlp.ScrapeException}) when
   *     Prometheus would fail the scrape; the mapper then records a failed scrape
   */
  @Override
  public MetricsBatch replay(byte[] content, long timeMillis) throws Exception {
    mapper.beginScrape(timeMillis);
    String text = new String(content, Math.max(0, content.length - 16), Math.min(16, content.length),
        StandardCharsets.UTF_8).strip();
    String ct = text.endsWith("# EOF") ? "application/openmetrics-text; version=1.0.0" : "text/plain; version=0.0.4";
    try {
      mapper.appendBody(content, content.length, ct);
    } catch (Exception e) {
      mapper.fail(new TargetMapper.Report(false, 0));
      throw e;
    }
    return mapper.commit(new TargetMapper.Report(true, 0));
  }
}
