/**
 * {@link dev.otelcoljava.runtime.internal.service.Service}: one collector built from config
 * sources, runnable in-process (tests, the CLI).
 */
package dev.otelcoljava.runtime.internal.service;
