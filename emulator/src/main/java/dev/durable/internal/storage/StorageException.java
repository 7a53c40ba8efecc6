package dev.durable.internal.storage;

/** The storage itself failed (could not open, commit or close), not the caller's input. */
public class StorageException extends RuntimeException {
  /** A failure with its cause. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
