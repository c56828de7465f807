/** The {@code otelcol-java} command line: run, {@code validate}, {@code components}, {@code --version}. */
package dev.otelcoljava.runtime.cli;
