package dev.otelcoljava.runtime.api;

import java.util.regex.Pattern;

/**
 * A component id {@code type[/name]} as otelcol parses it: the type matches {@code
 * ^[a-zA-Z][0-9a-zA-Z_]{0,62}$}; the name, if any, is non-empty, at most 1024 characters, with no
 * spaces, control characters or symbols other than {@code - _ . /}.
 */
public record ComponentId(String type, String name) {
  private static final Pattern TYPE = Pattern.compile("^[a-zA-Z][0-9a-zA-Z_]{0,62}$");

  public ComponentId {
    if (name == null) {
      name = "";
    }
  }

  public static ComponentId of(String type) {
    return new ComponentId(type, "");
  }

  /**
   * Parses {@code type[/name]}.
   *
   * @throws IllegalArgumentException with otelcol's wording when the id is malformed
   */
  public static ComponentId parse(String id) {
    String s = id.trim();
    int slash = s.indexOf('/');
    String type = slash < 0 ? s : s.substring(0, slash);
    String name = slash < 0 ? "" : s.substring(slash + 1);
    if (type.isEmpty()) {
      throw new IllegalArgumentException("in \"" + id + "\" id: the part before / should not be empty");
    }
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("invalid character(s) in type \"" + type + "\"");
    }
    if (slash >= 0) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("in \"" + id + "\" id: the part after / should not be empty");
      }
      if (name.length() > 1024) {
        throw new IllegalArgumentException("in \"" + id + "\" id: name is longer than 1024 characters");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (Character.isISOControl(c) || Character.isWhitespace(c)) {
          throw new IllegalArgumentException("invalid character(s) in name \"" + name + "\"");
        }
      }
    }
    return new ComponentId(type, name);
  }

  // equals and hashCode are written out rather than left to the record: the record's versions are
  // bound at their first call (java.lang.runtime.ObjectMethods), which generates classes at run time
  // that the start-up cache does not hold. Component ids are the first map keys the collector uses.

  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof ComponentId other && type.equals(other.type) && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + name.hashCode();
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }
}
