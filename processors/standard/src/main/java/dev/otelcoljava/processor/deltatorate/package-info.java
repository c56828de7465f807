/**
 * The {@code deltatorate} processor: each listed (exact name) delta sum becomes a gauge whose
 * points are value / (time - start) in seconds (0 when that span is not positive), with {@code /s}
 * appended to a non-empty unit. A listed metric that is not a delta sum is left alone and logged
 * at info. Put {@code cumulativetodelta} before it.
 */
package dev.otelcoljava.processor.deltatorate;
