package dev.durable.internal.body;

import java.io.IOException;

/**
 * A body is larger than a limit: the server's request limit ({@code --max-body}), or the memory
 * this JVM can give a body read whole. The dev server answers 413 with the message.
 */
public final class BodyTooLargeException extends IOException {
  /** An error whose message names the limit and what to do about it. */
  public BodyTooLargeException(String message) {
    super(message);
  }

  /** The first {@code BodyTooLargeException} among a failure and its causes, or null. */
  public static BodyTooLargeException findIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLargeException e) {
        return e;
      }
    }
    return null;
  }
}
