/** The {@code awsproxy} extension, recognised and refused: it serves traces (X-Ray). */
package dev.otelcoljava.extension.awsproxy;
