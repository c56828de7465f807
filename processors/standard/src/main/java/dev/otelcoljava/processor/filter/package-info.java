/**
 * The {@code filter} processor for metrics: drops resources, scopes, metrics and data points by
 * the legacy {@code metrics: include/exclude} matchers ({@code strict}, unanchored RE2 {@code
 * regexp}, or {@code expr}) or by OTTL conditions ({@code metrics: resource/metric/datapoint}, or
 * context-inferred {@code metric_conditions}). A true OTTL condition drops the item; conditions
 * outside the supported subset (see {@code Condition}) are config errors, never silent passes.
 * Emptied metrics, scopes and resources are removed; an all-empty batch is not sent downstream.
 * Counts dropped points in {@code otelcol_processor_filter_datapoints.filtered} (attribute {@code
 * filter}). The supported condition subset never fails at evaluation time (type mismatches compare
 * as not equal, as OTTL does), so {@code error_mode} is accepted and has nothing to act on.
 */
package dev.otelcoljava.processor.filter;
