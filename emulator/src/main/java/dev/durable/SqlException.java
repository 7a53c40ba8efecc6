package dev.durable;

/**
 * A SQL statement failed or was refused. The message reads as Cloudflare's:
 * {@code <sqlite message>: SQLITE_<CODE>}, e.g. {@code no such table: t: SQLITE_ERROR}.
 */
public class SqlException extends RuntimeException {
  private final String code;

  /** A failure with its SQLite primary result code name, e.g. {@code SQLITE_CONSTRAINT}. */
  public SqlException(String message, String code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The SQLite primary result code name, e.g. {@code SQLITE_ERROR}, {@code SQLITE_AUTH}. */
  public String code() {
    return code;
  }
}
