package dev.durable.internal.storage.sql;

/** A statement Cloudflare's SQL API refuses; the message is Cloudflare's. */
public class SqlRefusedException extends RuntimeException {
  /** A refusal with Cloudflare's message. */
  public SqlRefusedException(String message) {
    super(message);
  }
}
