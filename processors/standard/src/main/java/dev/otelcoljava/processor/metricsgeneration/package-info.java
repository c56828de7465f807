/**
 * The {@code metricsgeneration} processor (old name {@code experimental_metricsgeneration}):
 * generates gauge or sum metrics from one metric and a constant ({@code scale}) or from two
 * metrics ({@code calculate}: add, subtract, multiply, divide, percent). Rules run per resource;
 * the input lookup is built before any rule runs. Points of metric1 and metric2 are paired by
 * attributes (all shared keys equal; metric2's attributes are added), which is contrib's {@code
 * metricsgeneration.MatchAttributes} behaviour; contrib's default pairs every metric1 point with
 * metric2's first point and gives wrong numbers for multi-series metrics. Division by zero skips
 * the point. A generated sum keeps metric1's temporality (contrib leaves it unset).
 */
package dev.otelcoljava.processor.metricsgeneration;
