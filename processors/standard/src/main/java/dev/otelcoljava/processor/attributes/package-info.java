/**
 * The {@code attributes} processor for metrics: applies {@code actions} (insert, update, upsert,
 * delete, hash (SHA-256), extract, convert) to the data point attributes of metrics selected by
 * {@code include} / {@code exclude} ({@code match_type} strict | unanchored regexp, {@code
 * metric_names}; exclude wins). Only metric-name matching is supported for metrics, as in contrib.
 */
package dev.otelcoljava.processor.attributes;
