/**
 * Helpers shared by the standard processors (Go regexp expansion, name matching). Not a public
 * API: other modules must not depend on it.
 */
package dev.otelcoljava.processor.internal;
