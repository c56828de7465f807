/** Conversion between the metrics data model and OTLP protobuf messages. */
package dev.otelcoljava.runtime.api.otlp;
