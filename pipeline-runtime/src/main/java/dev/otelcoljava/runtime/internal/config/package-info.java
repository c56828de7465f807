/**
 * Reading a collector config as otelcol does: sources ({@code --config} paths, {@code file:},
 * {@code env:}, {@code yaml:}, {@code --set}, ADOT's {@code AOT_CONFIG_CONTENT}), deep merge,
 * {@code ${...}} expansion and {@code $$} escaping ({@link
 * dev.otelcoljava.runtime.internal.config.ConfigResolver}); the component registry ({@link
 * dev.otelcoljava.runtime.internal.config.ComponentRegistry}); and validation of the whole tree
 * with every problem reported at once, each prefixed with its YAML path ({@link
 * dev.otelcoljava.runtime.internal.config.ServiceConfigLoader}). Internal: components never depend
 * on this package.
 */
package dev.otelcoljava.runtime.internal.config;
