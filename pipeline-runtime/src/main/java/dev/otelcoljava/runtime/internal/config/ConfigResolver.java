package dev.otelcoljava.runtime.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the command line's config sources into one expanded config tree, as otelcol's confmap
 * resolver does: each {@code --config} source (a path, {@code file:PATH}, {@code env:VAR} holding
 * the whole YAML, {@code yaml:a::b: v}, {@code http(s)://...}) is parsed, keys containing {@code ::} are split, the sources
 * are deep-merged in order (maps merge, lists are replaced; the {@code
 * confmap.enableMergeAppendOption} gate appends them), {@code --set} values are applied last, and
 * then {@code ${...}} references are expanded and {@code $$} unescaped (see {@link
 * ConfigExpander}).
 *
 * <p>ADOT's rule comes first ({@link #select}): if {@code AOT_CONFIG_CONTENT} is set, even to
 * empty, the config is exactly {@code env:AOT_CONFIG_CONTENT} and {@code --config}/{@code --set}
 * are ignored. Stateless and thread-safe.
 */
public final class ConfigResolver {
  /** The environment variable through which ECS passes an SSM parameter as the whole config. */
  public static final String AOT_CONFIG_CONTENT = "AOT_CONFIG_CONTENT";

  /** The header line of resolution errors. */
  public static final String HEADER = "failed to get config: cannot resolve the configuration:";

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]+:");

  private ConfigResolver() {}

  /**
   * The sources chosen for a command line, and notes to log (e.g. that flags were ignored).
   *
   * @param uris the sources, in merge order, {@code --set} values last as {@code yaml:} sources
   */
  public record Selection(List<String> uris, List<String> notes) {}

  /** The resolved config tree and the warnings to log (unset variables). */
  public record Resolved(Map<String, Object> config, List<String> warnings) {}

  /**
   * Applies ADOT's {@code AOT_CONFIG_CONTENT} rule, then converts {@code --set k.k=v} values.
   *
   * @throws ConfigException when there is no config at all, or a {@code --set} has no {@code =}
   */
  public static Selection select(List<String> configFlags, List<String> setFlags, EnvLookup env)
      throws ConfigException {
    if (env.get(AOT_CONFIG_CONTENT) != null) {
      List<String> notes = new ArrayList<>();
      notes.add("using the configuration in the AOT_CONFIG_CONTENT environment variable");
      if (!configFlags.isEmpty() || !setFlags.isEmpty()) {
        notes.add("AOT_CONFIG_CONTENT is set, so --config and --set are ignored (ignored: "
            + String.join(", ", concat(prefixed("--config=", configFlags), prefixed("--set ", setFlags))) + ")");
      }
      return new Selection(List.of("env:" + AOT_CONFIG_CONTENT), notes);
    }
    if (configFlags.isEmpty()) {
      throw new ConfigException(
          "",
          "at least one config flag must be provided: pass --config=<file> (repeatable; also env:VAR,"
              + " yaml:key::path: value) or set the AOT_CONFIG_CONTENT environment variable to the whole YAML");
    }
    List<String> uris = new ArrayList<>(configFlags);
    List<String> errors = new ArrayList<>();
    for (String s : setFlags) {
      try {
        uris.add(setToYaml(s));
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException("", errors);
    }
    return new Selection(uris, List.of());
  }

  /** {@code a.b=v} to {@code yaml:a::b: v}, as otelcol's {@code --set} flag does it. */
  static String setToYaml(String set) {
    int eq = set.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("invalid argument \"" + set + "\" for \"--set\" flag: missing equal sign");
    }
    return "yaml:" + set.substring(0, eq).trim().replace(".", "::") + ": " + set.substring(eq + 1).trim();
  }

  /** Resolves sources as chosen by {@link #select}. */
  public static Resolved resolve(List<String> uris, EnvLookup env, boolean appendLists)
      throws ConfigException {
    List<String> errors = new ArrayList<>();
    Object merged = null;
    for (String uri : uris) {
      try {
        Object doc = retrieve(uri, env);
        if (doc == null) {
          continue;
        }
        if (!(doc instanceof Map)) {
          errors.add(describe(uri) + ": the configuration must be a YAML map of sections, got " + kind(doc));
          continue;
        }
        merged = merged == null ? doc : ConfigMerge.merge(merged, doc, appendLists);
      } catch (ConfigException e) {
        errors.addAll(e.problems());
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(HEADER, errors);
    }
    if (merged == null || ((Map<?, ?>) merged).isEmpty()) {
      throw new ConfigException(
          HEADER, String.join(", ", describeAll(uris)) + ": empty configuration file");
    }
    List<String> warnings = new ArrayList<>();
    Object expanded = new ConfigExpander(env, warnings).expandTree(merged, "");
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) expanded;
    return new Resolved(map, dedupe(warnings));
  }

  /** Resolves one YAML document given inline (tests, embedding). */
  public static Resolved resolveYaml(String yaml, EnvLookup env) throws ConfigException {
    return resolve(List.of("yaml:" + yaml), env, false);
  }

  private static Object retrieve(String uri, EnvLookup env) throws ConfigException {
    String text;
    if (uri.startsWith("env:")) {
      String name = uri.substring(4);
      if (!name.matches(ConfigExpander.NAME_REGEX)) {
        throw new ConfigException(
            "", uri + ": environment variable \"" + name + "\" has invalid name: must match regex " + ConfigExpander.NAME_REGEX);
      }
      text = env.get(name);
      if (text == null) {
        throw new ConfigException("", uri + ": environment variable \"" + name + "\" is not set");
      }
    } else if (uri.startsWith("yaml:")) {
      text = uri.substring(5);
    } else if (uri.startsWith("http:") || uri.startsWith("https:")) {
      text = HttpSource.get(uri);
    } else if (uri.startsWith("file:") || !SCHEME.matcher(uri).find()) {
      String path = uri.startsWith("file:") ? uri.substring(5) : uri;
      try {
        text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new ConfigException("", uri + ": unable to read the file " + path + ": no such file");
      } catch (IOException e) {
        throw new ConfigException("", uri + ": unable to read the file " + path + ": " + e.getMessage());
      }
    } else {
      String scheme = uri.substring(0, uri.indexOf(':'));
      throw new ConfigException(
          "",
          uri + ": scheme \"" + scheme + "\" is not supported (supported: a file path, file:, env:, yaml:, http:, https:)");
    }
    try {
      return Yaml.parse(text);
    } catch (Yaml.ParseException e) {
      // Only the problem and its position: the YAML parser's excerpt could show a secret.
      throw new ConfigException("", describe(uri) + ": cannot parse YAML: " + e.getMessage());
    }
  }

  private static String describe(String uri) {
    if (uri.startsWith("yaml:")) {
      String body = uri.substring(5);
      return body.contains("\n") || body.length() > 60 ? "yaml:<inline document>" : uri;
    }
    return uri;
  }

  private static List<String> describeAll(List<String> uris) {
    List<String> out = new ArrayList<>();
    for (String u : uris) {
      out.add(describe(u));
    }
    return out;
  }

  private static String kind(Object v) {
    return v instanceof List ? "a list" : "\"" + v + "\"";
  }

  private static List<String> dedupe(List<String> l) {
    return List.copyOf(new java.util.LinkedHashSet<>(l));
  }

  private static List<String> prefixed(String p, List<String> l) {
    List<String> out = new ArrayList<>();
    for (String s : l) {
      out.add(p + s);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
