/**
 * The {@code metrics_transform} processor (alias {@code metricstransform}): renames, copies
 * (insert), combines, groups and relabels metrics, with contrib's semantics: unanchored RE2 name
 * matching, {@code experimental_match_labels} (a missing label matches as ""), Go {@code Expand}
 * capture groups in {@code new_name} ({@code $1}, {@code ${1}}, {@code ${name}}; write {@code $$}
 * in YAML), and aggregation by attributes + timestamp (+ start for delta). Differences: merged
 * groups keep first-seen order (Go's is random); exponential histograms are not merged.
 */
package dev.otelcoljava.processor.metricstransform;
