package dev.durable.internal.body;

import java.io.IOException;

/** A producer wrote to a stream whose reader went away, fell too far behind, or that was closed. */
public final class StreamCancelledException extends IOException {
  /** An error with the reason the stream closed. */
  public StreamCancelledException(String message) {
    super(message);
  }
}
