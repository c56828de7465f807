package dev.otelcoljava.runtime.cli;

import dev.otelcoljava.runtime.api.BuildInfo;
import dev.otelcoljava.runtime.explain.Explain;
import dev.otelcoljava.runtime.explain.OfflinePipeline;
import dev.otelcoljava.runtime.internal.service.Service;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code otelcol-java explain}: reads the inputs, runs {@link Explain} and prints the report. */
final class ExplainCommand {
  private ExplainCommand() {}

  static int run(Service service, Main.ExplainArgs a, BuildInfo info, PrintStream out, PrintStream err)
      throws Exception {
    if (a.inputs().isEmpty()) {
      err.println("Error: explain needs at least one --input=FILE (an exposition text, e.g. a saved /metrics page)");
      return 1;
    }
    List<Explain.Input> inputs = new ArrayList<>();
    for (String f : a.inputs()) {
      try {
        inputs.add(new Explain.Input(Path.of(f).getFileName().toString(), Files.readAllBytes(Path.of(f))));
      } catch (IOException e) {
        err.println("Error: cannot read --input " + f + ": " + e.getMessage());
        return 1;
      }
    }
    long start;
    try {
      start = a.time() == null ? System.currentTimeMillis() : Instant.parse(a.time()).toEpochMilli();
    } catch (DateTimeParseException e) {
      err.println("Error: --time needs an RFC 3339 time such as 2026-06-26T10:14:00Z, got " + a.time());
      return 1;
    }
    Map<String, String> source = new LinkedHashMap<>();
    for (String t : a.targets()) {
      source.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
    }
    try (OfflinePipeline p = OfflinePipeline.open(service.config(), a.pipeline(), source, true, false, info)) {
      out.print(Explain.run(p, inputs, start, a.maxItems()));
    }
    out.flush();
    return 0;
  }
}
