package dev.durable.internal.config;

/**
 * A configuration that cannot be used: bad JSON, a wrong type, a missing key, a class that does
 * not load, a migration that cannot run. The message names the file, the key path (such as
 * {@code durable_objects.bindings[1].class_name}) and the line and column, like a compiler:
 *
 * <pre>
 * durable.jsonc:12:21: durable_objects.bindings[1].class_name: class com.example.Chat was not found
 * </pre>
 */
public class ConfigException extends RuntimeException {
  private final String keyPath;
  private final int line;
  private final int column;

  /** A problem at a known place; {@code line} and {@code column} are 1-based, 0 when unknown. */
  public ConfigException(String source, String keyPath, int line, int column, String problem) {
    this(source, keyPath, line, column, problem, null);
  }

  /** A problem at a key of the configuration. */
  public ConfigException(String source, KeyLocation at, String problem) {
    this(source, at, problem, null);
  }

  /** A problem at a key of the configuration, caused by another failure. */
  public ConfigException(String source, KeyLocation at, String problem, Throwable cause) {
    this(source, at == null ? null : at.path(), at == null ? 0 : at.line(),
        at == null ? 0 : at.column(), problem, cause);
  }

  /** The general form. */
  public ConfigException(String source, String keyPath, int line, int column, String problem,
      Throwable cause) {
    super(format(source, keyPath, line, column, problem), cause);
    this.keyPath = keyPath;
    this.line = line;
    this.column = column;
  }

  /** The key path, such as {@code migrations[0].tag}, or null when the problem is not at a key. */
  public String keyPath() {
    return keyPath;
  }

  /** The 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The 1-based column, or 0 when unknown. */
  public int column() {
    return column;
  }

  static String format(String source, String keyPath, int line, int column, String problem) {
    StringBuilder b = new StringBuilder();
    if (source != null) {
      b.append(source);
      if (line > 0) {
        b.append(':').append(line);
        if (column > 0) {
          b.append(':').append(column);
        }
      }
      b.append(": ");
    } else if (line > 0) {
      b.append("line ").append(line).append(": ");
    }
    if (keyPath != null && !keyPath.isEmpty()) {
      b.append(keyPath).append(": ");
    }
    return b.append(problem).toString();
  }
}
