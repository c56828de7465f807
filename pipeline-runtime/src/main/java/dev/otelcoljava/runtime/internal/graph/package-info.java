/**
 * The component graph: creation, connection (fan-out with copy-on-mutate), start and shutdown
 * order, and the receiver/processor self-metric wrappers. See {@link
 * dev.otelcoljava.runtime.internal.graph.Graph} for the fixed build order.
 */
package dev.otelcoljava.runtime.internal.graph;
