package dev.otelcoljava.receiver.prometheus.otlp;

import dev.otelcoljava.receiver.prometheus.labels.Labels;
import dev.otelcoljava.receiver.prometheus.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link TargetMapper} needs to know about its target and job. Immutable.
 *
 * @param targetLabels the target's final labels without {@code __*} (job, instance, static labels)
 * @param discoveredLabels the target's labels before relabeling ({@code __scheme__}, {@code __meta_*})
 * @param fallbackContentType used when the target sends no or an unknown Content-Type
 * @param trackTimestampsStaleness also end series with explicit timestamps with staleness markers
 * @param scopeVersion the collector version, the version of the default scope
 */
public record MapperSettings(
    Labels targetLabels,
    Labels discoveredLabels,
    boolean honorLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    List<RelabelConfig> metricRelabelConfigs,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    Labels externalLabels,
    String fallbackContentType,
    String scopeVersion,
    boolean trimMetricSuffixes,
    Duration interval) {}
