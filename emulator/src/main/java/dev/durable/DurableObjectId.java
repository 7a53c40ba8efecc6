package dev.durable;

import java.util.Objects;
import java.util.Optional;

/**
 * The address of one Durable Object: 64 lowercase hex digits, unique within its namespace, and
 * the name it was derived from when it came from {@link DurableObjectNamespace#idFromName}.
 * Ids are made by a namespace; two ids are equal when their hex is.
 */
public final class DurableObjectId {
  private final String hex;
  private final String name;

  private DurableObjectId(String hex, String name) {
    this.hex = hex;
    this.name = name;
  }

  /**
   * An id from its hex form and optional name. Namespaces call this after checking the id's MAC;
   * user code gets ids from {@link DurableObjectNamespace} instead.
   */
  public static DurableObjectId of(String hex, String name) {
    if (hex == null || hex.length() != 64 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException("Invalid Durable Object ID: must be 64 hex digits");
    }
    return new DurableObjectId(hex, name);
  }

  /** The name this id was derived from, when it was made by name. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The 64 lowercase hex digits. */
  @Override
  public String toString() {
    return hex;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DurableObjectId other && other.hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hex);
  }
}
