package dev.durable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable HTTP headers with case-insensitive names, as in the fetch API. A name may carry
 * several values; {@link #get(String)} returns the first.
 */
public final class Headers {
  private static final Headers EMPTY = new Headers(Map.of());

  /** lower-case name → values, in insertion order. */
  private final Map<String, List<String>> values;

  private Headers(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Headers with no entries. */
  public static Headers empty() {
    return EMPTY;
  }

  /** Headers from name/value pairs: {@code Headers.of("content-type", "text/plain")}. */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Headers.of needs name/value pairs, got an odd count: "
          + namesAndValues.length);
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** A builder for headers. */
  public static Builder builder() {
    return new Builder();
  }

  /** The first value of a header, or empty. */
  public Optional<String> get(String name) {
    List<String> v = values.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Every value of a header, in the order added (empty when absent). */
  public List<String> getAll(String name) {
    return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** Whether the header is present. */
  public boolean has(String name) {
    return values.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** All headers as lower-case name → values. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  /** A builder pre-filled with these headers. */
  public Builder toBuilder() {
    Builder b = new Builder();
    values.forEach((k, v) -> b.values.put(k, new ArrayList<>(v)));
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Headers h && h.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Collects headers; names are case-insensitive. */
  public static final class Builder {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a value, keeping earlier values of the same name. */
    public Builder add(String name, String value) {
      values.computeIfAbsent(checkedName(name), k -> new ArrayList<>()).add(checkedValue(name, value));
      return this;
    }

    /** Replaces every value of a name with one value. */
    public Builder set(String name, String value) {
      List<String> list = new ArrayList<>();
      list.add(checkedValue(name, value));
      values.put(checkedName(name), list);
      return this;
    }

    /** Removes a header. */
    public Builder remove(String name) {
      values.remove(name.toLowerCase(Locale.ROOT));
      return this;
    }

    /** The immutable headers. */
    public Headers build() {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return new Headers(Collections.unmodifiableMap(copy));
    }

    private static String checkedName(String name) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("Header name must not be empty");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c <= ' ' || c >= 127 || c == ':') {
          throw new IllegalArgumentException("Invalid header name: '" + name + "'");
        }
      }
      return name.toLowerCase(Locale.ROOT);
    }

    private static String checkedValue(String name, String value) {
      if (value == null) {
        throw new IllegalArgumentException("Header '" + name + "' has a null value");
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("Header '" + name + "' value contains a line break");
      }
      return value;
    }
  }
}
