package dev.durable.internal.config;

/**
 * Something in the configuration that is ignored or suspicious but does not stop the emulator,
 * such as an unknown key. {@link #toString()} reads like a compiler warning:
 * {@code durable.jsonc:7:3: kv_namespaces: unknown key, ignored}.
 *
 * @param source the configuration file
 * @param at the key it is about
 * @param message what is wrong
 */
public record ConfigWarning(String source, KeyLocation at, String message) {
  @Override
  public String toString() {
    return ConfigException.format(source, at.path(), at.line(), at.column(), message);
  }
}
