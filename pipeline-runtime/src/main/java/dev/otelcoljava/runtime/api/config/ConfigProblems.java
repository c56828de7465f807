package dev.otelcoljava.runtime.api.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem found while reading a config, so that the loader can report all of them
 * at once. Each error is one line: {@code <yaml path>: <problem>[; <fix>]}. Warnings (deprecated
 * spellings) are kept apart and logged once each. Thread-confined to the loading thread.
 */
public final class ConfigProblems {
  private final Set<String> errors = new LinkedHashSet<>();
  private final Set<String> warnings = new LinkedHashSet<>();
  private boolean offline;

  /**
   * Whether the config is read for an offline run ({@code explain}): nothing will be scraped or
   * sent, so a component may report local resources that only the running collector needs
   * (credential and CA files of the target environment) as warnings instead of errors.
   */
  public boolean offline() {
    return offline;
  }

  public void setOffline(boolean offline) {
    this.offline = offline;
  }

  public void error(String path, String message) {
    errors.add(path.isEmpty() ? message : path + ": " + message);
  }

  public void warn(String path, String message) {
    warnings.add(path.isEmpty() ? message : path + ": " + message);
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<String> errors() {
    return Collections.unmodifiableList(new ArrayList<>(errors));
  }

  public List<String> warnings() {
    return Collections.unmodifiableList(new ArrayList<>(warnings));
  }
}
