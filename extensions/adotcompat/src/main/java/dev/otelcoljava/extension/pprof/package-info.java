/** The {@code pprof} extension, mapped to Java Flight Recorder. */
package dev.otelcoljava.extension.pprof;
