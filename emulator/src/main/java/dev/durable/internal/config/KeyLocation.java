package dev.durable.internal.config;

/**
 * Where a key of the configuration was written.
 *
 * @param path the key path, such as {@code durable_objects.bindings[1].class_name}
 * @param line the 1-based line
 * @param column the 1-based column
 */
public record KeyLocation(String path, int line, int column) {
  @Override
  public String toString() {
    return path + " (line " + line + ", column " + column + ")";
  }
}
